using System.Collections.Concurrent;
using System.Text;
using k8s.Models;
using Slipway.Builder.Executors.Kubernetes;
using Slipway.Builder.Model;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Kubernetes;

/// <summary>The executor end to end against <see cref="FakeKubernetesApiServer"/> over real HTTP with KubernetesClient.</summary>
public sealed class KubernetesExecutorTests : IAsyncLifetime
{
    private const string Token = "ghs_kubeTestToken0123456789";
    private const string CallbackSecretValue = "whsec_kubeTestCallback0123456789";
    private const string Digest = "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";

    private readonly TempDir _dir = new("slipway-kube");
    private FakeKubernetesApiServer _fake = null!;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    public Task InitializeAsync()
    {
        _fake = new FakeKubernetesApiServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Assert.True(_fake.Errors.Count == 0, string.Join("\n", _fake.Errors));
        _dir.Dispose();
        _timeout.Dispose();
    }

    private KubernetesExecutorOptions Options(string worker = "worker-a", int podStartTimeout = 0) => new()
    {
        Namespace = "builds",
        Image = "registry.test/slipway/builder:1.0",
        Kubeconfig = _fake.WriteKubeconfig(_dir.Path),
        WorkerId = worker,
        RegistryConfigSecret = "registry-auth",
        ActiveDeadlineSeconds = 900,
        TtlSecondsAfterFinished = 300,
        PodStartTimeoutSeconds = podStartTimeout,
        Requests = new() { Cpu = "250m", Memory = "512Mi" },
        Limits = new() { Cpu = "1", Memory = "2Gi", EphemeralStorage = "8Gi" },
    };

    private static BuildSpec Spec(string id = "build-0001") => new()
    {
        BuildId = id,
        RepoCloneUrl = "https://github.com/acme/web.git",
        Ref = "0123456789abcdef0123456789abcdef01234567",
        Tenant = "acme",
        Service = "web",
        RootDirectory = "apps/web",
        BuildCommand = "npm run build",
        CallbackUrl = "https://platform.test/callbacks/build-0001",
        CallbackSecret = new Secret(CallbackSecretValue),
        GitToken = new Secret(Token),
    };

    private CancellationToken Ct => _timeout.Token;

    /// <summary>Waits until the executor has logged a line containing <paramref name="fragment"/> (a sync point, not a timing check).</summary>
    private async Task LoggedAsync(string fragment)
    {
        while (!_log.Any(l => l.Contains(fragment, StringComparison.Ordinal))) await Task.Delay(20, Ct);
    }

