using System.Text.Json;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;

namespace Slipway.Source.Imaging;

/// <summary>A written layer: its digests, the file that holds its bytes and what it is (for the history).</summary>
public sealed record WrittenLayer(LayerDigests Digests, string Path, string What);

/// <summary>
/// The dependency layer of a plan with no build step, kept by the install's key. When the lockfile is unchanged
/// and nothing is built, a rebuild needs no build container at all: this layer plus an app layer written straight
/// from the sources. Kept only for installs that wrote nothing outside the dependency paths (checked when it is
/// stored), so the app layer from the sources equals the one from the container. One entry per key, replaced in
/// place: the cache grows with distinct lockfiles, not with builds.
/// </summary>
public sealed class DependencyLayerCache(string directory)
{
    private sealed record Entry(bool Empty, string? DiffId, string? Digest, long Size, string? MediaType, string? What);

    /// <summary>The entry name: the install key and the layer encoder (so another encoder never reuses these bytes).</summary>
    public static string Name(string installKey, LayerOptions layerOptions) =>
        installKey[..40] + "-" + Oci.Model.Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(layerOptions.EncodingKey)).Hex[..12];

    /// <summary>The cached layer, copied into <paramref name="layersDir"/>; Hit with a null layer = the install left no dependency files.</summary>
    public (bool Hit, WrittenLayer? Layer) TryGet(string name, string layersDir)
    {
        var meta = Path.Combine(directory, name + ".json");
        if (!File.Exists(meta)) return (false, null);
        try
        {
            var e = JsonSerializer.Deserialize<Entry>(File.ReadAllText(meta));
            if (e is null) return (false, null);
            if (e.Empty) return (true, null);
            var blob = Path.Combine(directory, name + ".layer");
            var digest = Oci.Model.Digest.Parse(e.Digest!);
            if (!File.Exists(blob) || new FileInfo(blob).Length != e.Size) return (false, null);
            var local = Path.Combine(layersDir, digest.Hex);
            Copy(blob, local);
            return (true, new WrittenLayer(new LayerDigests(Oci.Model.Digest.Parse(e.DiffId!), digest, e.Size, e.MediaType!), local, e.What!));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException or ArgumentException)
        {
            return (false, null); // a damaged entry is a miss; the next store replaces it
        }
    }

    public void Put(string name, WrittenLayer? layer)
    {
        Directory.CreateDirectory(directory);
        if (layer is not null) Copy(layer.Path, Path.Combine(directory, name + ".layer"));
        var e = layer is null
            ? new Entry(true, null, null, 0, null, null)
            : new Entry(false, layer.Digests.DiffId.ToString(), layer.Digests.Digest.ToString(), layer.Digests.Size, layer.Digests.MediaType, layer.What);
        // The metadata goes last and by rename: a reader sees a whole entry or none.
        var tmp = Path.Combine(directory, $"{name}.{Environment.ProcessId}.tmp");
        File.WriteAllText(tmp, JsonSerializer.Serialize(e));
        File.Move(tmp, Path.Combine(directory, name + ".json"), overwrite: true);
    }

    /// <summary>A copy through a temp name and a rename (a compressed layer: cheap next to any install).</summary>
    private static void Copy(string from, string to)
    {
        var tmp = to + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.Copy(from, tmp, overwrite: true);
        File.Move(tmp, to, overwrite: true);
    }
}
