using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Images.Pipeline;

/// <summary>The traceability metadata every image gets, whatever method built it.</summary>
public sealed record ImageMetadata(string? Source, string Revision, string Version, string Created, Digest InputHash)
{
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Annotations.Revision] = Revision,
            [Annotations.Version] = Version,
            [Annotations.Created] = Created,
            [Annotations.InputHash] = InputHash.ToString(),
        };
        if (!string.IsNullOrEmpty(Source)) d[Annotations.Source] = Source;
        return d;
    }
}

/// <summary>
/// Rewrites an image's config (labels, <c>created</c>) and manifest (annotations, config descriptor) and keeps
/// every layer as it is: only the two small JSON documents are read, never a layer. Docker schema-2 images
/// become OCI manifests on the way (same layer bytes, OCI media types), since schema 2 has no annotations.
/// </summary>
public static class MetadataStamper
{
    private const int MaxConfigBytes = 8 << 20;

    public static Task<OciImage> StampAsync(OciImage image, ImageMetadata metadata, CancellationToken cancellationToken) =>
        StampAsync(image, metadata.ToDictionary(), metadata.Created, cancellationToken);

    /// <summary>Sets <paramref name="values"/> as config labels and manifest annotations and <paramref name="created"/> as the config's time.</summary>
    public static async Task<OciImage> StampAsync(OciImage image, IReadOnlyDictionary<string, string> values, string created, CancellationToken cancellationToken)
    {
        if (MediaTypes.IsIndex(image.ManifestMediaType))
            throw new InvalidDataException("an image index cannot be stamped as one image; the method must hand over one manifest per platform");

        // Config: labels are what `docker inspect` and `podman inspect` show; created is the commit time so a
        // rebuild of the same commit gives the same config.
        var configBytes = await ReadSmallAsync(image.Config, cancellationToken);
        var config = OciJson.Deserialize<ImageConfig>(configBytes, "image config");
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in config.Config?.Labels ?? new Dictionary<string, string>()) labels[k] = v;
        foreach (var (k, v) in values) labels[k] = v;
        var stampedConfig = config with
        {
            Created = created,
            Config = (config.Config ?? new ContainerConfig()) with { Labels = labels },
        };
        var newConfigBytes = OciJson.Serialize(stampedConfig);
        var configBlob = new BytesBlob(MediaTypes.OciConfig, newConfigBytes);

        // Manifest: annotations are what registries, skopeo and `dev.slipway.input-hash` lookups read.
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in image.Manifest.Annotations ?? new Dictionary<string, string>()) annotations[k] = v;
        foreach (var (k, v) in values) annotations[k] = v;
        var layers = image.Layers.Select((blob, i) => Retype(blob, image.Manifest.Layers[i])).ToList();
        var manifest = image.Manifest with
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = configBlob.Descriptor,
            Layers = layers.Select(l => l.Descriptor).ToList(),
            Annotations = annotations,
        };
        return new OciImage(OciJson.Serialize(manifest), MediaTypes.OciManifest, configBlob, layers);
    }

    /// <summary>The manifest annotations of raw manifest bytes (empty when there are none or it is an index).</summary>
    public static IReadOnlyDictionary<string, string> AnnotationsOf(byte[] manifestBytes)
    {
        try
        {
            var mediaType = OciJson.SniffMediaType(manifestBytes, MediaTypes.OciManifest);
            if (MediaTypes.IsIndex(mediaType))
                return OciJson.Deserialize<ImageIndex>(manifestBytes, "image index").Annotations ?? new Dictionary<string, string>();
            return OciJson.Deserialize<ImageManifest>(manifestBytes, "image manifest").Annotations ?? new Dictionary<string, string>();
        }
        catch (InvalidDataException)
        {
            return new Dictionary<string, string>();
        }
    }

    private static async Task<byte[]> ReadSmallAsync(IBlob blob, CancellationToken cancellationToken)
    {
        if (blob is BytesBlob bytes) return bytes.Content.ToArray();
        if (blob.Descriptor.Size > MaxConfigBytes)
            throw new InvalidDataException($"image config {blob.Descriptor.Digest} is {blob.Descriptor.Size} bytes; configs over {MaxConfigBytes} bytes are not accepted");
        await using var stream = await blob.OpenReadAsync(cancellationToken);
        using var buffer = new MemoryStream((int)blob.Descriptor.Size);
        await stream.CopyToAsync(buffer, cancellationToken);
        var data = buffer.ToArray();
        if (Digest.Sha256(data) != blob.Descriptor.Digest)
            throw new InvalidDataException($"image config does not match its digest {blob.Descriptor.Digest}");
        return data;
    }

    /// <summary>Same bytes, OCI media type: Docker's gzip layer type maps one to one onto OCI's.</summary>
    private static IBlob Retype(IBlob blob, Descriptor inManifest)
    {
        var mediaType = inManifest.MediaType switch
        {
            MediaTypes.DockerLayerGzip => MediaTypes.OciLayerGzip,
            _ => inManifest.MediaType,
        };
        var descriptor = inManifest with { MediaType = mediaType };
        return descriptor == blob.Descriptor ? blob : new RetypedBlob(blob, descriptor);
    }

    private sealed class RetypedBlob(IBlob inner, Descriptor descriptor) : IBlob
    {
        public Descriptor Descriptor { get; } = descriptor;
        public BlobOrigin? Origin => inner.Origin;
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) => inner.OpenReadAsync(cancellationToken);
    }
}