    [Fact]
    public async Task Success_creates_the_job_then_its_owned_secret_returns_the_digest_and_deletes_everything()
    {
        var options = Options();
        using var executor = new KubernetesExecutor(options);
        var spec = Spec();
        var run = executor.RunAsync(spec, _log.Enqueue, Ct);

        var job = await _fake.NextCreatedJobAsync(Ct);
        var secret = await _fake.NextCreatedSecretAsync(Ct);
        _fake.PodRunning(job.Metadata.Name);
        await LoggedAsync($"pod {job.Metadata.Name}-x7k2p Running");
        _fake.PodFinished(job.Metadata.Name, 0,
            BuildOutcome.Serialize(new BuildResult.Succeeded("build-0001", new PublishedImage("registry.test/tenants/acme/web", null, Digest), spec.Ref)), ["pushed " + Digest]);
        var result = await run;

        var succeeded = Assert.IsType<BuildResult.Succeeded>(result);
        Assert.Equal(("build-0001", "registry.test/tenants/acme/web", Digest, spec.Ref), (succeeded.BuildId, succeeded.Image.Repository, succeeded.Image.Digest, succeeded.Commit));
        Assert.Null(succeeded.Image.Tag);

        AssertBuildJob(job, spec, options);

        // The per-build Secret: created after the Job, owned by it (its uid), holding the secret variables.
        Assert.Equal(["Job slipway-build-build-0001", "Secret slipway-build-build-0001-env"], _fake.CreationOrder);
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal(("batch/v1", "Job", job.Metadata.Name, job.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        Assert.Equal("builds", secret.Metadata.NamespaceProperty);
        Assert.Equal(Token, Encoding.UTF8.GetString(secret.Data["GITHUB_TOKEN"]));
        Assert.Equal(CallbackSecretValue, Encoding.UTF8.GetString(secret.Data["CALLBACK_SECRET"]));
        Assert.Equal(["CALLBACK_SECRET", "GITHUB_TOKEN"], secret.Data.Keys.Order());

        // Nothing secret in the Job as it went over the wire.
        Assert.DoesNotContain(Token, _fake.CreateBodies[0]);
        Assert.DoesNotContain(CallbackSecretValue, _fake.CreateBodies[0]);

        // Watched, not polled: one watch each on the Job and on its pods.
        Assert.Contains(_fake.Requests, r => r.StartsWith("GET /apis/batch/v1/namespaces/builds/jobs?", StringComparison.Ordinal) && r.Contains("watch=true") && r.Contains("fieldSelector=metadata.name%3Dslipway-build-build-0001"));
        Assert.Contains(_fake.Requests, r => r.StartsWith("GET /api/v1/namespaces/builds/pods?", StringComparison.Ordinal) && r.Contains("watch=true") && r.Contains("labelSelector=job-name%3Dslipway-build-build-0001"));

        Assert.Equal([(job.Metadata.Name, "Background")], _fake.JobDeletions);
        Assert.Empty(_fake.Remaining());
        Assert.DoesNotContain(_log, l => l.Contains(Token));
        // The builder's lines arrived live through a follow=true log stream.
        Assert.Contains("pushed " + Digest, _log);
        Assert.Contains(_fake.Requests, r => r.Contains($"/pods/{job.Metadata.Name}-x7k2p/log?") && r.Contains("follow=true"));
    }

    /// <summary>The created Job, field by field, against what a build Job must be.</summary>
    private static void AssertBuildJob(V1Job job, BuildSpec spec, KubernetesExecutorOptions options)
    {
        Assert.Equal("slipway-build-build-0001", job.Metadata.Name);
        Assert.Equal("builds", job.Metadata.NamespaceProperty);
        var expectedLabels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/managed-by"] = "slipway-builder",
            ["app.kubernetes.io/component"] = "build",
            ["slipway.dev/build-id"] = "build-0001",
            ["slipway.dev/tenant"] = "acme",
            ["slipway.dev/service"] = "web",
            ["slipway.dev/worker"] = "worker-a",
        };
        Assert.Equal(expectedLabels, job.Metadata.Labels);
        Assert.Equal(expectedLabels, job.Spec.Template.Metadata.Labels);
        Assert.Equal("build-0001", job.Metadata.Annotations["slipway.dev/build-id"]);

        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.Equal(900, job.Spec.ActiveDeadlineSeconds);
        Assert.Equal(300, job.Spec.TtlSecondsAfterFinished);

        var pod = job.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Null(pod.InitContainers);
        var builder = Assert.Single(pod.Containers);
        Assert.Equal("builder", builder.Name);
        Assert.Equal("registry.test/slipway/builder:1.0", builder.Image);
        Assert.Equal(["slipway-builder", "builder", "run"], builder.Command);
        Assert.Null(builder.Args);
        Assert.Equal(("/dev/termination-log", "File"), (builder.TerminationMessagePath, builder.TerminationMessagePolicy));

        var env = builder.Env.ToDictionary(e => e.Name);
        string? Value(string name) => env.TryGetValue(name, out var e) ? e.Value : null;
        Assert.Equal("build-0001", Value("BUILD_JOB_ID"));
        Assert.Equal("https://github.com/acme/web.git", Value("REPO_CLONE_URL"));
        Assert.Equal(spec.Ref, Value("REPO_REF"));
        Assert.Equal("acme", Value("TENANT"));
        Assert.Equal("web", Value("SERVICE"));
        Assert.Equal("apps/web", Value("ROOT_DIRECTORY"));
        Assert.Equal("npm run build", Value("BUILD_COMMAND"));
        Assert.Equal("https://platform.test/callbacks/build-0001", Value("CALLBACK_URL"));
        Assert.Equal("1", Value("BUILD_ATTEMPT"));
        Assert.Null(Value("IMAGE_TAG"));
        Assert.Equal("vfs", Value("STORAGE_DRIVER"));
        Assert.Equal("chroot", Value("BUILDAH_ISOLATION"));
        Assert.Equal("/dev/termination-log", Value("SLIPWAY_OUTCOME_FILE"));
        Assert.Equal("/slipway/registry-auth", Value("DOCKER_CONFIG"));
        Assert.False(env.ContainsKey("DOCKER_HOST"));
        foreach (var secretVar in new[] { "GITHUB_TOKEN", "CALLBACK_SECRET" })
        {
            Assert.False(env.ContainsKey(secretVar));
            Assert.Equal($"/slipway/build-secrets/{secretVar}", Value(secretVar + "_FILE"));
        }
        Assert.Equal("slipway-build-build-0001-env", Assert.Single(pod.Volumes, v => v.Name == "build-secrets").Secret.SecretName);
        Assert.False(env.ContainsKey("REGISTRY_PASSWORD"));
        Assert.All(builder.Env, e => Assert.True(e.Value is null || (!e.Value.Contains(Token) && !e.Value.Contains(CallbackSecretValue))));

        var security = builder.SecurityContext;
        Assert.Equal(0, security.RunAsUser);
        Assert.False(security.Privileged);
        Assert.False(security.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], security.Capabilities.Drop);
        Assert.Equal(["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "SETFCAP", "SYS_CHROOT"], security.Capabilities.Add);

        Assert.Equal(new Dictionary<string, string> { ["cpu"] = "250m", ["memory"] = "512Mi" },
            builder.Resources.Requests.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
        Assert.Equal(new Dictionary<string, string> { ["cpu"] = "1", ["memory"] = "2Gi", ["ephemeral-storage"] = "8Gi" },
            builder.Resources.Limits.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));

        var auth = Assert.Single(builder.VolumeMounts, m => m.Name == "registry-auth");
        Assert.Equal(("/slipway/registry-auth", true), (auth.MountPath, auth.ReadOnlyProperty));
        var authVolume = Assert.Single(pod.Volumes, v => v.Name == "registry-auth");
        Assert.Equal("registry-auth", authVolume.Secret.SecretName);
        Assert.Equal((".dockerconfigjson", "config.json"), (authVolume.Secret.Items[0].Key, authVolume.Secret.Items[0].Path));
        Assert.Single(builder.VolumeMounts, m => m.Name == "container-storage" && m.MountPath == "/var/lib/containers");
        Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == "container-storage").EmptyDir);
    }

