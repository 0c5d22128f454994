using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Publishing;

/// <summary>
/// Where one image repository is published: a registry repository (<c>docker://host/repo</c>) or an OCI image
/// layout (<c>oci:DIR</c>). Every build method hands its <see cref="OciImage"/> to one of these.
/// </summary>
public interface IImageDestination
{
    /// <summary>Transport-qualified name for logs and reports, e.g. <c>docker://127.0.0.1:5000/team/app</c>.</summary>
    string Name { get; }

    /// <summary>The manifest a tag points at, or null when the tag does not exist.</summary>
    Task<Descriptor?> ResolveTagAsync(string tag, CancellationToken cancellationToken);

    /// <summary>The raw manifest bytes for a digest, or null when absent.</summary>
    Task<byte[]?> GetManifestAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Pushes blobs that are missing, then the manifest by digest, then (only once that is in) each tag.
    /// A failure before the manifest is in leaves every tag where it was.
    /// </summary>
    Task<PublishResult> PublishAsync(OciImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// A multi-platform image: every platform's image by digest (blobs, then its manifest), then the index by
    /// digest, then (only once all of that is in) each tag. The result's digest is the index's.
    /// </summary>
    Task<PublishResult> PublishIndexAsync(OciImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Points more tags at a manifest that is already at this destination (no blob is touched).</summary>
    Task TagAsync(Digest manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken);
}

/// <summary>What a publish did: the digest it landed and how much it had to send.</summary>
public sealed record PublishResult(
    string Destination,
    Digest Digest,
    IReadOnlyList<string> Tags,
    int BlobsUploaded,
    int BlobsSkipped,
    int BlobsMounted,
    long BytesUploaded);

/// <summary>The part of publishing an image index that is the same at every destination.</summary>
internal static class IndexPublishing
{
    /// <summary>
    /// Checks the tags, then publishes each platform's image by digest (no tag), one after the other; the result
    /// names the index and sums the images' blob counts. The caller then writes the index and moves the tags.
    /// </summary>
    public static async Task<PublishResult> PublishImagesAsync(IImageDestination destination, OciImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
            if (ImageReference.ExplainInvalidTag(tag) is { } error) throw new ArgumentException(error);
        var total = new PublishResult(destination.Name, index.Digest, tags, 0, 0, 0, 0);
        foreach (var (_, image) in index.Images)
        {
            var r = await destination.PublishAsync(image, [], cancellationToken);
            total = total with
            {
                BlobsUploaded = total.BlobsUploaded + r.BlobsUploaded, BlobsSkipped = total.BlobsSkipped + r.BlobsSkipped,
                BlobsMounted = total.BlobsMounted + r.BlobsMounted, BytesUploaded = total.BytesUploaded + r.BytesUploaded,
            };
        }
        return total;
    }
}
