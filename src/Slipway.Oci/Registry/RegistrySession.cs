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
    private readonly ConcurrentDictionary<(string Registry, string Repository, Digest Digest), SharedTransfer> _pushes = new();
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
    /// for the same blob joins the first one's transfer. The transfer belongs to the session, not to a caller:
    /// each caller waits with its own <paramref name="cancellationToken"/> (cancelling one image leaves the others'
    /// transfer running; it stops only when every caller has gone) and sees the bytes through its own
    /// <paramref name="observer"/>. A failed or abandoned transfer is forgotten, so a later call starts it again.
    /// </summary>
    public async Task<BlobPushOutcome> EnsureBlobAsync(string registry, string repository, IBlob blob, CancellationToken cancellationToken,
        Publishing.ITransferObserver? observer = null)
    {
        var key = (registry, repository, blob.Descriptor.Digest);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var transfer = _pushes.GetOrAdd(key, _ => new SharedTransfer(blob.Descriptor));
            if (!transfer.Join(observer))
            {
                // Abandoned by all its callers a moment ago: forget it and start afresh.
                _pushes.TryRemove(new KeyValuePair<(string, string, Digest), SharedTransfer>(key, transfer));
                continue;
            }
            try
            {
                return await transfer.Start(ct => PushBlobAsync(registry, repository, Publishing.ObservedBlob.Wrap(blob, transfer), ct))
                    .WaitAsync(cancellationToken);
            }
            catch when (transfer.Task is { IsCompleted: true, IsCompletedSuccessfully: false })
            {
                _pushes.TryRemove(new KeyValuePair<(string, string, Digest), SharedTransfer>(key, transfer));
                throw;
            }
            finally
            {
                transfer.Leave(observer);
            }
        }
    }

    /// <summary>
    /// One blob's transfer shared by every caller that needs it: its own cancellation (cancelled when the last
    /// caller leaves before it is done), and its read progress fanned out to each caller's observer.
    /// </summary>
    private sealed class SharedTransfer(Descriptor descriptor) : Publishing.ITransferObserver
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly List<Publishing.ITransferObserver?> _callers = [];
        private long _position;
        public Task<BlobPushOutcome>? Task { get; private set; }

        /// <summary>False when the transfer was already abandoned; a joining observer first sees how far it got.</summary>
        public bool Join(Publishing.ITransferObserver? observer)
        {
            lock (_callers)
            {
                if (_cts.IsCancellationRequested) return false;
                _callers.Add(observer);
            }
            if (Interlocked.Read(ref _position) is > 0 and var at) observer?.Read(descriptor, at);
            return true;
        }

        public Task<BlobPushOutcome> Start(Func<CancellationToken, Task<BlobPushOutcome>> push)
        {
            lock (_callers) return Task ??= push(_cts.Token);
        }

        public void Leave(Publishing.ITransferObserver? observer)
        {
            lock (_callers)
            {
                _callers.Remove(observer);
                if (_callers.Count == 0 && Task is { IsCompleted: false }) _cts.Cancel();
            }
        }

        public void Read(Descriptor blob, long position)
        {
            Interlocked.Exchange(ref _position, position);
            Publishing.ITransferObserver?[] callers;
            lock (_callers) callers = [.. _callers];
            foreach (var c in callers) c?.Read(blob, position);
        }

        public void BlobDone(Descriptor blob, BlobPushOutcome outcome) { } // each caller reports its own outcome
        public void ManifestDone(Digest digest, IReadOnlyList<string> tags) { }
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