    [Fact]
    public async Task Under_the_worker_s_coordinator_the_Job_gets_no_callback_or_VERSION_and_the_caller_hears_from_that_coordinator_only()
    {
        // One coordinator per build: the worker's sends the callbacks and tags VERSION; its Job only builds and pushes.
        var callbackSecret = Slipway.Builder.Callbacks.WebhookSigner.NewSecret();
        await using var receiver = new Support.CallbackReceiver(callbackSecret);
        using var http = new HttpClient();
        using var executor = new KubernetesExecutor(Options());
        var coordinator = new Slipway.Builder.Running.BuildCoordinator(executor, null, "registry.test", new Slipway.Builder.Callbacks.CallbackSender(http), "test");
        var spec = Spec() with { CallbackUrl = receiver.Url, CallbackSecret = new Secret(callbackSecret), Version = 7 };
        var run = coordinator.RunAsync(spec, 1, _log.Enqueue, Ct);

        var job = await _fake.NextCreatedJobAsync(Ct);
        var secret = await _fake.NextCreatedSecretAsync(Ct);
        var env = job.Spec.Template.Spec.Containers.Single().Env.Select(e => e.Name).ToList();
        foreach (var name in new[] { "VERSION", "CALLBACK_URL", "CALLBACK_SECRET_FILE", "CALLBACK_TOKEN_FILE" }) Assert.DoesNotContain(name, env);
        Assert.Contains("GITHUB_TOKEN_FILE", env);
        Assert.Equal(["GITHUB_TOKEN"], (secret.StringData?.Keys ?? secret.Data.Keys).ToList());
        _fake.PodRunning(job.Metadata.Name);
        await LoggedAsync($"pod {job.Metadata.Name}-x7k2p Running");
        _fake.PodFinished(job.Metadata.Name, 1,
            BuildOutcome.Serialize(new BuildResult.Failed(spec.BuildId, "build", FailureClass.Permanent, "npm run build exited with code 2", [])), ["npm ERR!"]);

        var failed = Assert.IsType<BuildResult.Failed>(await run);
        Assert.Equal(("build", FailureClass.Permanent, "npm run build exited with code 2", true), (failed.Step, failed.Class, failed.Message, failed.Final));
        Assert.Equal(["RUNNING", "FAILED"], receiver.Accepted.Select(c => c.Status));
        Assert.Equal(("build", true), (receiver.Accepted.Last().FailedStep, receiver.Accepted.Last().Final));
    }

