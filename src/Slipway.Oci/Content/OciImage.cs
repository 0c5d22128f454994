using Slipway.Oci.Model;

namespace Slipway.Oci.Content;

/// <summary>
/// One single-platform image ready to publish: the exact manifest bytes (their sha256 is the image digest),
/// its config and its layers as streamable blobs. Every build method ends in one of these.
/// </summary>
public sealed class OciImage
{
    public OciImage(byte[] manifestBytes, string manifestMediaType, IBlob config, IReadOnlyList<IBlob> layers)
    {
        ManifestBytes = manifestBytes;
        ManifestMediaType = manifestMediaType;
        Digest = Digest.Sha256(manifestBytes);
        Config = config;
        Layers = layers;
        Manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, "image manifest");
        if (Manifest.Config.Digest != config.Descriptor.Digest)
            throw new InvalidDataException($"manifest names config {Manifest.Config.Digest} but {config.Descriptor.Digest} was given");
        if (Manifest.Layers.Count != layers.Count)
            throw new InvalidDataException($"manifest names {Manifest.Layers.Count} layers but {layers.Count} were given");
        for (var i = 0; i < layers.Count; i++)
            if (Manifest.Layers[i].Digest != layers[i].Descriptor.Digest)
                throw new InvalidDataException($"manifest layer {i} is {Manifest.Layers[i].Digest} but {layers[i].Descriptor.Digest} was given");
    }

    public byte[] ManifestBytes { get; }
    public string ManifestMediaType { get; }
    public Digest Digest { get; }
    public ImageManifest Manifest { get; }
    public IBlob Config { get; }
    public IReadOnlyList<IBlob> Layers { get; }

    public Descriptor ManifestDescriptor => new() { MediaType = ManifestMediaType, Digest = Digest, Size = ManifestBytes.Length };

    /// <summary>Config first, then layers: the order blobs must exist in before the manifest is accepted.</summary>
    public IEnumerable<IBlob> Blobs => Layers.Prepend(Config);

    /// <summary>Builds an OCI manifest over a config and layers, with optional manifest annotations.</summary>
    public static OciImage Create(ImageConfig config, IReadOnlyList<IBlob> layers, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var configBytes = OciJson.Serialize(config);
        var configBlob = new BytesBlob(MediaTypes.OciConfig, configBytes);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = configBlob.Descriptor,
            Layers = layers.Select(l => l.Descriptor).ToList(),
            Annotations = annotations is { Count: > 0 } ? new SortedDictionary<string, string>((IDictionary<string, string>)annotations.ToDictionary(), StringComparer.Ordinal) : null,
        };
        return new OciImage(OciJson.Serialize(manifest), MediaTypes.OciManifest, configBlob, layers);
    }
}
