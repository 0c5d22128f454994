using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;

namespace Slipway.Oci.Publishing;

/// <summary>Publishes into an OCI image layout: the embedded default when no registry is configured.</summary>
public sealed class OciLayoutDestination(string directory, int jobs = 4, ITransferObserver? observer = null) : IImageDestination
{
    private readonly OciLayout _layout = OciLayout.OpenOrCreate(directory);

    public string Name => $"oci:{_layout.Path}";

    public Task<Descriptor?> ResolveTagAsync(string tag, CancellationToken cancellationToken)
    {
        var match = _layout.ReadIndex().Manifests.LastOrDefault(m => m.Annotations?.GetValueOrDefault(Annotations.RefName) == tag);
        return Task.FromResult(match is null ? null : match with { Annotations = null });
    }

    public Task<byte[]?> GetManifestAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = _layout.BlobPath(digest);
        return Task.FromResult(File.Exists(path) ? File.ReadAllBytes(path) : null);
    }

    public async Task<PublishResult> PublishAsync(OciImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
            if (ImageReference.ExplainInvalidTag(tag) is { } error) throw new ArgumentException(error);
        int uploaded = 0, skipped = 0;
        long bytes = 0;
        // Blobs first, bounded; the manifest only once they are all in; refs last.
        await Parallel.ForEachAsync(image.Blobs.DistinctBy(b => b.Descriptor.Digest), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs), CancellationToken = cancellationToken },
            async (blob, ct) =>
            {
                if (_layout.HasBlob(blob.Descriptor))
                {
                    Interlocked.Increment(ref skipped);
                    observer?.BlobDone(blob.Descriptor, Registry.BlobPushOutcome.Skipped);
                    return;
                }
                await _layout.WriteBlobAsync(ObservedBlob.Wrap(blob, observer), ct);
                observer?.BlobDone(blob.Descriptor, Registry.BlobPushOutcome.Uploaded);
                Interlocked.Increment(ref uploaded);
                Interlocked.Add(ref bytes, blob.Descriptor.Size);
            });
        await _layout.WriteBlobAsync(image.ManifestMediaType, image.ManifestBytes, cancellationToken);
        await TagAsync(image.ManifestDescriptor, tags, cancellationToken);
        observer?.ManifestDone(image.Digest, tags);
        return new PublishResult(Name, image.Digest, tags, uploaded, skipped, 0, bytes);
    }

    public async Task<PublishResult> PublishIndexAsync(OciImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var result = await IndexPublishing.PublishImagesAsync(this, index, tags, cancellationToken);
        await _layout.WriteBlobAsync(index.MediaType, index.Bytes, cancellationToken);
        await TagAsync(index.Descriptor, tags, cancellationToken);
        observer?.ManifestDone(index.Digest, tags);
        return result;
    }

    public async Task TagAsync(Digest manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var bytes = await GetManifestAsync(manifest, cancellationToken)
            ?? throw new KeyNotFoundException($"{Name} has no manifest {manifest} to tag");
        var mediaType = OciJson.SniffMediaType(bytes, MediaTypes.OciManifest);
        await TagAsync(new Descriptor { MediaType = mediaType, Digest = manifest, Size = bytes.Length }, tags, cancellationToken);
    }

    private async Task TagAsync(Descriptor manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags) await _layout.SetRefAsync(tag, manifest, cancellationToken);
    }
}
