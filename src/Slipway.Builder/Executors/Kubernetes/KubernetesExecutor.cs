using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Slipway.Builder.Model;
using Slipway.Tooling;

namespace Slipway.Builder.Executors.Kubernetes;

/// <summary>
/// Runs each build as one Kubernetes Job (see <see cref="BuildJobManifests"/>): create the Job, then its Secret
/// owned by it; watch the Job and its pod until the Job succeeds or fails (or the pod cannot start, or the watch
/// deadline passes); read the outcome from the builder's termination message and, on failure, the last lines of
/// its log; delete the Job with background propagation whatever happened, cancellation included. Before its
/// first build it deletes every Job an earlier run of this worker (same worker id) left behind.
/// </summary>
public sealed class KubernetesExecutor : IExecutor, IDisposable
{
    public const string StepName = "kubernetes";
    /// <summary>The builder's exit code for a failure worth retrying (EX_TEMPFAIL).</summary>
    public const int TransientExitCode = 75;

    /// <summary>Waiting reasons that mean the pod cannot start; after the start timeout the build fails with them.</summary>
    private static readonly HashSet<string> StuckReasons =
        ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError"];
    /// <summary>Of those, the ones no retry can cure.</summary>
    private static readonly HashSet<string> PermanentReasons = ["InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError"];

    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly SemaphoreSlim _sweepGate = new(1, 1);
    private bool _swept;

    private readonly GitHub.GitHubAppTokens? _gitHubTokens;

    /// <param name="gitHubTokens">Mints GitHub App installation tokens for builds that name an installation: the
    /// Job gets the short-lived token through its Secret, never the App's key.</param>
    public KubernetesExecutor(KubernetesExecutorOptions options, IKubernetes? client = null, GitHub.GitHubAppTokens? gitHubTokens = null)
    {
        _gitHubTokens = gitHubTokens;
        Options = options.Validated();
        _ownsClient = client is null;
        _client = client ?? new k8s.Kubernetes(ClientConfiguration(options));
    }

    public string Name => "kubernetes";
    public KubernetesExecutorOptions Options { get; }
    private string Namespace => Options.Namespace;

