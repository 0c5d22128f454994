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
        var key = cacheKey is null ? null : $"{cacheKey}\n{options.EncodingKey}\n{options.ResolveTimestamp()}\n{options.NormalizeModes}";
        if (key is not null && LayerDigestCache.Lookup(cacheDirectory, key) is { } cached)
            return new StreamedLayerBlob(entries, options, cached);
        var digests = await LayerWriter.WriteAsync(entries(), new NullWriteStream(), options, cancellationToken);
        if (key is not null) LayerDigestCache.Store(cacheDirectory, key, digests);
        return new StreamedLayerBlob(entries, options, digests);
    }

    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(LayerDigestCache.Regenerate((sink, ct) => LayerWriter.WriteAsync(_entries(), sink, _options, ct), Digests,
            regenerated => $"layer inputs changed since its digest was computed: expected {Digests.Digest}, regenerated {regenerated}",
            cancellationToken));
}