    [Theory]
    [InlineData(1, FailureClass.Permanent)]
    [InlineData(75, FailureClass.Transient)]
    public async Task Failure_returns_the_step_the_class_from_the_exit_code_and_the_last_50_log_lines(int exitCode, FailureClass expected)
    {
        using var executor = new KubernetesExecutor(Options());
        var run = executor.RunAsync(Spec(), _log.Enqueue, Ct);
        var job = await _fake.NextCreatedJobAsync(Ct);
        await _fake.NextCreatedSecretAsync(Ct);
        _fake.PodRunning(job.Metadata.Name);
        await LoggedAsync($"pod {job.Metadata.Name}-x7k2p Running");
        var log = Enumerable.Range(1, 80).Select(i => $"step output line {i}").Append($"cloning with token {Token}").ToList();
        _fake.PodFinished(job.Metadata.Name, exitCode,
            BuildOutcome.Serialize(new BuildResult.Failed("b", "build", exitCode == 75 ? FailureClass.Transient : FailureClass.Permanent, "npm run build exited with code 2", [])), log);
        var result = await run;

        var failed = Assert.IsType<BuildResult.Failed>(result);
        Assert.Equal(("build", expected, "npm run build exited with code 2"), (failed.Step, failed.Class, failed.Message));
        Assert.Equal(50, failed.LogTail.Count);
        Assert.Equal("step output line 32", failed.LogTail[0]);
        Assert.Equal($"cloning with token {Secrets.Mask}", failed.LogTail[^1]);
        Assert.Contains("step output line 1", _log);
        Assert.Contains($"cloning with token {Secrets.Mask}", _log);
        Assert.DoesNotContain(_log, l => l.Contains(Token));
        Assert.Contains(_fake.Requests, r => r.StartsWith($"GET /api/v1/namespaces/builds/pods/{job.Metadata.Name}-x7k2p/log?", StringComparison.Ordinal)
                                              && r.Contains("tailLines=50") && r.Contains("container=builder"));
        Assert.Equal([(job.Metadata.Name, "Background")], _fake.JobDeletions);
        Assert.Empty(_fake.Remaining());
    }

    [Fact]
    public async Task Failure_without_an_outcome_names_the_exit_code()
    {
        using var executor = new KubernetesExecutor(Options());
        var run = executor.RunAsync(Spec(), _log.Enqueue, Ct);
        var job = await _fake.NextCreatedJobAsync(Ct);
        _fake.PodFinished(job.Metadata.Name, 137, null, ["Killed"]);
        var failed = Assert.IsType<BuildResult.Failed>(await run);
        Assert.Equal(("build", FailureClass.Permanent, "builder exited with code 137"), (failed.Step, failed.Class, failed.Message));
        Assert.Equal(["Killed"], failed.LogTail);
        Assert.Empty(_fake.Remaining());
    }

    [Fact]
    public async Task A_pod_that_never_starts_fails_the_build_with_the_reason_and_leaves_nothing()
    {
        using var executor = new KubernetesExecutor(Options(podStartTimeout: 0));
        var run = executor.RunAsync(Spec(), _log.Enqueue, Ct);
        var job = await _fake.NextCreatedJobAsync(Ct);
        _fake.PodWaiting(job.Metadata.Name, "ImagePullBackOff", "Back-off pulling image \"registry.test/slipway/builder:1.0\"");
        var result = await run;

        var failed = Assert.IsType<BuildResult.Failed>(result);
        Assert.Equal(("kubernetes", FailureClass.Transient), (failed.Step, failed.Class));
        Assert.Contains("never started", failed.Message);
        Assert.Contains("ImagePullBackOff: Back-off pulling image \"registry.test/slipway/builder:1.0\"", failed.Message);
        Assert.Equal([failed.Message], failed.LogTail);
        // No log read was attempted for a container that never ran.
        Assert.DoesNotContain(_fake.Requests, r => r.Contains("/log"));
        Assert.Equal([(job.Metadata.Name, "Background")], _fake.JobDeletions);
        Assert.Empty(_fake.Remaining());
    }

