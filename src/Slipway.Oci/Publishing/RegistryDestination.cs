using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Registry;

namespace Slipway.Oci.Publishing;

/// <summary>
/// Publishes into one registry repository (<c>docker://host/repo</c>): what is already there is skipped by HEAD,
/// missing blobs go through the run's <see cref="RegistrySession"/> (mount or upload, once each, bounded), then
/// the manifest by digest, and only then each tag. An <paramref name="observer"/> sees each blob's bytes and outcome.
/// </summary>
public sealed class RegistryDestination(ImageReference repository, RegistrySession session, ITransferObserver? observer = null) : IImageDestination
{
    private RegistryClient Client => session.Client(repository.Registry);

    public string Name => $"docker://{repository.Name}";
    public ImageReference Repository => repository;

    public Task<Descriptor?> ResolveTagAsync(string tag, CancellationToken cancellationToken) =>
        Client.HeadManifestAsync(repository.Repository, tag, cancellationToken);

    public async Task<byte[]?> GetManifestAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (await Client.HeadManifestAsync(repository.Repository, digest.ToString(), cancellationToken) is null) return null;
        return (await Client.GetManifestAsync(repository.Repository, digest.ToString(), cancellationToken)).Bytes;
    }

    public async Task<PublishResult> PublishAsync(OciImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
            if (ImageReference.ExplainInvalidTag(tag) is { } error) throw new ArgumentException(error);
        var repo = repository.Repository;
        var blobs = image.Blobs.DistinctBy(b => b.Descriptor.Digest).ToList();
        int uploaded = 0, skipped = 0, mounted = 0;
        long bytes = 0;

        // 1. What is there already? A tag that names our digest proves the manifest (and so every blob) is in:
        //    a no-op re-push costs one HEAD per tag and nothing else. Every request of a push asks for pull,push,
        //    so one token serves them all (and a registry that refuses the push says so on the first request).
        var current = new Dictionary<string, Digest?>();
        foreach (var tag in tags)
            current[tag] = (await Client.HeadManifestAsync(repo, tag, cancellationToken, RegistryAccess.Push))?.Digest;
        var present = current.Values.Any(d => d == image.Digest)
                      || await Client.HeadManifestAsync(repo, image.Digest.ToString(), cancellationToken, RegistryAccess.Push) is not null;

        if (present)
        {
            skipped = blobs.Count;
            foreach (var b in blobs)
            {
                session.Remember(repository.Registry, repo, b.Descriptor.Digest);
                observer?.BlobDone(b.Descriptor, BlobPushOutcome.Skipped);
            }
        }
        else
        {
            // 2. Blobs: HEAD → mount → upload, each digest once per run, at most Jobs at a time (the session
            //    bounds transfers across every image of the run; this bounds the tasks we start).
            await Parallel.ForEachAsync(blobs,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, session.Options.Jobs), CancellationToken = cancellationToken },
                async (blob, ct) =>
                {
                    var outcome = await session.EnsureBlobAsync(repository.Registry, repo, blob, ct, observer);
                    observer?.BlobDone(blob.Descriptor, outcome);
                    switch (outcome)
                    {
                        case BlobPushOutcome.Skipped: Interlocked.Increment(ref skipped); break;
                        case BlobPushOutcome.Mounted: Interlocked.Increment(ref mounted); break;
                        case BlobPushOutcome.Uploaded:
                            Interlocked.Increment(ref uploaded);
                            Interlocked.Add(ref bytes, blob.Descriptor.Size);
                            break;
                    }
                });
            // 3. The manifest by digest: tags must never point at something that is not fully in.
            await Client.PutManifestAsync(repo, image.Digest.ToString(), image.ManifestBytes, image.ManifestMediaType, cancellationToken);
        }

        // 4. Tags, only those not already at our digest.
        foreach (var tag in tags)
            if (current[tag] != image.Digest)
                await Client.PutManifestAsync(repo, tag, image.ManifestBytes, image.ManifestMediaType, cancellationToken);
        observer?.ManifestDone(image.Digest, tags);
        return new PublishResult(Name, image.Digest, tags, uploaded, skipped, mounted, bytes);
    }

    public async Task<PublishResult> PublishIndexAsync(OciImageIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        // Each platform's image untagged (by digest), the index by digest once they are all in, the tags last.
        var result = await IndexPublishing.PublishImagesAsync(this, index, tags, cancellationToken);
        var repo = repository.Repository;
        await Client.PutManifestAsync(repo, index.Digest.ToString(), index.Bytes, index.MediaType, cancellationToken);
        foreach (var tag in tags)
            if ((await Client.HeadManifestAsync(repo, tag, cancellationToken, RegistryAccess.Push))?.Digest != index.Digest)
                await Client.PutManifestAsync(repo, tag, index.Bytes, index.MediaType, cancellationToken);
        observer?.ManifestDone(index.Digest, tags);
        return result;
    }

    public async Task TagAsync(Digest manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        foreach (var tag in tags)
            if (ImageReference.ExplainInvalidTag(tag) is { } error) throw new ArgumentException(error);
        var (bytes, mediaType) = await Client.GetManifestAsync(repository.Repository, manifest.ToString(), cancellationToken);
        foreach (var tag in tags)
            await Client.PutManifestAsync(repository.Repository, tag, bytes, mediaType, cancellationToken);
    }
}
