using RabbitMQ.Client;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Queue;
using Slipway.Builder.Store;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;

namespace Slipway.Builder.Tests;

/// <summary>The queue worker as separate slipway-builder processes against real RabbitMQ, PostgreSQL, registry and git server.</summary>
[Collection(BuilderCollection.Name)]
public sealed class QueueTests(BuilderServices services) : IAsyncLifetime
{
    private readonly string _queue = "builds-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _secret = WebhookSigner.NewSecret();
    private readonly TempDir _work = new("qwork");
    private RabbitMqServer _rabbit = null!;
    private string _db = null!;
    private CallbackReceiver _receiver = null!;
    private NotificationTap _tap = null!;
    private readonly List<BuilderProcess> _workers = [];

    private QueueTopology Topology => new(_queue, TimeSpan.FromSeconds(1));
    private const string ApiToken = "queue-tests-api-token-0123456789";

    /// <summary>Every wait has a deadline: a regression fails naming the test instead of hanging.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        var until = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what} did not happen within {limit}");
            await Task.Delay(100);
        }
    }

    public async Task InitializeAsync()
    {
        _rabbit = await services.RabbitAsync();
        _db = await services.Postgres.CreateDatabaseAsync();
        _receiver = new CallbackReceiver(_secret);
        _tap = await NotificationTap.StartAsync(_rabbit.AmqpUrl, Topology);
    }

    private BuilderProcess StartWorker(int workers = 1, int maxAttempts = 3, int? httpPort = null, IEnumerable<string>? extra = null)
    {
        var args = new List<string>
        {
            "builder", "serve", "--amqp", _rabbit.AmqpUrl, "--postgres", _db, "--registry", services.Registry.Host,
            "--queue", _queue, "--retry-delay", "1", "--max-attempts", maxAttempts.ToString(), "--workers", workers.ToString(),
            "--work-dir", _work.Path,
        };
        args.AddRange(BuilderServices.AllowTestGit);
        if (httpPort is { } p)
        {
            File.WriteAllText(_work.Path + "-tokens", ApiToken + "\n");
            args.AddRange(["--http", $"127.0.0.1:{p}", "--api-token-file", _work.Path + "-tokens"]);
        }
        if (extra is not null) args.AddRange(extra);
        // The callback secret comes from the environment (flags > environment; both work).
        var w = BuilderProcess.Start(args, new Dictionary<string, string> { ["BUILDER_CALLBACK_SECRET"] = _secret });
        _workers.Add(w);
        return w;
    }

    private BuildRequest Request(string id, string repo, string service, string tenant = "acme", string? repoUrl = null) => new()
    {
        Id = id, Repo = repoUrl ?? services.Git.UrlOf(repo), Ref = "main", Tenant = tenant, Service = service,
        Token = BuilderServices.GitToken, CallbackUrl = _receiver.Url,
    };

    private Task SubmitAsync(BuildRequest r) => BuildPublisher.SubmitAsync(_rabbit.AmqpUrl, Topology, r, default);

    [Fact]
    public async Task Three_workers_build_twenty_requests_each_once_with_unique_versions_and_the_api_shows_them()
    {
        await services.SampleRepoAsync("q-many");
        var http = FreePort.Next();
        StartWorker(workers: 2, httpPort: http);
        StartWorker(workers: 1);
        var ids = Enumerable.Range(1, 20).Select(i => $"many-{i}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i))) await SubmitAsync(Request(id, "q-many", i % 2 == 0 ? "web" : "api"));

        foreach (var id in ids) await _receiver.WaitForAsync(id, p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(15));
        foreach (var id in ids) Assert.Single(_receiver.For(id), p => p.Status == "RUNNING");
        await using var store = await BuildStore.OpenAsync(_db, default);
        foreach (var service in new[] { "web", "api" })
        {
            var versions = await store.VersionsAsync("acme", service, default);
            Assert.Equal(Enumerable.Range(1, 10), versions.Select(v => v.Version).Order());
            Assert.Equal(10, versions.Select(v => v.BuildId).Distinct().Count());
        }
        await WaitUntilAsync(() => _tap.Succeeded.Count >= 20, "20 success notifications");
        Assert.Equal(20, _tap.Succeeded.Select(s => s.BuildId).Distinct().Count());

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiToken);
        Assert.Equal("ok", (await client.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("status").GetString());
        var builds = await client.GetFromJsonAsync<JsonElement>("/api/builds?tenant=acme&service=web&status=SUCCEEDED&limit=100");
        Assert.Equal(10, builds.GetArrayLength());
        var one = await client.GetFromJsonAsync<JsonElement>("/api/builds/many-1");
        Assert.Equal("SUCCEEDED", one.GetProperty("status").GetString());
        Assert.Equal(services.Git.UrlOf("q-many"), one.GetProperty("repo").GetString());
        Assert.StartsWith($"{services.Registry.Host}/tenants/acme/web:", one.GetProperty("image").GetString());
        foreach (var field in new[] { "id", "tenant", "service", "attempt", "maxAttempts", "final", "version", "digest", "commit", "ref", "createdAt", "startedAt", "finishedAt", "durationMs", "failedStep", "error", "logTail" })
            Assert.True(one.TryGetProperty(field, out _), $"/api/builds/{{id}} lacks {field}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/api/builds/nope")).StatusCode);
        var versionsJson = await client.GetFromJsonAsync<JsonElement>("/api/versions/acme/web");
        Assert.Equal(10, versionsJson[0].GetProperty("version").GetInt32());
        Assert.True(versionsJson[0].GetProperty("latest").GetBoolean());
        Assert.Empty(Directory.GetFileSystemEntries(_work.Path));
        foreach (var w in _workers) Leaks.AssertAbsent(BuilderServices.GitToken, w.Output, "a worker log");
    }

    [Fact]
    public async Task An_installation_id_gets_a_github_app_token_for_that_repository_that_no_child_process_log_or_callback_sees()
    {
        await services.SampleRepoAsync("q-app");
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var pub = System.Security.Cryptography.RSA.Create();
        pub.ImportRSAPublicKey(key.ExportRSAPublicKey(), out _);
        var keyFile = Path.Combine(_work.Path, "..", Path.GetFileName(_work.Path) + "-app.pem");
        File.WriteAllText(keyFile, key.ExportRSAPrivateKeyPem());
        // The fake GitHub issues the one token the git server accepts.
        await using var github = new FakeGitHubApi(4242, pub, () => BuilderServices.GitToken, TimeSpan.FromHours(1));
        var worker = StartWorker(extra: ["--github-app-id", "4242", "--github-app-key", keyFile, "--github-api", github.BaseUrl.ToString()]);
        using var watching = new CancellationTokenSource();
        var cmdlines = Leaks.WatchCommandLinesAsync(worker.Descendants, watching.Token);
        await SubmitAsync(Request("app-1", "q-app", "web") with { Token = null, InstallationId = 77 });
        var ok = await _receiver.WaitForAsync("app-1", p => p.Status == "SUCCEEDED");
        await watching.CancelAsync();
        var seen = await cmdlines;
        File.Delete(keyFile);

        Assert.Equal(1, ok.Version);
        var (installation, body) = Assert.Single(github.Issued);
        Assert.Equal(77, installation);
        var scope = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["q-app"], scope.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(seen, c => c.Contains("buildah")); // the watch did see the children
        Leaks.AssertAbsent(BuilderServices.GitToken, seen, "a child process's command line");
        Leaks.AssertAbsent(BuilderServices.GitToken, worker.Output, "the worker log");
        Leaks.AssertAbsent(BuilderServices.GitToken, _receiver.Bodies, "a callback body");
        Leaks.AssertAbsentInTree(BuilderServices.GitToken, services.Registry.StorageDirectory);
    }

    [Fact]
    public async Task Transient_failures_go_through_the_fail_queue_and_give_up_after_max_attempts()
    {
        await services.SampleRepoAsync("q-retry");
        StartWorker(maxAttempts: 3);
        // 1. The git host is down for the first attempt, back for the second.
        services.Git.Unavailable = true;
        try
        {
            await SubmitAsync(Request("retry-1", "q-retry", "web"));
            await _receiver.WaitForAsync("retry-1", p => p.Status == "FAILED");
        }
        finally { services.Git.Unavailable = false; }
        var ok = await _receiver.WaitForAsync("retry-1", p => p.Status == "SUCCEEDED");
        Assert.Equal(2, ok.Attempt);
        var first = _receiver.For("retry-1").First(p => p.Status == "FAILED");
        Assert.Equal(("clone", false), (first.FailedStep, first.Final));
        Assert.Equal(1, ok.Version); // the failed attempt used no number

        // 2. A host that never answers: three attempts, then a final FAILED callback and a give-up notification.
        await SubmitAsync(Request("retry-2", "q-retry", "web", repoUrl: $"http://127.0.0.1:{FreePort.Next()}/gone.git"));
        var final = await _receiver.WaitForAsync("retry-2", p => p.Status == "FAILED" && p.Final == true);
        Assert.Equal(3, final.Attempt);
        Assert.Equal([1, 2, 3], _receiver.For("retry-2").Where(p => p.Status == "FAILED").Select(p => p.Attempt));
        await WaitUntilAsync(() => _tap.Failed.Any(f => f.BuildId == "retry-2"), "the give-up notification of retry-2");
        Assert.False(_tap.Failed.Single(f => f.BuildId == "retry-2").Rejected);
        Assert.Contains(_tap.Succeeded, s => s.BuildId == "retry-1" && s.Version == 1);
    }

    [Fact]
    public async Task Bad_requests_are_rejected_with_their_reason_and_permanent_failures_fail_at_once()
    {
        await services.Git.CreateRepositoryAsync("q-bad", new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\nCOPY missing.txt /x\n" });
        StartWorker(maxAttempts: 3);
        await SubmitAsync(Request("bad-1", "q-bad", "web"));
        var failed = await _receiver.WaitForAsync("bad-1", p => p.Status == "FAILED");
        Assert.Equal((1, true, "build"), (failed.Attempt, failed.Final, failed.FailedStep));

        // Published raw (submit would refuse these itself).
        await using (var c = await QueueTopology.Factory(_rabbit.AmqpUrl, "raw").CreateConnectionAsync())
        await using (var ch = await c.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(true, true)))
        {
            await ch.BasicPublishAsync("", _queue, System.Text.Encoding.UTF8.GetBytes("{\"id\":\"bad-2\",\"repo\":\"https://example.com/r.git\",\"tenant\":\"Not Valid\",\"service\":\"x\"}"));
            await ch.BasicPublishAsync("", _queue, System.Text.Encoding.UTF8.GetBytes("not json"));
        }
        await WaitUntilAsync(() => _tap.Failed.Count(f => f.Rejected) >= 2, "two rejection notifications");
        Assert.Contains(_tap.Failed, f => f.BuildId == "bad-2" && f.Reason.Contains("tenant 'Not Valid' is invalid"));
        Assert.Contains(_tap.Failed, f => f.BuildId is null && f.Reason.Contains("not a build request"));
        Assert.Contains(_tap.Failed, f => f.BuildId == "bad-1" && !f.Rejected);
    }

    [Fact]
    public async Task A_redelivered_request_is_not_built_again_and_callbacks_survive_a_receiver_outage()
    {
        await services.SampleRepoAsync("q-idem");
        StartWorker();
        _receiver.Down = true;
        await SubmitAsync(Request("idem-1", "q-idem", "web"));
        await WaitUntilAsync(() => _receiver.Requests >= 3, "three callback attempts on the down receiver");
        _receiver.Down = false;
        var ok = await _receiver.WaitForAsync("idem-1", p => p.Status == "SUCCEEDED");
        await SubmitAsync(Request("idem-1", "q-idem", "web"));
        await _receiver.WaitForAsync("idem-1", p => p.Status == "SUCCEEDED" && p.Sequence > ok.Sequence);
        Assert.Single(_receiver.For("idem-1"), p => p.Status == "RUNNING");
        Assert.All(_receiver.For("idem-1").Where(p => p.Status == "SUCCEEDED"), p => Assert.Equal((1, ok.Digest), (p.Version!.Value, p.Digest)));
        await using var store = await BuildStore.OpenAsync(_db, default);
        Assert.Single(await store.VersionsAsync("acme", "web", default));
    }

    [Fact]
    public async Task A_worker_killed_mid_build_leaves_the_request_to_another_and_one_version_is_used()
    {
        await services.SampleRepoAsync("q-kill");
        var victim = StartWorker();
        await SubmitAsync(Request("kill-1", "q-kill", "web"));
        await victim.WaitForOutputAsync(l => l.Contains("[kill-1 #1 w0] clone"), TimeSpan.FromMinutes(5));
        victim.KillHard();
        await victim.WaitAsync(TimeSpan.FromSeconds(30));
        StartWorker();
        var ok = await _receiver.WaitForAsync("kill-1", p => p.Status == "SUCCEEDED");
        Assert.Equal(1, ok.Version);
        // The victim could not clean up; the next build swept its workspace (its lock died with it).
        Assert.Empty(Directory.GetFileSystemEntries(_work.Path));
        Assert.Contains(_workers[1].Output, l => l.Contains("removing the workspace of a build whose worker died"));
        await using var store = await BuildStore.OpenAsync(_db, default);
        Assert.Single(await store.VersionsAsync("acme", "web", default));
        // The notification follows the SUCCEEDED callback: waited for, then counted.
        await WaitUntilAsync(() => _tap.Succeeded.Any(s => s.BuildId == "kill-1"), "the success notification of kill-1");
        Assert.Equal(1, _tap.Succeeded.Count(s => s.BuildId == "kill-1"));
    }

    [Fact]
    public async Task Workers_reconnect_after_rabbitmq_restarts_and_finish_every_request()
    {
        await services.SampleRepoAsync("q-restart");
        var worker = StartWorker();
        await SubmitAsync(Request("restart-1", "q-restart", "web"));
        await _receiver.WaitForAsync("restart-1", p => p.Status == "SUCCEEDED");
        await _rabbit.StopAsync();
        await _rabbit.StartNodeAsync();
        await SubmitAsync(Request("restart-2", "q-restart", "web"));
        await SubmitAsync(Request("restart-3", "q-restart", "web"));
        await _receiver.WaitForAsync("restart-2", p => p.Status == "SUCCEEDED");
        await _receiver.WaitForAsync("restart-3", p => p.Status == "SUCCEEDED");
        Assert.False(worker.HasExited);
        await using var store = await BuildStore.OpenAsync(_db, default);
        Assert.Equal([3, 2, 1], (await store.VersionsAsync("acme", "web", default)).Select(v => v.Version));
    }

    public async Task DisposeAsync()
    {
        foreach (var w in _workers) await w.DisposeAsync();
        await _tap.DisposeAsync();
        await _receiver.DisposeAsync();
        File.Delete(_work.Path + "-tokens");
        _work.Dispose();
    }
}
