using System.IO.Pipelines;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// Digests of layers made before, so a layer whose inputs did not change is not compressed again just to learn
/// its digest: one small JSON file per key (the key names the inputs and <see cref="LayerOptions.EncodingKey"/>),
/// written atomically. A missing or damaged entry is simply recomputed by the caller.
/// </summary>
public static class LayerDigestCache
{
    public static LayerDigests? Lookup(string? directory, string key)
    {
        if (directory is null) return null;
        var file = FileFor(directory, key);
        if (!File.Exists(file)) return null;
        try
        {
            var r = OciJson.Deserialize<LayerCacheRecord>(File.ReadAllBytes(file), file);
            return new LayerDigests(r.DiffId, r.Digest, r.Size, r.MediaType);
        }
        catch (InvalidDataException) { return null; }
    }

    public static void Store(string? directory, string key, LayerDigests digests)
    {
        if (directory is null) return;
        Directory.CreateDirectory(directory);
        var file = FileFor(directory, key);
        var tmp = file + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(tmp, OciJson.Serialize(new LayerCacheRecord(digests.DiffId, digests.Digest, digests.Size, digests.MediaType)));
        File.Move(tmp, file, overwrite: true);
    }

    private static string FileFor(string directory, string key) =>
        Path.Combine(directory, Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(key)).Hex + ".json");

    /// <summary>
    /// Streams a layer whose digest was computed earlier by writing it again through <paramref name="write"/>, with
    /// back-pressure (the writer pauses 4 MiB ahead of the reader, so memory stays flat). If the bytes come out
    /// different, the reader gets <paramref name="changed"/>'s error instead of a blob that fails its digest later.
    /// </summary>
    public static Stream Regenerate(Func<Stream, CancellationToken, Task<LayerDigests>> write, LayerDigests expected,
        Func<Digest, string> changed, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
        _ = Task.Run(async () =>
        {
            try
            {
                var written = await write(pipe.Writer.AsStream(), cancellationToken);
                if (written.Digest != expected.Digest) throw new InvalidDataException(changed(written.Digest));
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
            }
        }, cancellationToken);
        return pipe.Reader.AsStream();
    }
}

/// <summary>What a layer cache entry records.</summary>
internal sealed record LayerCacheRecord(Digest DiffId, Digest Digest, long Size, string MediaType);
