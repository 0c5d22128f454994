using System.Collections.Concurrent;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Oci.Registry;

/// <summary>
/// One run's registry state: a client per registry host (sharing connections and tokens), each blob digest
/// pushed at most once per repository, and where each digest is known to live (for cross-repository mounts).
/// </summary>
public sealed class RegistrySession(RegistryClientOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<RegistryClient>> _clients = new();
    private readonly ConcurrentDictionary<(string Registry, string Repository, Digest Digest), Lazy<Task<BlobPushOutcome>>> _pushes = new();
    private readonly ConcurrentDictionary<(string Registry, Digest Digest), string> _knownIn = new();

    public RegistryClientOptions Options { get; } = options;

    public RegistryClient Client(string registry) =>
        _clients.GetOrAdd(registry, r => new Lazy<RegistryClient>(() => new RegistryClient(r, Options))).Value;

    /// <summary>Records that <paramref name="digest"/> exists in a repository, so later pushes can mount it.</summary>
    public void Remember(string registry, string repository, Digest digest) => _knownIn.TryAdd((registry, digest), repository);

    /// <summary>HEAD → mount → upload → commit, once per (registry, repository, digest) for the whole run.</summary>
    public Task<BlobPushOutcome> EnsureBlobAsync(string registry, string repository, IBlob blob, CancellationToken cancellationToken) =>
        _pushes.GetOrAdd((registry, repository, blob.Descriptor.Digest),
            _ => new Lazy<Task<BlobPushOutcome>>(() => PushBlobAsync(registry, repository, blob, cancellationToken))).Value;

    private async Task<BlobPushOutcome> PushBlobAsync(string registry, string repository, IBlob blob, CancellationToken ct)
    {
        var client = Client(registry);
        var digest = blob.Descriptor.Digest;

        // 1. Already there?
        if (await client.HeadBlobAsync(repository, digest, ct) is not null)
        {
            Remember(registry, repository, digest);
            return BlobPushOutcome.Skipped;
        }

        // 2. Somewhere else on the same registry? Mount it.
        UploadSession? session = null;
        var from = blob.Origin is { } o && o.Registry == registry && o.Repository != repository ? o.Repository
            : _knownIn.TryGetValue((registry, digest), out var known) && known != repository ? known : null;
        if (from is not null)
        {
            var (mounted, opened) = await client.MountAsync(repository, digest, from, ct);
            if (mounted)
            {
                Remember(registry, repository, digest);
                return BlobPushOutcome.Mounted;
            }
            session = opened;
        }

        // 3. Upload: monolithic; chunked only when the registry refuses that. Transient failures restart the session.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                session ??= await client.StartUploadAsync(repository, ct);
                if (session.MinChunkLength is { } min && blob.Descriptor.Size > min && min > Options.ChunkSize)
                    await client.CommitChunkedAsync(session, blob, (int)min, ct);
                else
                {
                    try
                    {
                        await client.CommitMonolithicAsync(session, blob, ct);
                    }
                    catch (RegistryException e) when (e.Status is System.Net.HttpStatusCode.RequestEntityTooLarge or System.Net.HttpStatusCode.RequestedRangeNotSatisfiable)
                    {
                        session = await client.StartUploadAsync(repository, ct);
                        await client.CommitChunkedAsync(session, blob, Options.ChunkSize, ct);
                    }
                }
                Remember(registry, repository, digest);
                return BlobPushOutcome.Uploaded;
            }
            catch (Exception e) when (attempt < Options.MaxAttempts && !ct.IsCancellationRequested &&
                                      (e is RegistryException { Status: { } s } && Http.RetryHandler.IsTransient(s) || e is not RegistryException && Http.RetryHandler.IsTransient(e)))
            {
                session = null;
                await Task.Delay(Options.RetryBaseDelay * Math.Pow(2, attempt - 1), ct);
            }
        }
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values.Where(c => c.IsValueCreated)) c.Value.Dispose();
    }
}

public enum BlobPushOutcome { Skipped, Mounted, Uploaded }
