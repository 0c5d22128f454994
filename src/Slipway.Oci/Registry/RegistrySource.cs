using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Registry;

/// <summary>Reads images from a registry: tag → manifest (index narrowed to a platform) → streamed, verified blobs.</summary>
public sealed class RegistrySource(RegistrySession session)
{
    public async Task<OciImage> ReadImageAsync(ImageReference reference, Platform? platform, CancellationToken cancellationToken)
    {
        var client = session.Client(reference.Registry);
        var repo = reference.Repository;
        var (bytes, mediaType) = await client.GetManifestAsync(repo, reference.Reference, cancellationToken);
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = OciJson.Deserialize<ImageIndex>(bytes, $"index of {reference}");
            var chosen = PlatformSelector.Select(index, platform ?? Platform.Current, reference.ToString());
            (bytes, mediaType) = await client.GetManifestAsync(repo, chosen.Digest.ToString(), cancellationToken);
        }
        if (!MediaTypes.IsManifest(mediaType))
            throw new RegistryException($"{reference} is a '{mediaType}', not an image manifest");
        var manifest = OciJson.Deserialize<ImageManifest>(bytes, $"manifest of {reference}");
        var origin = new BlobOrigin(reference.Registry, repo);
        IBlob Blob(Descriptor d) => new RegistryBlob(client, repo, d, origin);
        return new OciImage(bytes, mediaType, Blob(manifest.Config), manifest.Layers.Select(Blob).ToList());
    }

    private sealed class RegistryBlob(RegistryClient client, string repository, Descriptor descriptor, BlobOrigin origin) : IBlob
    {
        public Descriptor Descriptor => descriptor;
        public BlobOrigin? Origin => origin;
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) => client.GetBlobAsync(repository, descriptor, cancellationToken);
    }
}
