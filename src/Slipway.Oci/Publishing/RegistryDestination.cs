using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Registry;

namespace Slipway.Oci.Publishing;

/// <summary>Publishes into one registry repository: blobs (bounded, once each), manifest by digest, then tags.</summary>
public sealed class RegistryDestination(ImageReference repository, RegistrySession session) : IImageDestination
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
        int uploaded = 0, skipped = 0, mounted = 0;
        long bytes = 0;

        // A manifest already present means every blob it names is present too.
        var present = await Client.HeadManifestAsync(repo, image.Digest.ToString(), cancellationToken) is not null;
        if (!present)
        {
            await Parallel.ForEachAsync(image.Blobs.DistinctBy(b => b.Descriptor.Digest),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, session.Options.Jobs), CancellationToken = cancellationToken },
                async (blob, ct) =>
                {
                    switch (await session.EnsureBlobAsync(repository.Registry, repo, blob, ct))
                    {
                        case BlobPushOutcome.Skipped: Interlocked.Increment(ref skipped); break;
                        case BlobPushOutcome.Mounted: Interlocked.Increment(ref mounted); break;
                        case BlobPushOutcome.Uploaded:
                            Interlocked.Increment(ref uploaded);
                            Interlocked.Add(ref bytes, blob.Descriptor.Size);
                            break;
                    }
                });
            // By digest first: tags must never point at something that is not fully in.
            await Client.PutManifestAsync(repo, image.Digest.ToString(), image.ManifestBytes, image.ManifestMediaType, cancellationToken);
        }
        else
        {
            skipped = image.Blobs.DistinctBy(b => b.Descriptor.Digest).Count();
            foreach (var b in image.Blobs) session.Remember(repository.Registry, repo, b.Descriptor.Digest);
        }
        foreach (var tag in tags)
            await Client.PutManifestAsync(repo, tag, image.ManifestBytes, image.ManifestMediaType, cancellationToken);
        return new PublishResult(Name, image.Digest, tags, uploaded, skipped, mounted, bytes);
    }

    public async Task TagAsync(Digest manifest, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var (bytes, mediaType) = await Client.GetManifestAsync(repository.Repository, manifest.ToString(), cancellationToken);
        foreach (var tag in tags)
            await Client.PutManifestAsync(repository.Repository, tag, bytes, mediaType, cancellationToken);
    }
}
