using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// A layer read from somewhere else (a docker-archive, a Nix stream script, another registry's blob) and
/// compressed on the fly with <see cref="LayerOptions"/>: gzip → zstd, zstd → gzip, tar → either. The tar inside
/// is unchanged, so the diffID (and the image config) stay the same; only the blob digest differs.
/// </summary>
public sealed class RecompressedLayerBlob : IBlob
{
    private readonly Func<CancellationToken, Task<Stream>> _openTar;
    private readonly LayerOptions _options;

    private RecompressedLayerBlob(Func<CancellationToken, Task<Stream>> openTar, LayerOptions options, LayerDigests digests)
    {
        _openTar = openTar;
        _options = options;
        Digests = digests;
        Descriptor = new Descriptor { MediaType = digests.MediaType, Digest = digests.Digest, Size = digests.Size };
    }

    public Descriptor Descriptor { get; }
    public LayerDigests Digests { get; }

    /// <summary>
    /// Digests come from the cache when the uncompressed digest (<paramref name="diffId"/>) is known and was seen
    /// before — the compressed bytes are a pure function of it and the options — else from one compress pass.
    /// </summary>
    public static async Task<RecompressedLayerBlob> CreateAsync(Func<CancellationToken, Task<Stream>> openTar, LayerOptions options,
        Digest? diffId, string? cacheDirectory, CancellationToken cancellationToken)
    {
        if (diffId is { } d && Lookup(cacheDirectory, d, options) is { } cached)
            return new RecompressedLayerBlob(openTar, options, cached);
        LayerDigests digests;
        await using (var tar = await openTar(cancellationToken))
            digests = await TarCompressor.DigestAsync(tar, options, cancellationToken);
        if (diffId is { } expected && digests.DiffId != expected)
            throw new InvalidDataException($"layer content has digest {digests.DiffId} but its config says {expected}");
        Store(cacheDirectory, digests, options);
        return new RecompressedLayerBlob(openTar, options, digests);
    }

    /// <summary>
    /// <paramref name="layer"/> (any layer media type) decompressed and compressed again. Its diffID, when the
    /// caller knows it (from the image config), names the cache entry and is checked against the tar.
    /// </summary>
    public static Task<RecompressedLayerBlob> FromLayerAsync(IBlob layer, Digest? diffId, LayerOptions options, string? cacheDirectory,
        CancellationToken cancellationToken)
    {
        var compression = MediaTypes.CompressionOf(layer.Descriptor.MediaType);
        return CreateAsync(async ct => LayerCompressors.Decompress(await layer.OpenReadAsync(ct), compression), options,
            diffId ?? (compression == LayerCompression.None ? layer.Descriptor.Digest : null), cacheDirectory, cancellationToken);
    }

    /// <summary>Wraps digests that were already computed (e.g. while reading a stream once).</summary>
    public static RecompressedLayerBlob FromDigests(Func<CancellationToken, Task<Stream>> openTar, LayerOptions options, LayerDigests digests) =>
        new(openTar, options, digests);

    // The compressed bytes are a pure function of the tar (named by its diffID) and the encoding.
    public static LayerDigests? Lookup(string? cacheDirectory, Digest diffId, LayerOptions options) =>
        LayerDigestCache.Lookup(cacheDirectory, CacheKey(diffId, options));

    public static void Store(string? cacheDirectory, LayerDigests digests, LayerOptions options) =>
        LayerDigestCache.Store(cacheDirectory, CacheKey(digests.DiffId, options), digests);

    private static string CacheKey(Digest diffId, LayerOptions o) => $"recompressed\n{diffId}\n{o.EncodingKey}";

    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(LayerDigestCache.Regenerate(async (sink, ct) =>
            {
                await using var tar = await _openTar(ct);
                return await TarCompressor.CompressAsync(tar, sink, _options, ct);
            }, Digests,
            regenerated => $"layer {Digests.DiffId} regenerated as {regenerated}, expected {Digests.Digest}: its source changed",
            cancellationToken));
}