    public static KubernetesClientConfiguration ClientConfiguration(KubernetesExecutorOptions options) =>
        options.Kubeconfig is { } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, options.Context)
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildDefaultConfig();

    public async Task<BuildResult> RunAsync(BuildSpec spec, Action<string> log, CancellationToken cancellationToken)
    {
        void Log(string line) => log(Secrets.Redact(line));
        if (spec.GitHubApp is { } app && spec.GitToken is null)
        {
            if (_gitHubTokens is null)
                return Fail(spec, FailureClass.Permanent,
                    "the Kubernetes executor passes a GitHub token, not an App key: resolve the installation token before handing the build over (BuildSpec.GitToken)");
            try
            {
                var token = await _gitHubTokens.GetTokenAsync(app, GitHub.GitHubAppTokens.RepositoryName(spec.RepoCloneUrl), cancellationToken);
                Log($"kubernetes: minted an installation token for installation {app.InstallationId}");
                spec = spec with { GitToken = token, GitHubApp = null };
            }
            catch (StepFailure e) { return Fail(spec, e.Class, e.Message); }
            catch (HttpRequestException e) { return Fail(spec, FailureClass.Transient, $"minting the installation token: {e.Message}"); }
        }
        await SweepAsync(Log, cancellationToken);

        var manifests = BuildJobManifests.Create(spec, Options);
        var name = manifests.Job.Metadata.Name;
        V1Job job;
        try
        {
            job = await _client.BatchV1.CreateNamespacedJobAsync(manifests.Job, Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Another attempt of the same build still has its Job (the queue's claim should prevent this).
            return Fail(spec, FailureClass.Transient, $"Job {Namespace}/{name} already exists: another attempt of build {spec.BuildId} is still running");
        }
        catch (HttpOperationException e)
        {
            return Fail(spec, ClassOf(e.Response.StatusCode), $"creating Job {Namespace}/{name}: {Describe(e)}");
        }
        Log($"kubernetes: created Job {Namespace}/{name}");
        try
        {
            if (manifests.Secret is { } secret)
                await _client.CoreV1.CreateNamespacedSecretAsync(BuildJobManifests.OwnedBy(secret, job), Namespace, cancellationToken: cancellationToken);
            return await WatchAsync(spec, job, Log, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            return Fail(spec, ClassOf(e.Response.StatusCode), $"Job {Namespace}/{name}: {Describe(e)}");
        }
        finally
        {
            // Also when cancelled: a cancelled build leaves no Job (and, through the owner reference, no Secret).
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await DeleteJobAsync(name, cleanup.Token);
                Log($"kubernetes: deleted Job {Namespace}/{name}");
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
            {
                Log($"kubernetes: could not delete Job {Namespace}/{name} ({e.Message}); ttlSecondsAfterFinished or the next start-up sweep removes it");
            }
        }
    }

    /// <summary>Deletes every Job this worker id started (left by a crash or a kill); runs once, before the first build.</summary>
    public async Task SweepAsync(Action<string> log, CancellationToken cancellationToken)
    {
        if (_swept) return;
        await _sweepGate.WaitAsync(cancellationToken);
        try
        {
            if (_swept) return;
            var selector = BuildJobManifests.WorkerSelector(Options);
            var jobs = await _client.BatchV1.ListNamespacedJobAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken);
            foreach (var job in jobs.Items)
            {
                log($"kubernetes: deleting Job {Namespace}/{job.Metadata.Name} left by an earlier run of worker {Options.WorkerId}");
                await DeleteJobAsync(job.Metadata.Name, cancellationToken);
            }
            _swept = true;
        }
        finally { _sweepGate.Release(); }
    }

    private async Task DeleteJobAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.BatchV1.DeleteNamespacedJobAsync(name, Namespace,
                new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
    }

    private abstract record WatchEvent
    {
        public sealed record JobChanged(V1Job Job) : WatchEvent;
        public sealed record PodChanged(WatchEventType Type, V1Pod Pod) : WatchEvent;
        public sealed record Tick : WatchEvent;
        public sealed record Broken(string What, Exception Error) : WatchEvent;
    }

    /// <summary>Follows the Job and its pods through two watches until the Job has a final condition.</summary>
    private async Task<BuildResult> WatchAsync(BuildSpec spec, V1Job job, Action<string> log, CancellationToken cancellationToken)
    {
        var name = job.Metadata.Name;
        var deadline = TimeSpan.FromSeconds(Options.ActiveDeadlineSeconds + Options.WatchGraceSeconds);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watching.CancelAfter(deadline);
        var events = Channel.CreateUnbounded<WatchEvent>();
        var pumps = new[]
        {
            PumpAsync("Job", token => _client.BatchV1.WatchListNamespacedJobAsync(Namespace, fieldSelector: $"metadata.name={name}", cancellationToken: token),
                (_, j) => new WatchEvent.JobChanged(j), events.Writer, watching.Token),
            PumpAsync("pods", token => _client.CoreV1.WatchListNamespacedPodAsync(Namespace, labelSelector: $"job-name={name}", cancellationToken: token),
                (type, p) => new WatchEvent.PodChanged(type, p), events.Writer, watching.Token),
        };

        var pods = new Dictionary<string, V1Pod>();
        Task? following = null;
        var stuckSince = new Dictionary<string, DateTimeOffset>();
        var lastPhase = new Dictionary<string, string>();
        try
        {
            while (true)
            {
                WatchEvent next;
                try { next = await events.Reader.ReadAsync(watching.Token); }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return await FailedAsync(spec, name, FailureClass.Transient,
                        $"no final state for Job {Namespace}/{name} within {deadline.TotalSeconds:0}s (activeDeadlineSeconds + {Options.WatchGraceSeconds}s)", null, LastSeen(pods), cancellationToken);
                }
                switch (next)
                {
                    case WatchEvent.JobChanged { Job: var current }:
                        if ((Condition(current, "Complete") ?? Condition(current, "SuccessCriteriaMet")) is not null)
                            return await SucceededAsync(spec, name, cancellationToken);
                        if (Condition(current, "Failed") is { } failed)
                            return await FailedAsync(spec, name, FailureClass.Permanent,
                                $"Job {Namespace}/{name} failed: {failed.Reason}{(string.IsNullOrEmpty(failed.Message) ? "" : ": " + failed.Message)}", failed.Reason, LastSeen(pods), cancellationToken);
                        break;
                    case WatchEvent.PodChanged { Type: WatchEventType.Deleted, Pod: var gone }:
                        pods.Remove(gone.Metadata.Name);
                        stuckSince.Remove(gone.Metadata.Name);
                        break;
                    case WatchEvent.PodChanged { Pod: var pod }:
                        pods[pod.Metadata.Name] = pod;
                        var phase = pod.Status?.Phase ?? "Pending";
                        if (!lastPhase.TryGetValue(pod.Metadata.Name, out var seen) || seen != phase)
                            log($"kubernetes: pod {pod.Metadata.Name} {phase}");
                        lastPhase[pod.Metadata.Name] = phase;
                        // The builder's own lines, live, once its container has started.
                        if (following is null && BuilderStatus(pod)?.State is { Running: not null } or { Terminated: not null })
                            following = FollowLogAsync(pod.Metadata.Name, log, watching.Token);
                        if (Stuck(pod) is { } waiting)
                        {
                            if (!stuckSince.ContainsKey(pod.Metadata.Name))
                            {
                                stuckSince[pod.Metadata.Name] = DateTimeOffset.UtcNow;
                                log($"kubernetes: pod {pod.Metadata.Name} waiting: {waiting.Reason}");
                                _ = TickAfter(TimeSpan.FromSeconds(Options.PodStartTimeoutSeconds), events.Writer, watching.Token);
                            }
                        }
                        else stuckSince.Remove(pod.Metadata.Name);
                        break;
                    case WatchEvent.Broken { What: var what, Error: var error }:
                        return await FailedAsync(spec, name, error is HttpOperationException h ? ClassOf(h.Response.StatusCode) : FailureClass.Transient,
                            $"watching the {what} of Job {Namespace}/{name}: {Describe(error)}", null, LastSeen(pods), cancellationToken);
                }
                // A pod that has waited past the start timeout will not start by itself soon enough.
                foreach (var (podName, since) in stuckSince)
                    if (DateTimeOffset.UtcNow - since >= TimeSpan.FromSeconds(Options.PodStartTimeoutSeconds)
                        && pods.TryGetValue(podName, out var stuckPod) && Stuck(stuckPod) is { } reason)
                        return NeverStarted(spec, name, stuckPod, reason, $"after {Options.PodStartTimeoutSeconds}s");
            }
        }
        finally
        {
            // Let the log stream deliver what the builder printed last (it ends when the container does).
            if (following is not null && !cancellationToken.IsCancellationRequested)
                await Task.WhenAny(following, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            await watching.CancelAsync();
            await Task.WhenAll([.. pumps, following ?? Task.CompletedTask]);
        }
    }

    /// <summary>Streams the builder container's log (follow=true) into <paramref name="log"/>, redacted; best effort.</summary>
    private async Task FollowLogAsync(string podName, Action<string> log, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(podName, Namespace,
                container: BuildJobManifests.BuilderContainer, follow: true, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line) log(Secrets.Redact(line));
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or OperationCanceledException)
        {
            // The outcome and the failure tail do not depend on this stream; a lost live log is only a lost view.
        }
    }

    /// <summary>Feeds one watch into the event channel, reconnecting when the server ends the stream.</summary>
    private static async Task PumpAsync<T>(string what, Func<CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<WatchEventType, T, WatchEvent> map, ChannelWriter<WatchEvent> events, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, item) in watch(cancellationToken))
                {
                    failures = 0;
                    if (type is WatchEventType.Error or WatchEventType.Bookmark) continue;
                    await events.WriteAsync(map(type, item), cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
            {
                // Watches end or break now and then (API server restarts, load balancer timeouts): reconnect a few times.
                if (++failures >= 5 || e is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.NotFound })
                {
                    events.TryWrite(new WatchEvent.Broken(what, e));
                    return;
                }
                try { await Task.Delay(TimeSpan.FromSeconds(failures), cancellationToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private static async Task TickAfter(TimeSpan delay, ChannelWriter<WatchEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            events.TryWrite(new WatchEvent.Tick());
        }
        catch (OperationCanceledException) { }
    }

    private static V1Pod? LastSeen(Dictionary<string, V1Pod> pods) =>
        pods.Values.OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();

    private static V1JobCondition? Condition(V1Job job, string type) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");

    private static V1ContainerStateWaiting? Stuck(V1Pod pod) =>
        (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? [])
            .Select(s => s.State?.Waiting)
            .FirstOrDefault(w => w?.Reason is { } r && StuckReasons.Contains(r));

    private async Task<BuildResult> SucceededAsync(BuildSpec spec, string name, CancellationToken cancellationToken)
    {
        var pod = await BuilderPodAsync(name, cancellationToken);
        var terminated = BuilderStatus(pod)?.State?.Terminated;
        if (BuildOutcome.TryParse(terminated?.Message, spec.BuildId) is BuildResult.Succeeded built) return built;
        var tail = pod is null ? [] : await LogTailAsync(pod.Metadata.Name, cancellationToken);
        return Fail(spec, FailureClass.Permanent,
            $"Job {Namespace}/{name} completed but the builder wrote no outcome to {BuildJobManifests.TerminationMessagePath} (is the image a Slipway builder?)", tail);
    }

    /// <summary>
    /// A failed Job: the class comes from the builder's exit code (75 = transient), the step and message from its
    /// outcome when it wrote one, the log tail from the pod's log; a pod that never ran says why it did not.
    /// </summary>
    private async Task<BuildResult> FailedAsync(BuildSpec spec, string name, FailureClass fallbackClass, string jobMessage, string? jobReason, V1Pod? lastSeen, CancellationToken cancellationToken)
    {
        // At its deadline the Job controller deletes the pod; then the last state the watch saw has to do.
        var pod = await BuilderPodAsync(name, cancellationToken) ?? lastSeen;
        var status = BuilderStatus(pod);
        if (pod is not null && status?.State?.Terminated is null && Stuck(pod) is { } waiting)
            return NeverStarted(spec, name, pod, waiting, jobReason is null ? "" : $"until the Job failed ({jobReason})");
        if (pod is null || status?.State?.Terminated is null && status?.State?.Running is null)
        {
            var why = pod is null ? "no pod was seen (none created: check the namespace's quota and the Job's events)" : PendingReason(pod);
            return Fail(spec, fallbackClass, $"{jobMessage}; {why}", [why]);
        }

        var tail = await LogTailAsync(pod.Metadata.Name, cancellationToken);
        if (status.State.Terminated is not { } terminated)
            return Fail(spec, fallbackClass, jobMessage, tail);

        var outcome = BuildOutcome.TryParse(terminated.Message, spec.BuildId) as BuildResult.Failed;
        var failureClass = terminated.ExitCode == TransientExitCode ? FailureClass.Transient : FailureClass.Permanent;
        var message = outcome is { Message: { Length: > 0 } m }
            ? m
            : $"builder exited with code {terminated.ExitCode}{(terminated.Reason is { } r && r != "Error" ? $" ({r})" : "")}{(jobReason is "DeadlineExceeded" ? $" after activeDeadlineSeconds={Options.ActiveDeadlineSeconds}" : "")}";
        return new BuildResult.Failed(spec.BuildId, outcome?.Step ?? "build", failureClass, Secrets.Redact(message), tail);
    }

    private BuildResult NeverStarted(BuildSpec spec, string name, V1Pod pod, V1ContainerStateWaiting waiting, string when)
    {
        var line = $"pod {pod.Metadata.Name} of Job {Namespace}/{name} never started{(when.Length > 0 ? " " + when : "")}: {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? "" : ": " + waiting.Message)}";
        return Fail(spec, PermanentReasons.Contains(waiting.Reason) ? FailureClass.Permanent : FailureClass.Transient, line, [line]);
    }

    private static string PendingReason(V1Pod pod)
    {
        var unscheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        if (unscheduled is not null) return $"pod {pod.Metadata.Name} was not scheduled: {unscheduled.Reason}: {unscheduled.Message}";
        var waiting = (pod.Status?.ContainerStatuses ?? []).Select(s => s.State?.Waiting).FirstOrDefault(w => w is not null);
        return waiting is null
            ? $"pod {pod.Metadata.Name} never started (phase {pod.Status?.Phase ?? "unknown"})"
            : $"pod {pod.Metadata.Name} never started: {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? "" : ": " + waiting.Message)}";
    }

    private async Task<V1Pod?> BuilderPodAsync(string jobName, CancellationToken cancellationToken)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"job-name={jobName}", cancellationToken: cancellationToken);
        // backoffLimit 0: one pod, unless the node lost it and the controller made another; the newest tells.
        return pods.Items.OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();
    }

    private static V1ContainerStatus? BuilderStatus(V1Pod? pod) =>
        pod?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == BuildJobManifests.BuilderContainer);

    private async Task<IReadOnlyList<string>> LogTailAsync(string podName, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(podName, Namespace,
                container: BuildJobManifests.BuilderContainer, tailLines: Options.LogTailLines, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (await reader.ReadLineAsync(cancellationToken) is { } line) lines.Add(Secrets.Redact(line));
            return lines.Count > Options.LogTailLines ? lines[^Options.LogTailLines..] : lines;
        }
        catch (HttpOperationException e)
        {
            return [$"(the log of pod {podName} could not be read: {Describe(e)})"];
        }
    }

    private static BuildResult.Failed Fail(BuildSpec spec, FailureClass failureClass, string message, IReadOnlyList<string>? tail = null) =>
        new(spec.BuildId, StepName, failureClass, Secrets.Redact(message), tail?.Select(Secrets.Redact).ToList() ?? []);

    /// <summary>Server-side trouble and throttling may pass; a refused or invalid request will not.</summary>
    private static FailureClass ClassOf(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or HttpStatusCode.RequestTimeout
            ? FailureClass.Transient
            : FailureClass.Permanent;

    private static string Describe(Exception e)
    {
        if (e is not HttpOperationException h) return e.Message;
        var status = $"{(int)h.Response.StatusCode} {h.Response.StatusCode}";
        try
        {
            var body = KubernetesJson.Deserialize<V1Status>(h.Response.Content);
            if (!string.IsNullOrEmpty(body?.Message)) return $"{status}: {body.Message}";
        }
        catch (System.Text.Json.JsonException) { }
        return status;
    }

    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
        _sweepGate.Dispose();
    }
}
