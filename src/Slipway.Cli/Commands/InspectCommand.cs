using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Cli.Transports;
using Slipway.Oci.Model;
using Slipway.Oci.Registry;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway inspect REF</c>: skopeo-inspect-shaped JSON (Name, Digest, RepoTags, Created, Architecture, Os, Layers, Labels, Env).</summary>
internal static class InspectCommand
{
    public static async Task<int> RunAsync(CommandLine c, CancellationToken ct)
    {
        var location = ImageLocation.Parse(c.Positional(0, "an image reference"));
        c.ExpectPositionals(1);
        using var session = RegistryOptions.Session(c, location);
        var image = await location.ReadAsync(session, RegistryOptions.PlatformOf(c), ct);
        if (c.Has("raw")) { Console.WriteLine(System.Text.Encoding.UTF8.GetString(image.ManifestBytes)); return 0; }
        byte[] configBytes;
        await using (var s = await image.Config.OpenReadAsync(ct))
        using (var ms = new MemoryStream())
        {
            await s.CopyToAsync(ms, ct);
            configBytes = ms.ToArray();
        }
        if (c.Has("config")) { Console.WriteLine(System.Text.Encoding.UTF8.GetString(configBytes)); return 0; }
        var config = OciJson.Deserialize<ImageConfig>(configBytes, "image config");
        IReadOnlyList<string> tags = [];
        if (location is RegistryLocation r) tags = await session.Client(r.Reference.Registry).ListTagsAsync(r.Reference.Repository, ct);
        var o = new JsonObject
        {
            ["Name"] = location switch { RegistryLocation rl => rl.Reference.Name, LayoutLocation l => l.Directory, ArchiveLocation a => a.File, _ => "" },
            ["Digest"] = image.Digest.ToString(),
            ["RepoTags"] = new JsonArray(tags.Select(t => (JsonNode)t!).ToArray()),
            ["Created"] = config.Created,
            ["Architecture"] = config.Architecture,
            ["Os"] = config.Os,
            ["Labels"] = config.Config?.Labels is { } labels ? new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) : null,
            ["Annotations"] = image.Manifest.Annotations is { } ann ? new JsonObject(ann.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) : null,
            ["Layers"] = new JsonArray(image.Layers.Select(l => (JsonNode)l.Descriptor.Digest.ToString()!).ToArray()),
            ["LayersData"] = new JsonArray(image.Layers.Select(l => (JsonNode)new JsonObject
            {
                ["MIMEType"] = l.Descriptor.MediaType, ["Digest"] = l.Descriptor.Digest.ToString(), ["Size"] = l.Descriptor.Size,
            }).ToArray()),
            ["Env"] = config.Config?.Env is { } env ? new JsonArray(env.Select(e => (JsonNode)e!).ToArray()) : null,
        };
        Console.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return 0;
    }
}

internal static class TagsCommand
{
    public static async Task<int> RunAsync(CommandLine c, CancellationToken ct)
    {
        var arg = c.Positional(0, "a repository, docker://HOST/REPO");
        c.ExpectPositionals(1);
        if (ImageLocation.Parse(ImageReference.TransportPrefix + ImageReference.WithoutTransport(arg)) is not RegistryLocation r)
            throw new UsageException("tags works on registries: docker://HOST/REPO");
        using var session = RegistryOptions.Session(c, r);
        var tags = await session.Client(r.Reference.Registry).ListTagsAsync(r.Reference.Repository, ct);
        var o = new JsonObject { ["Repository"] = r.Reference.Name, ["Tags"] = new JsonArray(tags.Select(t => (JsonNode)t!).ToArray()) };
        Console.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
