using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Kubernetes;

/// <summary>
/// A stand-in for a Kubernetes API server (none can run here), on loopback over plain HTTP: the REST paths and
/// JSON the client uses for Jobs, Pods, pod logs, Secrets and watches (<c>?watch=true</c>, one WatchEvent JSON
/// object a line). It records what was created and deleted; the test moves the Job's pod through Pending/Running
/// to Succeeded/Failed; deleting a Job with Background or Foreground propagation removes what the Job owns (its
/// pods and any object whose ownerReferences name its uid), as the garbage collector would; the default (orphan)
/// leaves them, so a missing propagation policy shows up as leftovers.
/// </summary>
public sealed class FakeKubernetesApiServer : HttpFixtureServer
{
    private readonly Lock _gate = new();
    private long _resourceVersion = 1000;
    private readonly Dictionary<string, V1Job> _jobs = new();
    private readonly Dictionary<string, V1Pod> _pods = new();
    private readonly Dictionary<string, V1Secret> _secrets = new();
    private readonly Dictionary<string, List<string>> _logs = new();
    /// <summary>Completed when the pod's builder has terminated: a follow=true log stream ends then.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _terminated = new();
    private readonly List<Watcher> _watchers = new();
    private readonly Channel<V1Job> _createdJobs = Channel.CreateUnbounded<V1Job>();
    private readonly Channel<V1Secret> _createdSecrets = Channel.CreateUnbounded<V1Secret>();

    private sealed record Watcher(string Kind, string Namespace, Func<IKubernetesObject<V1ObjectMeta>, bool> Matches, Channel<string> Lines);

    public FakeKubernetesApiServer() : base(concurrent: true) => Start();

    public string Url => Origin;

    /// <summary>Every request as "METHOD path?query", in arrival order.</summary>
    public List<string> Requests { get; } = new();
    /// <summary>Bodies of created objects exactly as received (to check nothing secret went where it should not).</summary>
    public List<string> CreateBodies { get; } = new();
    /// <summary>Kinds and names in creation order, e.g. "Job slipway-build-x", "Secret slipway-build-x-env".</summary>
    public List<string> CreationOrder { get; } = new();
    /// <summary>Requests the fake itself failed on (a test asserts there are none).</summary>
    public List<string> Errors { get; } = new();
    /// <summary>Deleted Jobs with the propagation policy asked for (null = none given).</summary>
    public List<(string Name, string? PropagationPolicy)> JobDeletions { get; } = new();

