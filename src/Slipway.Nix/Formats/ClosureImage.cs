using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Nix.Layers;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Nix.Formats;

/// <summary>
/// What <c>nix/image.nix</c> writes: the image's closure (every store path with its references, from
/// <c>exportReferencesGraph</c>), the OCI config, the paths whose trees go to the image root, and the layer budget.
/// Slipway groups the closure into layers by popularity and streams them from the store.
/// </summary>
public sealed record ClosureImage
{
    public const int FormatVersion = 1;

    [JsonPropertyName("slipwayImage")] public int SlipwayImage { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("maxLayers")] public int MaxLayers { get; init; } = 50;
    [JsonPropertyName("arch")] public string? Arch { get; init; }
    [JsonPropertyName("created")] public string? Created { get; init; }
    /// <summary>The helper path that only exists to collect references; not part of the image.</summary>
    [JsonPropertyName("roots")] public string? Roots { get; init; }
    [JsonPropertyName("config")] public ContainerConfig? Config { get; init; }
    [JsonPropertyName("copyToRoot")] public IReadOnlyList<string> CopyToRoot { get; init; } = [];
    [JsonPropertyName("closure")] public IReadOnlyList<ClosureNode> Closure { get; init; } = [];

    public static bool Looks(JsonElement root) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("slipwayImage", out _);

    public static ClosureImage Parse(byte[] json, string file)
    {
        var image = Nix2ContainerImage.Deserialize<ClosureImage>(json, file);
        if (image.SlipwayImage != FormatVersion)
            throw new InvalidDataException($"{file}: Slipway image JSON version {image.SlipwayImage} is not supported (expected {FormatVersion}); use the nix/image.nix of this Slipway version");
        if (image.MaxLayers is < 1 or > 125)
            throw new InvalidDataException($"{file}: maxLayers = {image.MaxLayers} must be between 1 and 125 (registries and overlayfs limit layer counts)");
        return image;
    }

    /// <summary>
    /// Groups store paths into at most <see cref="MaxLayers"/> layers: the most popular paths (those the most other
    /// paths depend on, like glibc) get a layer each so they are shared between images; the rest share the last
    /// one. Ties break by the name after the hash, so a rebuilt path keeps its place.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> PlanLayers()
    {
        var nodes = Closure.Where(n => n.Path != Roots).ToDictionary(n => n.Path, StringComparer.Ordinal);
        var popularity = Popularity(nodes);
        var ordered = nodes.Keys
            .OrderByDescending(p => popularity[p])
            .ThenBy(NixStore.NameOf, StringComparer.Ordinal)
            .ThenBy(p => p, StringComparer.Ordinal)
            .ToList();
        var groups = new List<IReadOnlyList<string>>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (groups.Count == MaxLayers - 1) { groups.Add(ordered.Skip(i).ToList()); break; }
            groups.Add([ordered[i]]);
        }
        return groups;
    }

    /// <summary>How many closure paths reach each path (itself included), through references.</summary>
    internal static Dictionary<string, int> Popularity(IReadOnlyDictionary<string, ClosureNode> nodes)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in nodes.Keys) result[path] = 0;
        foreach (var start in nodes.Keys)
        {
            // Each path counts once for everything it (transitively) references.
            var seen = new HashSet<string>(StringComparer.Ordinal) { start };
            var stack = new Stack<string>([start]);
            while (stack.Count > 0)
                foreach (var r in nodes.TryGetValue(stack.Pop(), out var n) ? n.References : [])
                    if (nodes.ContainsKey(r) && seen.Add(r)) stack.Push(r);
            foreach (var p in seen) result[p]++;
        }
        return result;
    }

    public async Task<OciImage> ToOciImageAsync(StoreLayers store, CancellationToken cancellationToken)
    {
        var copyToRoot = CopyToRoot.ToHashSet(StringComparer.Ordinal);
        var layers = new List<(IBlob, Digest)>();
        foreach (var group in PlanLayers())
        {
            var specs = new List<StorePathSpec>();
            foreach (var path in group)
            {
                specs.Add(new StorePathSpec(path));
                // Root contents travel in the same layer as their store path: a change touches one layer only.
                if (copyToRoot.Contains(path))
                    specs.Add(new StorePathSpec(path) { RewriteRegex = "^" + System.Text.RegularExpressions.Regex.Escape(path), RewriteReplacement = "" });
            }
            var blob = await store.CreateAsync(specs, cancellationToken);
            layers.Add((blob, blob.DiffId));
        }
        return StoreImage.Assemble(Config, Arch, Created, layers);
    }
}

public sealed record ClosureNode
{
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("references")] public IReadOnlyList<string> References { get; init; } = [];
}
