using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;

namespace Slipway.Oci.Layout;

/// <summary>
/// Publishes into an OCI image layout (the embedded default, <c>oci:DIR</c>): missing blobs are copied and
/// verified, then the manifest blob is written, and only then index.json moves the tags.
/// </summary>
public sealed class OciLayoutDestination(string directory, int parallelism = 2) : IImageDestination
{
    private OciLayout? _layout;
    private OciLayout Layout => _layout ??= OciLayout.OpenOrCreate(directory);

    public string Directory { get; } = directory;
    public string Name => "oci:" + Directory;

    public Task<Descriptor?> ResolveTagAsync(string tag, CancellationToken cancellationToken) =>
        Task.FromResult(OciLayout.Exists(Directory) ? OciLayout.Open(Directory).Find(tag) is { } d ? d with { Annotations = null } : null : null);

    public async Task<byte[]?> GetManifestAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (!OciLayout.Exists(Directory)) return null;
        var path = OciLayout.Open(Directory).BlobPath(digest);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<PublishResult> PublishAsync(OciImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (var t in tags)
            if (Model.ImageReference.ExplainInvalidTag(t) is { } err) throw new ArgumentException(err, nameof(tags));
        var layout = Layout;
        int uploaded = 0, skipped = 0;
        long bytes = 0;
        // Each distinct digest once; a few at a time (a streamed layer already uses every core to compress).
        var blobs = image.Blobs.DistinctBy(b => b.Descriptor.Digest).ToList();
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (blob, ct) =>
        {
            var n = await layout.WriteBlobAsync(blob, ct).ConfigureAwait(false);
            if (n > 0) { Interlocked.Increment(ref uploaded); Interlocked.Add(ref bytes, n); }
            else Interlocked.Increment(ref skipped);
        }).ConfigureAwait(false);
        await layout.WriteBlobAsync(new BytesBlob(image.ManifestDescriptor, image.ManifestBytes), cancellationToken).ConfigureAwait(false);
        await layout.SetRefsAsync(image.ManifestDescriptor, tags, cancellationToken).ConfigureAwait(false);
        return new PublishResult(Name, image.Digest, tags, uploaded, skipped, 0, bytes);
    }

    public async Task TagAsync(Digest manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var bytes = await GetManifestAsync(manifest, cancellationToken).ConfigureAwait(false)
            ?? throw new OciLayoutException($"manifest {manifest} is not in '{Directory}'; publish the image before tagging it");
        var d = new Descriptor { MediaType = OciJson.SniffMediaType(bytes, MediaTypes.OciManifest), Digest = manifest, Size = bytes.Length };
        await Layout.SetRefsAsync(d, tags, cancellationToken).ConfigureAwait(false);
    }
}
