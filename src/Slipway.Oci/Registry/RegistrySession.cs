using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Registry.Http;

namespace Slipway.Oci.Registry;

/// <summary>
/// One run's registry state, shared by every source and destination of the run: a client per registry host
/// (one HttpClient, one token cache), each blob pushed at most once per registry+repository, where each digest
/// is known to live (for cross-repository mounts), and at most <see cref="RegistryClientOptions.Jobs"/> blob
/// transfers at a time across all images.
/// </summary>
public sealed class RegistrySession : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<RegistryClient>> _clients = new();
    private readonly ConcurrentDictionary<(string Registry, string Repository, Digest Digest), Lazy<Task<BlobPushOutcome>>> _pushes = new();
    private readonly ConcurrentDictionary<(string Registry, Digest Digest), string> _knownIn = new();
    private readonly SemaphoreSlim _transfers;
    private readonly RegistryRetry _retry;

    public RegistrySession(RegistryClientOptions options)
    {
        Options = options;
        _transfers = new SemaphoreSlim(Math.Max(1, options.Jobs));
        _retry = new RegistryRetry(options);
    }

    public RegistryClientOptions Options { get; }

    public RegistryClient Client(string registry) =>
        _clients.GetOrAdd(registry, r => new Lazy<RegistryClient>(() => new RegistryClient(r, Options))).Value;

    /// <summary>Records that <paramref name="digest"/> exists in a repository, so later pushes can mount it.</summary>
    public void Remember(string registry, string repository, Digest digest) => _knownIn.TryAdd((registry, digest), repository);

    /// <summary>
    /// HEAD → mount → upload → commit, once per (registry, repository, digest) for the whole run: a second caller
    /// for the same blob awaits the first one's transfer. A failed transfer is forgotten, so a later call retries it.
    /// </summary>
    public Task<BlobPushOutcome> EnsureBlobAsync(string registry, string repository, IBlob blob, CancellationToken cancellationToken)
    {
        var key = (registry, repository, blob.Descriptor.Digest);
        var lazy = _pushes.GetOrAdd(key, _ => new Lazy<Task<BlobPushOutcome>>(() => PushBlobAsync(registry, repository, blob, cancellationToken)));
        return Forget(lazy.Value);

        async Task<BlobPushOutcome> Forget(Task<BlobPushOutcome> push)
        {
            try { return await push; }
            catch { _pushes.TryRemove(new KeyValuePair<(string, string, Digest), Lazy<Task<BlobPushOutcome>>>(key, lazy)); throw; }
        }
    }

    private async Task<BlobPushOutcome> PushBlobAsync(string registry, string repository, IBlob blob, CancellationToken ct)
    {
        await _transfers.WaitAsync(ct);
        try
        {
            IBlobStore blobs = Client(registry);
            var digest = blob.Descriptor.Digest;

            // 1. Already there: nothing to send.
            if (await blobs.HeadBlobAsync(repository, digest, ct, RegistryAccess.Push) is not null)
            {
                Remember(registry, repository, digest);
                return BlobPushOutcome.Skipped;
            }

            // 2. Known in another repository of this registry (where it was read from, or pushed earlier in this
            //    run): mount it. A registry that declines answers 202 with an upload session we go on with.
            UploadSession? opened = null;
            var from = blob.Origin is { } o && o.Registry == registry && o.Repository != repository ? o.Repository
                : _knownIn.TryGetValue((registry, digest), out var known) && known != repository ? known : null;
            if (from is not null)
            {
                var mount = await blobs.MountBlobAsync(repository, digest, from, ct);
                if (mount.Mounted)
                {
                    Remember(registry, repository, digest);
                    return BlobPushOutcome.Mounted;
                }
                opened = mount.Session;
            }

            // 3. Upload and commit.
            await UploadAsync(Client(registry), repository, blob, opened, ct);
            Remember(registry, repository, digest);
            return BlobPushOutcome.Uploaded;
        }
        finally
        {
            _transfers.Release();
        }
    }

    /// <summary>
    /// One monolithic PUT; PATCH chunks only when the registry refuses that (413/416) or asks for chunks larger
    /// than the monolithic limit we accept. A transient failure abandons the session and, under the one retry
    /// policy, starts again on a new one (a streamed body can't be resent on the old).
    /// </summary>
    private Task UploadAsync(IBlobUploads uploads, string repository, IBlob blob, UploadSession? opened, CancellationToken ct)
    {
        var chunked = false; // once monolithic PUTs are refused, later attempts go straight to chunks
        return _retry.ExecuteAsync(async attemptToken =>
        {
            var session = opened ?? await uploads.StartUploadAsync(repository, attemptToken);
            opened = null; // a mount's session serves the first attempt only
            try
            {
                if (!chunked)
                {
                    try
                    {
                        await uploads.PutMonolithicAsync(session, blob, attemptToken);
                        return;
                    }
                    catch (RegistryException e) when (e.Status is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.RequestedRangeNotSatisfiable or HttpStatusCode.NotImplemented)
                    {
                        chunked = true;
                        await uploads.CancelAsync(session, attemptToken);
                        session = await uploads.StartUploadAsync(repository, attemptToken);
                    }
                }
                await UploadChunkedAsync(uploads, session, blob, attemptToken);
            }
            catch (Exception e) when (RegistryRetry.IsTransient(e) && !attemptToken.IsCancellationRequested)
            {
                await uploads.CancelAsync(session, attemptToken);
                throw;
            }
        }, ct).AsTask();
    }

    private async Task UploadChunkedAsync(IBlobUploads uploads, UploadSession session, IBlob blob, CancellationToken ct)
    {
        // OCI-Chunk-Min-Length: every chunk but the last must be at least that long.
        var size = (int)Math.Min(int.MaxValue - 64, Math.Max(Options.ChunkSize, session.MinChunkLength ?? 0));
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            await using var body = new VerifyingReadStream(await blob.OpenReadAsync(ct), blob.Descriptor);
            while (true)
            {
                var n = await body.ReadAtLeastAsync(buffer.AsMemory(0, size), size, throwOnEndOfStream: false, ct);
                if (n > 0) session = await uploads.PatchChunkAsync(session, buffer.AsMemory(0, n), ct);
                if (n < size) break;
            }
            await uploads.CommitAsync(session, blob.Descriptor.Digest, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values.Where(c => c.IsValueCreated)) c.Value.Dispose();
        _transfers.Dispose();
    }
}

public enum BlobPushOutcome { Skipped, Mounted, Uploaded }
