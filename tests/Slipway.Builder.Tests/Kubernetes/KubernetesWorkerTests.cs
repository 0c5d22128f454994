using Slipway.Builder.Callbacks;
using Slipway.Builder.Queue;
using Slipway.Builder.Store;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Kubernetes;

/// <summary>
/// The worker (<c>slipway builder serve --executor kubernetes</c>, a separate process) with real RabbitMQ,
/// PostgreSQL, registry and git server, its builds run as Jobs on <see cref="FakeKubernetesApiServer"/> whose
/// <see cref="FakeKubelet"/> runs each Job's <c>slipway-builder builder run</c> as a local process: the same
/// scenario as the local executor (success with callbacks and a version, failure with log tail, cancel) and
/// nothing left behind (no Job, pod or Secret).
/// </summary>
[Collection(BuilderCollection.Name)]
public sealed class KubernetesWorkerTests(BuilderServices services) : IAsyncLifetime
{
    private readonly string _queue = "kube-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _secret = WebhookSigner.NewSecret();
    private readonly TempDir _dir = new("kubeworker");
    private readonly FakeKubernetesApiServer _api = new();
    private FakeKubelet _kubelet = null!;
    private RabbitMqServer _rabbit = null!;
    private string _db = null!;
    private CallbackReceiver _receiver = null!;
    private readonly List<BuilderProcess> _workers = [];

    private QueueTopology Topology => new(_queue, TimeSpan.FromSeconds(1));

    public async Task InitializeAsync()
    {
        _rabbit = await services.RabbitAsync();
        _db = await services.Postgres.CreateDatabaseAsync();
        _receiver = new CallbackReceiver(_secret);
        _kubelet = new FakeKubelet(_api);
        // The image's executable is the slipway-builder these tests run (built next to them); its ENV as in containers/builder.
        _kubelet.Commands["slipway-builder"] = ["dotnet", BuilderProcess.Dll];
        _kubelet.ImageEnvironment["BUILDER_WORK_DIR"] = Directory.CreateDirectory(_dir.Combine("builds")).FullName;
    }

    private BuilderProcess StartWorker(IEnumerable<string>? extra = null)
    {
        var w = BuilderProcess.Start(
        [
            "builder", "serve", "--executor", "kubernetes", "--amqp", _rabbit.AmqpUrl, "--postgres", _db, "--registry", services.Registry.Host,
            "--queue", _queue, "--retry-delay", "1", "--max-attempts", "2", "--work-dir", _dir.Combine("worker"),
            .. BuilderServices.AllowTestGit, .. extra ?? [],
        ], new Dictionary<string, string>
        {
            ["BUILDER_CALLBACK_SECRET"] = _secret,
            ["SLIPWAY_KUBERNETES__KUBECONFIG"] = _api.WriteKubeconfig(_dir.Path),
            ["SLIPWAY_KUBERNETES__NAMESPACE"] = "builds",
            ["SLIPWAY_KUBERNETES__IMAGE"] = "registry.test/slipway/builder:test",
            ["SLIPWAY_KUBERNETES__WORKERID"] = "worker-" + _queue,
        });
        _workers.Add(w);
        return w;
    }

    private Task SubmitAsync(string id, string repo, string service) => BuildPublisher.SubmitAsync(_rabbit.AmqpUrl, Topology, new BuildRequest
    {
        Id = id, Repo = services.Git.UrlOf(repo), Ref = "main", Tenant = "acme", Service = service,
        Token = BuilderServices.GitToken, CallbackUrl = _receiver.Url,
    }, default);

