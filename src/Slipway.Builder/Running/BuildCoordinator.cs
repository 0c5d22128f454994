using Slipway.Builder.Callbacks;
using Slipway.Builder.Executors;
using Slipway.Builder.Git;
using Slipway.Builder.Model;
using Slipway.Builder.Store;
using Slipway.Builder.Tenants;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Tooling;

namespace Slipway.Builder.Running;

/// <summary>
/// One attempt of one build around an executor, the same for <c>builder run</c> and the queue worker: claim in the
/// store (a build that already succeeded is not built again, its result is re-sent; one killed after getting its
/// version only gets tagged), callback RUNNING, execute, then for tenant builds allocate the version in a
/// transaction, tag it (and latest), and callback SUCCEEDED; or record the failure and callback FAILED with
/// whether it is final. Bounded: the executor gets <paramref name="buildTimeout"/> (default 30 min), then its
/// processes are killed and the build fails as step <c>timeout</c>; whatever else goes wrong (an executor or the
/// store throwing) still ends the build FAILED with its callback, never RUNNING.
/// </summary>
public sealed class BuildCoordinator(IExecutor executor, BuildStore? store, string? registry, CallbackSender callbacks, string worker = "local", TimeSpan? buildTimeout = null)
{
    /// <summary>Registries spoken to over plain HTTP when tagging (--insecure-registry).</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// When set, a stop (the caller's token cancelled: SIGTERM to <c>builder run</c>, a deleted pod) still ends the
    /// build FAILED, step <c>stopped</c>, with its callback, given this long; the cancellation is then rethrown. Null
    /// (the queue worker): nothing is reported, the message goes back to the queue and another worker runs it.
    /// </summary>
    public TimeSpan? StopReportGrace { get; init; }

    public static readonly TimeSpan DefaultBuildTimeout = TimeSpan.FromMinutes(30);
    private readonly TimeSpan _buildTimeout = buildTimeout ?? DefaultBuildTimeout;
    private long _localSequence;

