using System.IO.Pipelines;
using System.Text.Json;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// A layer that is never stored: its digests come from one compress pass into a hashing sink (or from a small
/// cache entry when the caller can name the inputs immutably, e.g. Nix store paths), and every
/// <see cref="OpenReadAsync"/> regenerates the identical bytes through a pipe while the reader consumes them.
/// </summary>
public sealed class StreamedLayerBlob : IBlob
{
    private readonly Func<IEnumerable<LayerEntry>> _entries;
    private readonly LayerOptions _options;

    private StreamedLayerBlob(Func<IEnumerable<LayerEntry>> entries, LayerOptions options, LayerDigests digests)
    {
        _entries = entries;
        _options = options;
        Digests = digests;
        Descriptor = new Descriptor { MediaType = digests.MediaType, Digest = digests.Digest, Size = digests.Size };
    }

    public Descriptor Descriptor { get; }
    public LayerDigests Digests { get; }
    public Digest DiffId => Digests.DiffId;

    public static async Task<StreamedLayerBlob> CreateAsync(Func<IEnumerable<LayerEntry>> entries, LayerOptions options,
        string? cacheKey = null, string? cacheDirectory = null, CancellationToken cancellationToken = default)
    {
        string? cacheFile = null;
        if (cacheKey is not null && cacheDirectory is not null)
        {
            var keyHash = Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(
                $"{cacheKey}\n{options.EncodingKey}\n{options.ResolveTimestamp()}\n{options.NormalizeModes}"));
            cacheFile = Path.Combine(cacheDirectory, keyHash.Hex + ".json");
            if (File.Exists(cacheFile))
            {
                try
                {
                    var cached = OciJson.Deserialize<LayerCacheRecord>(await File.ReadAllBytesAsync(cacheFile, cancellationToken), cacheFile);
                    if (cached is not null)
                        return new StreamedLayerBlob(entries, options, new LayerDigests(cached.DiffId, cached.Digest, cached.Size, cached.MediaType));
                }
                catch (InvalidDataException) { /* a damaged cache entry is recomputed */ }
            }
        }
        var digests = await LayerWriter.WriteAsync(entries(), new NullWriteStream(), options, cancellationToken);
        if (cacheFile is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            var tmp = cacheFile + "." + Environment.ProcessId + ".tmp";
            await File.WriteAllBytesAsync(tmp, OciJson.Serialize(new LayerCacheRecord(digests.DiffId, digests.Digest, digests.Size, digests.MediaType)), cancellationToken);
            File.Move(tmp, cacheFile, overwrite: true);
        }
        return new StreamedLayerBlob(entries, options, digests);
    }

    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken)
    {
        // Back-pressure keeps memory flat: the writer pauses when the reader is 4 MiB behind.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
        _ = Task.Run(async () =>
        {
            var writer = pipe.Writer.AsStream();
            try
            {
                var written = await LayerWriter.WriteAsync(_entries(), writer, _options, cancellationToken);
                if (written.Digest != Digests.Digest)
                    throw new InvalidDataException($"layer inputs changed since its digest was computed: expected {Digests.Digest}, regenerated {written.Digest}");
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
            }
        }, cancellationToken);
        return Task.FromResult(pipe.Reader.AsStream());
    }

}

/// <summary>What a layer cache file next to a built layer records.</summary>
internal sealed record LayerCacheRecord(Digest DiffId, Digest Digest, long Size, string MediaType);
