using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// An image with every layer in one compression (<c>slipway copy --recompress</c>): each layer's tar is kept
/// byte for byte, so the config and its diffIDs stay identical (checked per layer) while layer digests, media
/// types and therefore the manifest digest change. Layers already in the wanted compression are kept as they are.
/// </summary>
public static class Recompression
{
    public static async Task<OciImage> RecompressAsync(OciImage image, LayerOptions options, string? cacheDirectory, CancellationToken cancellationToken)
    {
        var target = MediaTypes.OciLayerFor(options.Compression);
        var config = await ReadConfigAsync(image.Config, cancellationToken);
        if (config.RootFs.DiffIds.Count != image.Layers.Count)
            throw new InvalidDataException($"image {image.Digest}: its config lists {config.RootFs.DiffIds.Count} diff_ids for {image.Layers.Count} layers");
        var layers = new List<IBlob>(image.Layers.Count);
        var changed = false;
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            if (layer.Descriptor.MediaType == target || !IsTarLayer(layer.Descriptor.MediaType)) { layers.Add(layer); continue; }
            layers.Add(await RecompressedLayerBlob.FromLayerAsync(layer, config.RootFs.DiffIds[i], options, cacheDirectory, cancellationToken));
            changed = true;
        }
        if (!changed && image.ManifestMediaType == MediaTypes.OciManifest) return image;
        // zstd has no Docker schema-2 media type, so the result is always an OCI manifest; the config bytes are
        // kept (its digest too), only its descriptor takes the OCI media type, as skopeo's conversion does.
        var configDescriptor = image.Config.Descriptor with { MediaType = MediaTypes.OciConfig };
        var manifest = image.Manifest with
        {
            MediaType = MediaTypes.OciManifest,
            Config = configDescriptor,
            Layers = layers.Select(l => l.Descriptor).ToList(),
        };
        return new OciImage(OciJson.Serialize(manifest), MediaTypes.OciManifest, new RetypedBlob(image.Config, configDescriptor), layers);
    }

    private static bool IsTarLayer(string mediaType) => mediaType is MediaTypes.OciLayer or MediaTypes.OciLayerGzip or MediaTypes.OciLayerZstd
        or MediaTypes.DockerLayerGzip;

    private static async Task<ImageConfig> ReadConfigAsync(IBlob config, CancellationToken ct)
    {
        await using var s = await config.OpenReadAsync(ct);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, ct);
        return OciJson.Deserialize<ImageConfig>(ms.ToArray(), $"config {config.Descriptor.Digest}");
    }

    /// <summary>The same bytes under another descriptor media type (and the same origin, so mounts still work).</summary>
    private sealed class RetypedBlob(IBlob inner, Descriptor descriptor) : IBlob
    {
        public Descriptor Descriptor => descriptor;
        public BlobOrigin? Origin => inner.Origin;
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) => inner.OpenReadAsync(cancellationToken);
    }
}