    public async Task<BuildResult> RunAsync(BuildSpec spec, int maxAttempts, Action<string> log, CancellationToken cancellationToken)
    {
        var tail = new LogTail(LogLines.TailLines);
        void Log(string line) { line = LogLines.Clean(Secrets.Redact(line)); tail.Add(line); log(line); }
        try
        {
            return await RunCoreAsync(spec, maxAttempts, tail, Log, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (StopReportGrace is { } grace)
            {
                // The caller's token is gone; the FAILED callback gets a token of its own, bounded by the grace.
                using var report = new CancellationTokenSource(grace);
                try
                {
                    await FailAsync(spec, maxAttempts, "stopped", FailureClass.Transient,
                        "stopped before it finished: the builder was told to stop (SIGTERM or Ctrl-C, e.g. its pod was deleted)", tail.Lines, Log, report.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
                {
                    Log($"warning: the FAILED callback for the stop could not be sent within {Durations.Format(grace)} ({e.GetType().Name})");
                }
            }
            throw;
        }
        catch (BuildIdTakenException e)
        {
            // Nothing is written for this id: the row is another tenant's. Only the requester hears of it.
            var refused = new BuildResult.Failed(spec.BuildId, "validate", FailureClass.Permanent, e.Message, []) { Attempt = spec.Attempt, Final = true, Rejected = true };
            Log($"validate failed (permanent, final): {e.Message}");
            await SendGuardedAsync(spec, Payload(spec, refused) with { Sequence = (spec.Attempt - 1) * 1000L + 999 }, Log, cancellationToken);
            return refused;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // PostgreSQL refused the request's own data (a data exception, e.g. a NUL byte): retrying cannot help.
            return await FailAsync(spec, maxAttempts, "store", FailureClass.Permanent, $"the request cannot be stored: {e.MessageText}", tail.Lines, Log, cancellationToken, rejected: true);
        }
        catch (Exception e)
        {
            var failed = ExecutorRun.Unexpected(spec, e);
            return await FailAsync(spec, maxAttempts, failed.Step, failed.Class, failed.Message, tail.Lines, Log, cancellationToken);
        }
    }

    private async Task<BuildResult> RunCoreAsync(BuildSpec spec, int maxAttempts, LogTail tail, Action<string> Log, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (store is not null)
        {
            await store.EnsureAsync(spec.BuildId, spec.Tenant, spec.Service, CloneUrl.WithoutCredentials(spec.RepoCloneUrl), spec.Ref, maxAttempts, cancellationToken);
            var claim = await store.ClaimAsync(spec.BuildId, spec.Attempt, worker, cancellationToken);
            Log($"claimed in {clock.ElapsedMilliseconds} ms");
            if (claim.Build.Status == BuildStatus.Succeeded)
            {
                Log($"build {spec.BuildId} already succeeded ({claim.Build.Image}); re-sending its result");
                var done = new BuildResult.Succeeded(spec.BuildId, PublishedImage.FromReference(claim.Build.Image!, claim.Build.Digest!), claim.Build.Commit)
                {
                    Attempt = claim.Build.Attempt, Version = claim.Build.Version, Tenant = claim.Build.Tenant, Service = claim.Build.Service, AlreadyBuilt = true,
                };
                await SendAsync(spec, Payload(spec, done), Log, cancellationToken);
                return done;
            }
            if (claim.Allocated is { } allocated)
            {
                Log($"build {spec.BuildId} already has version {allocated.Version} ({allocated.Digest}); tagging it instead of building again");
                return await FinishTenantAsync(spec, allocated.Digest, allocated.Commit, Log, cancellationToken);
            }
        }
        // RUNNING goes out beside the build, not before it: a slow or absent receiver (retries take up to minutes)
        // must not hold the build up. Its sequence number is taken now, and the final callback waits for it.
        var running = new CallbackPayload { BuildId = spec.BuildId, Status = BuildStatus.Running, Sequence = await NextSequenceAsync(spec, cancellationToken), Attempt = spec.Attempt, Tenant = spec.Tenant, Service = spec.Service };
        _inFlight = SendAsync(spec, running, Log, cancellationToken);
        clock.Restart();

        // The executor builds and pushes; callbacks and the tenant version are this coordinator's alone, so it gets
        // neither (a Kubernetes Job then has nothing to report but its outcome). The deadline cancels it.
        var result = await ExecutorRun.RunAsync(executor, spec with { CallbackUrl = null, CallbackSecret = null, CallbackToken = null, Version = null }, _buildTimeout, Log, cancellationToken);
        Log($"{executor.Name} executor done in {clock.ElapsedMilliseconds} ms");
        switch (result)
        {
            case BuildResult.Succeeded ok when spec.ImageTag is null && store is not null:
                return await FinishTenantAsync(spec, ok.Image.Digest, ok.Commit, Log, cancellationToken);
            case BuildResult.Succeeded ok when spec.ImageTag is null && spec.Version is { } given:
                return await TagGivenVersionAsync(spec, given, ok, Log, cancellationToken);
            case BuildResult.Succeeded ok:
            {
                var done = ok with { Tenant = spec.Tenant, Service = spec.Service };
                if (store is not null) await store.MarkSucceededAsync(spec.BuildId, spec.Attempt, ok.Image.Reference, ok.Image.Digest, ok.Commit, null, cancellationToken);
                await SendAsync(spec, Payload(spec, done), Log, cancellationToken);
                return done;
            }
            case BuildResult.Failed failed:
                return await FailAsync(spec, maxAttempts, failed.Step, failed.Class, failed.Message, failed.LogTail.Count > 0 ? failed.LogTail : tail.Lines, Log, cancellationToken);
            default:
                throw new InvalidOperationException($"unknown result {result.GetType().Name}");
        }
    }

    /// <summary>Version number in a transaction, then the tags (the digest is already in), then SUCCEEDED.</summary>
    private async Task<BuildResult> FinishTenantAsync(BuildSpec spec, string digest, string? commit, Action<string> log, CancellationToken ct)
    {
        var repository = TenantNaming.Repository(registry!, spec.Tenant!, spec.Service!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Store.VersionRecord version;
        try { version = await store!.AllocateVersionAsync(spec.BuildId, spec.Tenant!, spec.Service!, digest, commit, n => TenantNaming.Image(repository, n, digest).Reference, ct, spec.Version); }
        catch (StepFailure e) { return await FailAsync(spec, int.MaxValue, e.Step, e.Class, e.Message, [], log, ct); }
        log($"version {version.Version} for {spec.Tenant}/{spec.Service} in {clock.ElapsedMilliseconds} ms");
        try
        {
            clock.Restart();
            using var session = ImageDestinations.Session(spec, repository.Registry, InsecureRegistries);
            await new RegistryDestination(repository, session).TagAsync(Digest.Parse(digest), [version.Version.ToString(), "latest"], ct);
            log($"tagged {version.Version} and latest in {clock.ElapsedMilliseconds} ms");
        }
        catch (Exception e) when (e is Slipway.Oci.Registry.RegistryException or HttpRequestException)
        {
            var transient = e is HttpRequestException || e is Slipway.Oci.Registry.RegistryException { IsTransient: true };
            // The number stays with this build: the retry only tags it.
            return await FailAsync(spec, int.MaxValue, "tag", transient ? FailureClass.Transient : FailureClass.Permanent, e.Message, [], log, ct);
        }
        await store.MarkSucceededAsync(spec.BuildId, spec.Attempt, version.Image, digest, commit, version.Version, ct);
        var done = new BuildResult.Succeeded(spec.BuildId, PublishedImage.FromReference(version.Image, digest), commit)
            { Attempt = spec.Attempt, Version = version.Version, Tenant = spec.Tenant, Service = spec.Service };
        await SendAsync(spec, Payload(spec, done), log, ct);
        return done;
    }

    /// <summary>
    /// No store, a version chosen by the caller (VERSION, the Kubernetes buildah builder's contract): the registry is
    /// the record, so a tag that exists already refuses the build; else the version and latest are tagged.
    /// </summary>
    private async Task<BuildResult> TagGivenVersionAsync(BuildSpec spec, int version, BuildResult.Succeeded ok, Action<string> log, CancellationToken ct)
    {
        var repository = TenantNaming.Repository(registry!, spec.Tenant!, spec.Service!);
        try
        {
            using var session = ImageDestinations.Session(spec, repository.Registry, InsecureRegistries);
            var destination = new RegistryDestination(repository, session);
            if (await destination.ResolveTagAsync(version.ToString(), ct) is { } existing && existing.Digest.ToString() != ok.Image.Digest)
                return await FailAsync(spec, int.MaxValue, "version", FailureClass.Permanent,
                    $"version {version} of {spec.Tenant}/{spec.Service} already exists ({existing.Digest}); give a VERSION that is not taken, or leave it out", [], log, ct);
            await destination.TagAsync(Digest.Parse(ok.Image.Digest), [version.ToString(), "latest"], ct);
            log($"tagged {version} (given) and latest");
        }
        catch (Exception e) when (e is Slipway.Oci.Registry.RegistryException or HttpRequestException)
        {
            var transient = e is HttpRequestException || e is Slipway.Oci.Registry.RegistryException { IsTransient: true };
            return await FailAsync(spec, int.MaxValue, "tag", transient ? FailureClass.Transient : FailureClass.Permanent, e.Message, [], log, ct);
        }
        var done = ok with { Image = TenantNaming.Image(repository, version, ok.Image.Digest), Version = version, Tenant = spec.Tenant, Service = spec.Service };
        await SendAsync(spec, Payload(spec, done), log, ct);
        return done;
    }

    private async Task<BuildResult> FailAsync(BuildSpec spec, int maxAttempts, string step, FailureClass failureClass, string message, IReadOnlyList<string> logTail, Action<string> log, CancellationToken ct, bool rejected = false)
    {
        var final = rejected || failureClass == FailureClass.Permanent || spec.Attempt >= maxAttempts;
        var lines = LogLines.Tail(logTail.Select(Secrets.Redact));
        var error = LogLines.OneLine(message);
        log($"{step} failed ({failureClass.ToString().ToLowerInvariant()}{(final ? ", final" : $", attempt {spec.Attempt} of {maxAttempts}")}): {error}");
        if (store is not null)
        {
            // The callback goes out even when the store cannot take the failure (it is what failed, or it is away).
            try { await store.MarkFailedAsync(spec.BuildId, spec.Attempt, step, failureClass, error, lines, final, ct); }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log($"warning: could not record the failure in PostgreSQL ({e.GetType().Name}: {Secrets.Redact(e.Message)})");
            }
        }
        var failed = new BuildResult.Failed(spec.BuildId, step, failureClass, error, lines) { Attempt = spec.Attempt, Final = final, Rejected = rejected };
        await SendGuardedAsync(spec, Payload(spec, failed), log, ct);
        return failed;
    }

    /// <summary>A callback on a failure path: its own sequence number may need the store, which may be what failed.</summary>
    private async Task SendGuardedAsync(BuildSpec spec, CallbackPayload payload, Action<string> log, CancellationToken ct)
    {
        try { await SendAsync(spec, payload, log, ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Without a stored sequence the attempt-spaced local numbering still orders it after RUNNING.
            log($"warning: callback sequence unavailable ({e.GetType().Name}); sending with a local sequence");
            await SendAsync(spec, payload with { Sequence = (spec.Attempt - 1) * 1000L + 999 }, log, ct);
        }
    }

    private static CallbackPayload Payload(BuildSpec spec, BuildResult result) => result switch
    {
        BuildResult.Succeeded s => new CallbackPayload
        {
            BuildId = s.BuildId, Status = BuildStatus.Succeeded, Sequence = 0, Attempt = s.Attempt, Tenant = s.Tenant, Service = s.Service,
            Image = s.Image.Reference, Digest = s.Image.Digest, Version = s.Version, Commit = s.Commit, Final = true,
        },
        BuildResult.Failed f => new CallbackPayload
        {
            BuildId = f.BuildId, Status = BuildStatus.Failed, Sequence = 0, Attempt = f.Attempt, Tenant = spec.Tenant, Service = spec.Service,
            FailedStep = f.Step, Error = f.Message, LogTail = f.LogTail, Final = f.Final,
        },
        _ => throw new InvalidOperationException(),
    };

    private async Task<long> NextSequenceAsync(BuildSpec spec, CancellationToken ct) =>
        store is not null ? await store.NextSequenceAsync(spec.BuildId, ct)
        // Without a store (a single builder container), attempts are numbered apart so a later attempt still wins.
        : (spec.Attempt - 1) * 1000L + Interlocked.Increment(ref _localSequence);

    /// <summary>The RUNNING delivery still under way; later callbacks go after it, so the receiver sees them in order.</summary>
    private Task _inFlight = Task.CompletedTask;

    private async Task SendAsync(BuildSpec spec, CallbackPayload payload, Action<string> log, CancellationToken ct)
    {
        if (spec.CallbackUrl is null || (spec.CallbackSecret is null && spec.CallbackToken is null)) return;
        if (payload.Status != BuildStatus.Running)
        {
            try { await _inFlight; }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested) { log($"warning: the RUNNING callback failed ({e.Message})"); }
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (payload.Sequence == 0) payload = payload with { Sequence = await NextSequenceAsync(spec, ct) };
        var outcome = await callbacks.SendAsync(spec.CallbackUrl, spec.CallbackSecret, spec.CallbackToken, payload, ct);
        log($"callback {payload.Status} #{payload.Sequence} {outcome.ToString().ToLowerInvariant()} in {clock.ElapsedMilliseconds} ms");
    }
}

/// <summary>The last N lines of a build's log (each already cleaned by <see cref="LogLines.Clean"/>).</summary>
internal sealed class LogTail(int size)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > size) _lines.Dequeue();
        }
    }

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }
}
