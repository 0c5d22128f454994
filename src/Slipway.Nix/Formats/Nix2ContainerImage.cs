using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Nix.Layers;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Nix.Formats;

/// <summary>
/// The image JSON nix2container's <c>buildImage</c> writes (types.Image, version 1): the OCI image config, and per
/// layer the store paths it holds with rewrite/perm options, plus digests of nix2container's own uncompressed tar.
/// </summary>
public sealed record Nix2ContainerImage
{
    [JsonPropertyName("version")] public int Version { get; init; }
    [JsonPropertyName("image-config")] public ContainerConfig? ImageConfig { get; init; }
    [JsonPropertyName("layers")] public IReadOnlyList<Nix2ContainerLayer> Layers { get; init; } = [];
    [JsonPropertyName("arch")] public string? Arch { get; init; }
    [JsonPropertyName("created")] public string? Created { get; init; }

    public static bool Looks(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("layers", out _) &&
        (root.TryGetProperty("image-config", out _) || root.TryGetProperty("version", out _));

    public static Nix2ContainerImage Parse(byte[] json, string file)
    {
        var image = Deserialize<Nix2ContainerImage>(json, file);
        if (image.Version != 1)
            throw new InvalidDataException($"{file}: nix2container image JSON version {image.Version} is not supported (Slipway reads version 1); update Slipway or pin nix2container");
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var l = image.Layers[i];
            if (l.Paths is not { Count: > 0 } && string.IsNullOrEmpty(l.LayerPath))
                throw new InvalidDataException($"{file}: layer {i} has neither 'paths' nor 'layer-path'");
        }
        return image;
    }

    internal static readonly JsonSerializerOptions ReadOptions = new(OciJson.Options) { PropertyNameCaseInsensitive = true };

    internal static T Deserialize<T>(byte[] json, string file)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ReadOptions) ?? throw new InvalidDataException($"{file} is 'null'");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not a valid {typeof(T).Name} JSON: {e.Message}", e);
        }
    }

    /// <summary>Our image from it: the same paths, but our deterministic compressed layers and a config that matches them.</summary>
    public async Task<OciImage> ToOciImageAsync(StoreLayers store, string file, CancellationToken cancellationToken)
    {
        var layers = new List<(IBlob Blob, Digest DiffId)>();
        foreach (var (layer, i) in Layers.Select((l, i) => (l, i)))
        {
            if (layer.Paths is { Count: > 0 } paths)
            {
                var blob = await store.CreateAsync(paths.Select(p => p.ToSpec()).ToList(), cancellationToken);
                layers.Add((blob, blob.DiffId));
            }
            else
            {
                // A tarball nix2container wrote to the store (non-reproducible paths, fromImage layers): sent as is.
                if (!Digest.TryParse(layer.Digest, out var digest, out var err)) throw new InvalidDataException($"{file}: layer {i}: {err}");
                if (!Digest.TryParse(layer.DiffIds, out var diffId, out err)) throw new InvalidDataException($"{file}: layer {i} diff_ids: {err}");
                var size = layer.Size > 0 ? layer.Size : new FileInfo(layer.LayerPath!).Length;
                layers.Add((new FileBlob(new Descriptor { MediaType = layer.MediaType ?? MediaTypes.OciLayer, Digest = digest, Size = size }, layer.LayerPath!), diffId));
            }
        }
        return StoreImage.Assemble(ImageConfig, Arch, Created, layers, Layers.Select(l => l.History).ToList());
    }
}

public sealed record Nix2ContainerLayer
{
    [JsonPropertyName("digest")] public string? Digest { get; init; }
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("diff_ids")] public string? DiffIds { get; init; }
    [JsonPropertyName("paths")] public IReadOnlyList<Nix2ContainerPath>? Paths { get; init; }
    [JsonPropertyName("mediatype")] public string? MediaType { get; init; }
    [JsonPropertyName("layer-path")] public string? LayerPath { get; init; }
    [JsonPropertyName("history")] public HistoryEntry? History { get; init; }
}

public sealed record Nix2ContainerPath
{
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("options")] public Nix2ContainerPathOptions? Options { get; init; }

    public StorePathSpec ToSpec() => new(Path)
    {
        RewriteRegex = Options?.Rewrite?.Regex is { Length: > 0 } r ? r : null,
        RewriteReplacement = Options?.Rewrite?.Repl ?? "",
        Perms = Options?.Perms?.Select(p => new PermRule(p.Regex, ParseMode(p.Mode), p.Uid, p.Gid)).ToList() ?? [],
    };

    private static int? ParseMode(string? mode)
    {
        if (string.IsNullOrEmpty(mode)) return null;
        try { return Convert.ToInt32(mode, 8); }
        catch (FormatException) { throw new InvalidDataException($"perms mode '{mode}' is not an octal number like \"0755\""); }
    }
}

public sealed record Nix2ContainerPathOptions
{
    [JsonPropertyName("rewrite")] public Nix2ContainerRewrite? Rewrite { get; init; }
    [JsonPropertyName("perms")] public IReadOnlyList<Nix2ContainerPerm>? Perms { get; init; }
}

public sealed record Nix2ContainerRewrite
{
    [JsonPropertyName("regex")] public string? Regex { get; init; }
    [JsonPropertyName("repl")] public string? Repl { get; init; }
}

public sealed record Nix2ContainerPerm
{
    [JsonPropertyName("regex")] public required string Regex { get; init; }
    [JsonPropertyName("mode")] public string? Mode { get; init; }
    [JsonPropertyName("uid")] public int Uid { get; init; }
    [JsonPropertyName("gid")] public int Gid { get; init; }
}