    [Fact]
    public async Task Success_failure_and_cancel_run_as_jobs_and_leave_nothing_behind()
    {
        var commit = await services.SampleRepoAsync("kube-ok");
        await services.Git.CreateRepositoryAsync("kube-bad", new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\nCOPY missing.txt /x\n" });
        var worker = StartWorker();

        // 1. Success: the Job's builder pushes by digest, the worker allocates version 1 and tags it.
        await SubmitAsync("kube-ok-1", "kube-ok", "kweb");
        var ok = await _receiver.WaitForAsync("kube-ok-1", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(10));
        Assert.Equal(["RUNNING", "SUCCEEDED"], _receiver.For("kube-ok-1").Select(c => c.Status));
        Assert.Equal((1, commit), (ok.Version, ok.Commit));
        Assert.Equal(await Skopeo.DigestAsync($"docker://{services.Registry.Host}/tenants/acme/kweb:1"), ok.Digest);
        Assert.Equal(0, _kubelet.Exits["slipway-build-kube-ok-1"]);

        // 2. Failure: permanent, at the build step, with the tail of the pod's log.
        await SubmitAsync("kube-bad-1", "kube-bad", "kbad");
        var failed = await _receiver.WaitForAsync("kube-bad-1", p => p.Status == "FAILED", TimeSpan.FromMinutes(10));
        Assert.Equal(("build", true, 1), (failed.FailedStep, failed.Final, failed.Attempt));
        Assert.NotEmpty(failed.LogTail!);
        Assert.True(failed.LogTail!.Count <= 50);
        Assert.Contains(failed.LogTail, l => l.Contains("missing.txt"));
        Assert.Equal(1, _kubelet.Exits["slipway-build-kube-bad-1"]);

        // 3. Cancel: the worker stops (SIGTERM) while the Job's pod runs; the executor deletes the Job, the kubelet
        // kills the process, and the request goes back to the queue for the next worker.
        var release = new TaskCompletionSource();
        var held = new TaskCompletionSource();
        _kubelet.BeforeProcessStart = job => { if (job == "slipway-build-kube-cancel-1") { held.TrySetResult(); return release.Task; } return Task.CompletedTask; };
        await SubmitAsync("kube-cancel-1", "kube-ok", "kcancel");
        await held.Task.WaitAsync(TimeSpan.FromMinutes(5));
        await worker.StopAsync();
        Assert.Contains(_api.JobDeletions, d => d == ("slipway-build-kube-cancel-1", "Background"));
        await Wait.UntilAsync(() => _kubelet.Killed.Contains("slipway-build-kube-cancel-1"), "the fake kubelet to kill the cancelled Job's process", TimeSpan.FromMinutes(1), every: TimeSpan.FromMilliseconds(50));
        Assert.Empty(_api.Remaining());

        // The next worker sweeps nothing (there is nothing) and builds the requeued request to the end.
        release.TrySetResult();
        StartWorker();
        var resumed = await _receiver.WaitForAsync("kube-cancel-1", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(10));
        Assert.Equal(1, resumed.Version);

        // Cleanup: every Job was deleted with background propagation, so its pod and owned Secret went with it.
        Assert.Empty(_api.Remaining());
        Assert.All(_api.JobDeletions, d => Assert.Equal("Background", d.PropagationPolicy));
        Assert.Contains("Secret slipway-build-kube-ok-1-env", _api.CreationOrder); // the token went through a Secret ...
        Leaks.AssertAbsent(BuilderServices.GitToken, _api.CreateBodies.Where(b => b.Contains("\"kind\":\"Job\"")), "a Job spec"); // ... not the Job
        await using var store = await BuildStore.OpenAsync(_db, default);
        Assert.Equal([1], (await store.VersionsAsync("acme", "kweb", default)).Select(v => v.Version));
        Assert.Empty(_receiver.Rejections);
        Assert.Empty(_kubelet.Errors);
        Assert.Empty(_api.Errors);
        foreach (var w in _workers) Leaks.AssertAbsent(BuilderServices.GitToken, w.Output, "a worker log");
    }

    [Fact]
    public async Task An_installation_id_is_minted_into_a_token_by_the_worker_and_reaches_the_job_only_through_its_secret()
    {
        var commit = await services.SampleRepoAsync("kube-app");
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var pub = System.Security.Cryptography.RSA.Create();
        pub.ImportRSAPublicKey(key.ExportRSAPublicKey(), out _);
        var keyFile = _dir.Write("app.pem", key.ExportRSAPrivateKeyPem());
        // The fake GitHub issues the one token the git server accepts.
        await using var github = new FakeGitHubApi(4242, pub, () => BuilderServices.GitToken, TimeSpan.FromHours(1));
        var worker = StartWorker(["--github-app-id", "4242", "--github-app-key", keyFile, "--github-api", github.BaseUrl.ToString()]);

        await BuildPublisher.SubmitAsync(_rabbit.AmqpUrl, Topology, new BuildRequest
        {
            Id = "kube-app-1", Repo = services.Git.UrlOf("kube-app"), Ref = "main", Tenant = "acme", Service = "kapp",
            InstallationId = 77, CallbackUrl = _receiver.Url,
        }, default);
        var ok = await _receiver.WaitForAsync("kube-app-1", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(10));
        Assert.Equal((1, commit), (ok.Version, ok.Commit));
        Assert.Equal(await Skopeo.DigestAsync($"docker://{services.Registry.Host}/tenants/acme/kapp:1"), ok.Digest);

        var (installation, body) = Assert.Single(github.Issued);
        Assert.Equal(77, installation);
        Assert.Equal(["kube-app"], System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()));
        // The token went into the build's Secret (base64, as Kubernetes stores it) and nowhere else.
        var secretBody = Assert.Single(_api.CreateBodies, b => b.Contains("\"kind\":\"Secret\"") && b.Contains("slipway-build-kube-app-1-env"));
        Assert.Contains(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(BuilderServices.GitToken)), secretBody);
        Leaks.AssertAbsent(BuilderServices.GitToken, _api.CreateBodies.Where(b => b.Contains("\"kind\":\"Job\"")), "a Job spec");
        Leaks.AssertAbsent(keyFile, _api.CreateBodies, "a Kubernetes object"); // the App key stays with the worker
        Leaks.AssertAbsent(BuilderServices.GitToken, worker.Output, "the worker log");
        Assert.Empty(_api.Remaining());
        Assert.Empty(_kubelet.Errors);
    }

    public async Task DisposeAsync()
    {
        foreach (var w in _workers) await w.DisposeAsync();
        await _kubelet.DisposeAsync();
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
        _dir.Dispose();
    }
}