    [Fact]
    public async Task A_job_that_hits_its_deadline_while_the_pod_waits_says_why_the_pod_never_started()
    {
        using var executor = new KubernetesExecutor(Options(podStartTimeout: 3600));
        var run = executor.RunAsync(Spec(), _log.Enqueue, Ct);
        var job = await _fake.NextCreatedJobAsync(Ct);
        _fake.PodWaiting(job.Metadata.Name, "CreateContainerConfigError", "secret \"registry-auth\" not found");
        _fake.JobFailed(job.Metadata.Name, "DeadlineExceeded", "Job was active longer than specified deadline");
        var failed = Assert.IsType<BuildResult.Failed>(await run);
        Assert.Equal(("kubernetes", FailureClass.Permanent), (failed.Step, failed.Class));
        Assert.Contains("never started until the Job failed (DeadlineExceeded): CreateContainerConfigError: secret \"registry-auth\" not found", failed.Message);
        Assert.Empty(_fake.Remaining());
    }

    [Fact]
    public async Task Cancelling_deletes_the_job_and_with_it_the_secret_and_pod()
    {
        using var executor = new KubernetesExecutor(Options());
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = executor.RunAsync(Spec(), _log.Enqueue, cancel.Token);
        var job = await _fake.NextCreatedJobAsync(Ct);
        await _fake.NextCreatedSecretAsync(Ct);
        _fake.PodRunning(job.Metadata.Name);
        Assert.Equal(3, _fake.Remaining().Count);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal([(job.Metadata.Name, "Background")], _fake.JobDeletions);
        Assert.Empty(_fake.Remaining());
    }

    [Fact]
    public async Task Start_up_sweep_deletes_only_this_workers_jobs_once()
    {
        V1Job Left(string name, string worker, bool managed = true) => new()
        {
            ApiVersion = "batch/v1", Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = name, NamespaceProperty = "builds",
                Labels = managed
                    ? new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "slipway-builder", ["slipway.dev/worker"] = worker }
                    : new Dictionary<string, string> { ["slipway.dev/worker"] = worker },
            },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] } } },
        };
        _fake.Seed(Left("slipway-build-crashed-1", "worker-a"));
        _fake.Seed(Left("slipway-build-crashed-2", "worker-a"));
        _fake.Seed(Left("slipway-build-other-worker", "worker-b"));
        _fake.Seed(Left("not-ours", "worker-a", managed: false));

        using var executor = new KubernetesExecutor(Options("worker-a"));
        await executor.SweepAsync(_log.Enqueue, Ct);
        await executor.SweepAsync(_log.Enqueue, Ct);

        Assert.Equal([("slipway-build-crashed-1", "Background"), ("slipway-build-crashed-2", "Background")], _fake.JobDeletions.Order());
        Assert.Equal(["Job not-ours", "Job slipway-build-other-worker"], _fake.Remaining().Order());
        Assert.Single(_fake.Requests, r => r.Contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Dslipway-builder%2Cslipway.dev%2Fworker%3Dworker-a"));
    }

    [Fact]
    public async Task A_build_runs_the_sweep_first()
    {
        _fake.Seed(new V1Job
        {
            ApiVersion = "batch/v1", Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = "slipway-build-left", NamespaceProperty = "builds",
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "slipway-builder", ["slipway.dev/worker"] = "worker-a" },
            },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] } } },
        });
        using var executor = new KubernetesExecutor(Options());
        var run = executor.RunAsync(Spec(), _log.Enqueue, Ct);
        var job = await _fake.NextCreatedJobAsync(Ct);
        Assert.Equal([("slipway-build-left", "Background")], _fake.JobDeletions);
        _fake.PodFinished(job.Metadata.Name, 0, BuildOutcome.Serialize(new BuildResult.Succeeded("b", new PublishedImage("r.test/x", null, Digest), null)), []);
        Assert.IsType<BuildResult.Succeeded>(await run);
        Assert.Empty(_fake.Remaining());
    }

    [Fact]
    public async Task A_completed_job_without_an_outcome_is_a_permanent_failure()
    {
        using var executor = new KubernetesExecutor(Options());
        var run = executor.RunAsync(Spec(), _log.Enqueue, Ct);
        var job = await _fake.NextCreatedJobAsync(Ct);
        _fake.PodFinished(job.Metadata.Name, 0, null, ["hello from a wrong image"]);
        var failed = Assert.IsType<BuildResult.Failed>(await run);
        Assert.Equal(("kubernetes", FailureClass.Permanent), (failed.Step, failed.Class));
        Assert.Contains("wrote no outcome to /dev/termination-log", failed.Message);
        Assert.Empty(_fake.Remaining());
    }
}