    /// <summary>A kubeconfig pointing at this server (plain HTTP, a dummy token).</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Url}
            users:
            - name: tester
              user:
                token: fake-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: tester
            current-context: fake
            """);
        return path;
    }

    /// <summary>Called (outside the server's lock) after a Job was stored; a <see cref="FakeKubelet"/> starts its pod here.</summary>
    public Action<V1Job>? JobCreated { get; set; }
    /// <summary>Called (outside the server's lock) after a Job was deleted; a <see cref="FakeKubelet"/> kills its pod's process.</summary>
    public Action<V1Job>? JobDeleted { get; set; }

    public async Task<V1Job> NextCreatedJobAsync(CancellationToken cancellationToken) => await _createdJobs.Reader.ReadAsync(cancellationToken);
    public async Task<V1Secret> NextCreatedSecretAsync(CancellationToken cancellationToken) => await _createdSecrets.Reader.ReadAsync(cancellationToken);

    /// <summary>Names of everything still stored ("Job x", "Pod y", "Secret z").</summary>
    public IReadOnlyList<string> Remaining()
    {
        lock (_gate)
            return [.. _jobs.Values.Select(j => $"Job {j.Metadata.Name}"), .. _pods.Values.Select(p => $"Pod {p.Metadata.Name}"),
                .. _secrets.Values.Select(s => $"Secret {s.Metadata.Name}")];
    }

    public V1Job? Job(string name) { lock (_gate) return _jobs.Values.FirstOrDefault(j => j.Metadata.Name == name); }
    public V1Secret? Secret(string name) { lock (_gate) return _secrets.Values.FirstOrDefault(s => s.Metadata.Name == name); }

    /// <summary>Puts a Job in place as if an earlier process had created it (for the start-up sweep).</summary>
    public void Seed(V1Job job)
    {
        lock (_gate)
        {
            Stamp(job);
            _jobs[Key(job)] = job;
        }
    }

    // ---- driving the Job the way the Job controller and the kubelet would ----

    /// <summary>The Job controller creates the pod; it waits to start (<paramref name="reason"/> e.g. ImagePullBackOff).</summary>
    public V1Pod PodWaiting(string jobName, string reason, string message) =>
        UpdatePod(jobName, pod =>
        {
            pod.Status = new V1PodStatus
            {
                Phase = "Pending",
                ContainerStatuses = [Status(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } }, ready: false)],
            };
        });

    /// <summary>The pod runs; the Job counts it active.</summary>
    public V1Pod PodRunning(string jobName)
    {
        var pod = UpdatePod(jobName, p => p.Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [Status(new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } }, ready: true)],
        });
        lock (_gate) _logs.TryAdd(pod.Metadata.Name, []);
        UpdateJob(jobName, j => j.Status = new V1JobStatus { Active = 1, StartTime = DateTime.UtcNow });
        return pod;
    }

    /// <summary>One more line of the running builder's log (what <c>kubectl logs</c> would show so far).</summary>
    public void AppendLog(string podName, string line)
    {
        lock (_gate) if (_logs.TryGetValue(podName, out var lines)) lines.Add(line);
    }

    /// <summary>Whether the Job is still stored (a deleted Job's pod is gone with it).</summary>
    public bool HasJob(string jobName) { lock (_gate) return _jobs.Values.Any(j => j.Metadata.Name == jobName); }

    /// <summary>
    /// The builder exits with <paramref name="exitCode"/> after printing <paramref name="log"/>, leaving
    /// <paramref name="terminationMessage"/>; the Job gets its final conditions (Complete or Failed).
    /// </summary>
    public void PodFinished(string jobName, int exitCode, string? terminationMessage, IEnumerable<string> log)
    {
        var pod = UpdatePod(jobName, p => p.Status = new V1PodStatus
        {
            Phase = exitCode == 0 ? "Succeeded" : "Failed",
            ContainerStatuses = [Status(new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = exitCode,
                    Reason = exitCode == 0 ? "Completed" : "Error",
                    Message = terminationMessage,
                    StartedAt = DateTime.UtcNow,
                    FinishedAt = DateTime.UtcNow,
                },
            }, ready: false)],
        });
        lock (_gate) _logs[pod.Metadata.Name] = log.ToList();
        Terminated(pod.Metadata.Name).TrySetResult();
        FinishJob(jobName, exitCode == 0 ? null : ("BackoffLimitExceeded", "Job has reached the specified backoff limit"));
    }

    /// <summary>The Job fails without its pod finishing (e.g. DeadlineExceeded while the pod still waits).</summary>
    public void JobFailed(string jobName, string reason, string message) => FinishJob(jobName, (reason, message));

    private void FinishJob(string jobName, (string Reason, string Message)? failure) =>
        UpdateJob(jobName, j =>
        {
            var now = DateTime.UtcNow;
            j.Status = failure is { } f
                ? new V1JobStatus
                {
                    Failed = 1, StartTime = now,
                    Conditions =
                    [
                        new V1JobCondition { Type = "FailureTarget", Status = "True", Reason = f.Reason, Message = f.Message, LastTransitionTime = now },
                        new V1JobCondition { Type = "Failed", Status = "True", Reason = f.Reason, Message = f.Message, LastTransitionTime = now },
                    ],
                }
                : new V1JobStatus
                {
                    Succeeded = 1, StartTime = now, CompletionTime = now,
                    Conditions =
                    [
                        new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True", LastTransitionTime = now },
                        new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = now },
                    ],
                };
        });

    private static V1ContainerStatus Status(V1ContainerState state, bool ready) =>
        new() { Name = "builder", Image = "builder", ImageID = "", Ready = ready, RestartCount = 0, State = state };

    private V1Job UpdateJob(string jobName, Action<V1Job> change)
    {
        lock (_gate)
        {
            var job = _jobs.Values.Single(j => j.Metadata.Name == jobName);
            change(job);
            Stamp(job);
            Broadcast("Job", "MODIFIED", job);
            return job;
        }
    }

    /// <summary>Creates the Job's pod on first use (name, labels and owner as the Job controller sets them).</summary>
    private V1Pod UpdatePod(string jobName, Action<V1Pod> change)
    {
        lock (_gate)
        {
            var job = _jobs.Values.Single(j => j.Metadata.Name == jobName);
            var pod = _pods.Values.FirstOrDefault(p => p.Metadata.Labels["job-name"] == jobName);
            var type = "MODIFIED";
            if (pod is null)
            {
                type = "ADDED";
                pod = new V1Pod
                {
                    ApiVersion = "v1", Kind = "Pod",
                    Metadata = new V1ObjectMeta
                    {
                        Name = $"{jobName}-x7k2p",
                        NamespaceProperty = job.Metadata.NamespaceProperty,
                        CreationTimestamp = DateTime.UtcNow,
                        Labels = new Dictionary<string, string>(job.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>())
                        {
                            ["job-name"] = jobName,
                            ["batch.kubernetes.io/job-name"] = jobName,
                            ["controller-uid"] = job.Metadata.Uid,
                            ["batch.kubernetes.io/controller-uid"] = job.Metadata.Uid,
                        },
                        OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = jobName, Uid = job.Metadata.Uid, Controller = true }],
                    },
                    Spec = job.Spec.Template.Spec,
                };
            }
            change(pod);
            Stamp(pod);
            _pods[Key(pod)] = pod;
            Broadcast("Pod", type, pod);
            return pod;
        }
    }

    private void Stamp(IKubernetesObject<V1ObjectMeta> o)
    {
        o.Metadata.ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        o.Metadata.Uid ??= Guid.NewGuid().ToString();
        o.Metadata.CreationTimestamp ??= DateTime.UtcNow;
    }

    private static string Key(IKubernetesObject<V1ObjectMeta> o) => $"{o.Metadata.NamespaceProperty}/{o.Metadata.Name}";

    private void Broadcast(string kind, string type, IKubernetesObject<V1ObjectMeta> o)
    {
        var line = $"{{\"type\":\"{type}\",\"object\":{KubernetesJson.Serialize(o)}}}\n";
        foreach (var w in _watchers.Where(w => w.Kind == kind && w.Namespace == o.Metadata.NamespaceProperty && w.Matches(o)))
            w.Lines.Writer.TryWrite(line);
    }

    // ---- HTTP ----

    private static readonly Regex JobsPath = new("^/apis/batch/v1/namespaces/([^/]+)/jobs(?:/([^/]+))?$");
    private static readonly Regex PodsPath = new("^/api/v1/namespaces/([^/]+)/pods(?:/([^/]+))?$");
    private static readonly Regex LogPath = new("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$");
    private static readonly Regex SecretsPath = new("^/api/v1/namespaces/([^/]+)/secrets(?:/([^/]+))?$");

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        lock (_gate) Requests.Add($"{request.HttpMethod} {path}{request.Url.Query}");
        try
        {
            string body;
            using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            Match m;
            if ((m = LogPath.Match(path)).Success && request.HttpMethod == "GET")
                await LogAsync(response, m.Groups[1].Value, m.Groups[2].Value, query);
            else if ((m = JobsPath.Match(path)).Success)
                await CollectionAsync(response, request.HttpMethod, "Job", m, query, body, _jobs);
            else if ((m = PodsPath.Match(path)).Success)
                await CollectionAsync(response, request.HttpMethod, "Pod", m, query, body, _pods);
            else if ((m = SecretsPath.Match(path)).Success)
                await CollectionAsync(response, request.HttpMethod, "Secret", m, query, body, _secrets);
            else
                await StatusAsync(response, 404, "NotFound", $"the fake API server does not serve {request.HttpMethod} {path}");
        }
        // Clients that went away, and requests still open when the server stops.
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException) { }
        catch (Exception e)
        {
            lock (_gate) Errors.Add($"{request.HttpMethod} {path}: {e}");
            await StatusAsync(response, 500, "InternalError", e.Message);
        }
    }

    private async Task CollectionAsync<T>(HttpListenerResponse response, string method, string kind, Match m, System.Collections.Specialized.NameValueCollection query,
        string body, Dictionary<string, T> store) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var ns = m.Groups[1].Value;
        var name = m.Groups[2].Success ? m.Groups[2].Value : null;
        switch (method, name)
        {
            case ("POST", null):
            {
                var created = KubernetesJson.Deserialize<T>(body);
                created.Metadata.NamespaceProperty ??= ns;
                bool exists;
                lock (_gate)
                {
                    exists = store.ContainsKey(Key(created));
                    if (!exists) Store(created);
                }
                if (exists)
                {
                    await StatusAsync(response, 409, "AlreadyExists", $"{kind.ToLowerInvariant()}s \"{created.Metadata.Name}\" already exists");
                    return;
                }
                if (created is V1Job job) { _createdJobs.Writer.TryWrite(job); JobCreated?.Invoke(job); }
                if (created is V1Secret secret) _createdSecrets.Writer.TryWrite(secret);
                await JsonAsync(response, 201, created);
                return;

                void Store(T created)
                {
                    Stamp(created);
                    store[Key(created)] = created;
                    CreateBodies.Add(body);
                    CreationOrder.Add($"{kind} {created.Metadata.Name}");
                    Broadcast(kind, "ADDED", created);
                }
            }
            case ("GET", null) when query["watch"] == "true":
                await WatchAsync(response, kind, ns, Selector(query), store);
                return;
            case ("GET", null):
            {
                List<T> items;
                lock (_gate) items = store.Values.Where(o => o.Metadata.NamespaceProperty == ns && Selector(query)(o)).ToList();
                var rv = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                object list = kind switch
                {
                    "Job" => new V1JobList { ApiVersion = "batch/v1", Kind = "JobList", Metadata = new V1ListMeta { ResourceVersion = rv }, Items = items.Cast<V1Job>().ToList() },
                    "Pod" => new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta { ResourceVersion = rv }, Items = items.Cast<V1Pod>().ToList() },
                    _ => new V1SecretList { ApiVersion = "v1", Kind = "SecretList", Metadata = new V1ListMeta { ResourceVersion = rv }, Items = items.Cast<V1Secret>().ToList() },
                };
                await JsonAsync(response, 200, list);
                return;
            }
            case ("GET", { } n):
            {
                T? found;
                lock (_gate) found = store.GetValueOrDefault($"{ns}/{n}");
                if (found is null) await StatusAsync(response, 404, "NotFound", $"{kind.ToLowerInvariant()}s \"{n}\" not found");
                else await JsonAsync(response, 200, found);
                return;
            }
            case ("DELETE", { } n) when kind == "Job":
            {
                var policy = query["propagationPolicy"];
                if (policy is null && body.Length > 0) policy = KubernetesJson.Deserialize<V1DeleteOptions>(body).PropagationPolicy;
                V1Job? deleted;
                lock (_gate)
                {
                    JobDeletions.Add((n, policy));
                    if (_jobs.Remove($"{ns}/{n}", out deleted))
                    {
                        Broadcast("Job", "DELETED", deleted);
                        if (policy is "Background" or "Foreground") CollectGarbage(deleted.Metadata.Uid);
                    }
                }
                if (deleted is not null) JobDeleted?.Invoke(deleted);
                if (deleted is null) await StatusAsync(response, 404, "NotFound", $"jobs.batch \"{n}\" not found");
                else await RawJsonAsync(response, 200, """{"apiVersion":"v1","kind":"Status","status":"Success"}""");
                return;
            }
            default:
                await StatusAsync(response, 405, "MethodNotAllowed", $"the fake API server does not support {method} on {kind}s");
                return;
        }
    }

    /// <summary>What the garbage collector does after a cascading delete: dependents of the uid go too.</summary>
    private void CollectGarbage(string ownerUid)
    {
        bool Owned(IKubernetesObject<V1ObjectMeta> o) => o.Metadata.OwnerReferences?.Any(r => r.Uid == ownerUid) == true;
        foreach (var pod in _pods.Where(kv => Owned(kv.Value)).ToList()) { _pods.Remove(pod.Key); Broadcast("Pod", "DELETED", pod.Value); }
        foreach (var secret in _secrets.Where(kv => Owned(kv.Value)).ToList()) { _secrets.Remove(secret.Key); Broadcast("Secret", "DELETED", secret.Value); }
    }

    /// <summary>Label selectors (a=b,c=d) and the metadata.name field selector, the forms the executor uses.</summary>
    private static Func<IKubernetesObject<V1ObjectMeta>, bool> Selector(System.Collections.Specialized.NameValueCollection query)
    {
        var labels = (query["labelSelector"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToList();
        var fields = (query["fieldSelector"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToList();
        if (fields.Any(f => f[0] != "metadata.name")) throw new NotSupportedException($"field selector {query["fieldSelector"]}");
        return o => labels.All(l => o.Metadata.Labels?.TryGetValue(l[0], out var v) == true && v == l[1])
                    && fields.All(f => o.Metadata.Name == f[1]);
    }

    /// <summary>Current matching objects as ADDED (what a watch without resourceVersion starts with), then every change.</summary>
    private async Task WatchAsync<T>(HttpListenerResponse response, string kind, string ns, Func<IKubernetesObject<V1ObjectMeta>, bool> matches,
        Dictionary<string, T> store) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.SendChunked = true;
        var watcher = new Watcher(kind, ns, matches, Channel.CreateUnbounded<string>());
        lock (_gate)
        {
            foreach (var o in store.Values.Where(o => o.Metadata.NamespaceProperty == ns && matches(o)))
                watcher.Lines.Writer.TryWrite($"{{\"type\":\"ADDED\",\"object\":{KubernetesJson.Serialize(o)}}}\n");
            _watchers.Add(watcher);
        }
        try
        {
            await foreach (var line in watcher.Lines.Reader.ReadAllAsync(Stopping))
            {
                var bytes = Encoding.UTF8.GetBytes(line);
                await response.OutputStream.WriteAsync(bytes, Stopping);
                await response.OutputStream.FlushAsync(Stopping);
            }
        }
        catch (OperationCanceledException) { }
        finally { lock (_gate) _watchers.Remove(watcher); }
    }

    private TaskCompletionSource Terminated(string podName) =>
        _terminated.GetOrAdd(podName, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task LogAsync(HttpListenerResponse response, string ns, string podName, System.Collections.Specialized.NameValueCollection query)
    {
        // follow=true on a running container: this fake prints the whole log when the container ends.
        if (query["follow"] == "true") await Terminated(podName).Task.WaitAsync(Stopping);
        List<string>? lines;
        V1Pod? pod;
        lock (_gate)
        {
            pod = _pods.GetValueOrDefault($"{ns}/{podName}");
            lines = _logs.GetValueOrDefault(podName);
        }
        if (pod is null) { await StatusAsync(response, 404, "NotFound", $"pods \"{podName}\" not found"); return; }
        if (lines is null)
        {
            await StatusAsync(response, 400, "BadRequest", $"container \"builder\" in pod \"{podName}\" is waiting to start: {pod.Status?.ContainerStatuses?[0].State?.Waiting?.Reason}");
            return;
        }
        if (int.TryParse(query["tailLines"], out var tail) && tail < lines.Count) lines = lines[^tail..];
        response.StatusCode = 200;
        response.ContentType = "text/plain";
        var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        await response.OutputStream.WriteAsync(bytes);
    }

    private static Task JsonAsync(HttpListenerResponse response, int status, object body) =>
        WriteAsync(response, status, KubernetesJson.Serialize(body));

    // V1Status reads but does not write through KubernetesJson (its converter only reads), so it is written by hand.
    private static Task StatusAsync(HttpListenerResponse response, int code, string reason, string message) =>
        RawJsonAsync(response, code, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "v1", ["kind"] = "Status", ["status"] = "Failure", ["code"] = code, ["reason"] = reason, ["message"] = message,
        }));

    private static Task RawJsonAsync(HttpListenerResponse response, int status, string json) => WriteAsync(response, status, json);

    protected override ValueTask DisposeCoreAsync()
    {
        lock (_gate) foreach (var w in _watchers) w.Lines.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
