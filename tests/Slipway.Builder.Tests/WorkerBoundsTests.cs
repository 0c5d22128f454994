using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Queue;
using Slipway.Builder.Store;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;

namespace Slipway.Builder.Tests;

/// <summary>
/// Hostile tenants against the queue worker (issue 17, bounded work and tenant scoping), each as the attack first:
/// a build that never ends, output and requests PostgreSQL cannot store, a build id another tenant already used,
/// the API read without a token or across tenants, a channel the broker closes. Real RabbitMQ, PostgreSQL,
/// registry, git server and buildah; the worker is the built slipway-builder as a separate process.
/// </summary>
[Collection(BuilderCollection.Name)]
public sealed class WorkerBoundsTests(BuilderServices services) : IAsyncLifetime
{
    private readonly string _queue = "bounds-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _secret = WebhookSigner.NewSecret();
    private readonly TempDir _work = new("bwork");
    private RabbitMqServer _rabbit = null!;
    private string _db = null!;
    private CallbackReceiver _receiver = null!;
    private readonly List<BuilderProcess> _workers = [];
    private readonly List<IAsyncDisposable> _disposables = [];

    private const string OperatorToken = "operator-token-0123456789abcdef";
    private const string AcmeToken = "acme-token-0123456789abcdef";
    private const string EvilToken = "evil-token-0123456789abcdef";

    private QueueTopology Topology => new(_queue, TimeSpan.FromSeconds(1));

    public async Task InitializeAsync()
    {
        _rabbit = await services.RabbitAsync();
        _db = await services.Postgres.CreateDatabaseAsync();
        _receiver = new CallbackReceiver(_secret);
    }

    private BuilderProcess StartWorker(RabbitMqServer? rabbit = null, int? httpPort = null, IEnumerable<string>? extra = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var args = new List<string>
        {
            "builder", "serve", "--amqp", (rabbit ?? _rabbit).AmqpUrl, "--postgres", _db, "--registry", services.Registry.Host,
            "--queue", _queue, "--retry-delay", "1", "--max-attempts", "3", "--work-dir", _work.Path,
        };
        args.AddRange(BuilderServices.AllowTestGit);
        if (httpPort is { } p)
        {
            var tokens = _work.Path + "-tokens";
            File.WriteAllText(tokens, $"# operator (the dashboard)\n{OperatorToken}\n{AcmeToken} acme\n{EvilToken} evil\n");
            args.AddRange(["--http", p.ToString(), "--api-token-file", tokens]);
        }
        if (extra is not null) args.AddRange(extra);
        var env = new Dictionary<string, string> { ["BUILDER_CALLBACK_SECRET"] = _secret };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        var w = BuilderProcess.Start(args, env);
        _workers.Add(w);
        return w;
    }

    private BuildRequest Request(string id, string repo, string service = "web", string tenant = "acme", string? callbackUrl = null) => new()
    {
        Id = id, Repo = services.Git.UrlOf(repo), Ref = "main", Tenant = tenant, Service = service,
        Token = BuilderServices.GitToken, CallbackUrl = callbackUrl ?? _receiver.Url,
    };

    private Task SubmitAsync(BuildRequest r, RabbitMqServer? rabbit = null) => BuildPublisher.SubmitAsync((rabbit ?? _rabbit).AmqpUrl, Topology, r, default);

    /// <summary>A repository whose Dockerfile runs busybox steps (a RUN really runs a process under buildah).</summary>
    private async Task BusyboxRepoAsync(string name, string script) =>
        await services.Git.CreateRepositoryAsync(name, new Dictionary<string, byte[]>
        {
            ["Dockerfile"] = Encoding.UTF8.GetBytes($"FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sh\", \"-c\", {JsonSerializer.Serialize(script)}]\nCMD [\"/bin/busybox\", \"true\"]\n"),
            ["busybox"] = await File.ReadAllBytesAsync(HostTools.Path("/bin/busybox")),
        }, executables: ["busybox"]);

    private static async Task<IReadOnlyList<int>> ProcessesWithAsync(string marker, TimeSpan settle)
    {
        var until = DateTime.UtcNow + settle;
        while (true)
        {
            var found = new List<int>();
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    var state = File.ReadAllLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("State:")) ?? "";
                    if (cmd.Contains(marker) && !state.Contains("zombie")) found.Add(pid);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
            if (found.Count == 0 || DateTime.UtcNow > until) return found;
            await Task.Delay(200);
        }
    }

    /// <summary>The dead-letter queue's messages (taken off it), waited for until <paramref name="count"/> are there.</summary>
    private async Task<List<(string Body, string Reason)>> DeadLettersAsync(int count, TimeSpan timeout)
    {
        var got = new List<(string, string)>();
        await using var c = await QueueTopology.Factory(_rabbit.AmqpUrl, "dead-letter-reader").CreateConnectionAsync();
        await using var ch = await c.CreateChannelAsync();
        var until = DateTime.UtcNow + timeout;
        while (got.Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{got.Count} of {count} dead letters on {Topology.DeadLetterQueue} within {timeout}");
            var m = await ch.BasicGetAsync(Topology.DeadLetterQueue, autoAck: true);
            if (m is null) { await Task.Delay(200); continue; }
            var reason = m.BasicProperties.Headers?.TryGetValue(QueueTopology.ReasonHeader, out var r) == true && r is byte[] b ? Encoding.UTF8.GetString(b) : "";
            got.Add((Encoding.UTF8.GetString(m.Body.Span), reason));
        }
        return got;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what} within {timeout}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_build_step_that_never_ends_is_killed_at_the_deadline_and_fails_as_timeout_then_the_worker_builds_the_next()
    {
        // The attack: RUN sleep forever. Without a deadline it holds the worker slot until RabbitMQ's consumer
        // timeout closes the channel (30 min), and the next request waits.
        var marker = $"8{Random.Shared.Next(10000, 99999)}";
        await BusyboxRepoAsync("b-sleep", $"echo going to sleep; exec /bin/busybox sleep {marker}");
        await services.SampleRepoAsync("b-next");
        var worker = StartWorker(environment: new Dictionary<string, string> { ["BUILDER_BUILD_TIMEOUT"] = "20s" });
        await SubmitAsync(Request("sleep-1", "b-sleep"));
        // The step is running (its sleep is a live process) before the deadline strikes.
        await WaitUntilAsync(async () => (await ProcessesWithAsync("sleep " + marker, TimeSpan.Zero)).Count > 0, TimeSpan.FromMinutes(5), "the step's sleep running");

        var failed = await _receiver.WaitForAsync("sleep-1", p => p.Status == "FAILED", TimeSpan.FromMinutes(3));
        Assert.Equal(("timeout", true), (failed.FailedStep, failed.Final));
        Assert.Contains("deadline of 20s", failed.Error);
        // The step's whole process tree went with it (buildah, its chroot child, the sleep).
        Assert.Empty(await ProcessesWithAsync("sleep " + marker, TimeSpan.FromSeconds(30)));
        await using (var store = await BuildStore.OpenAsync(_db, default))
            Assert.Equal((BuildStatus.Failed, "timeout"), ((await store.GetAsync("sleep-1", default))!.Status, (await store.GetAsync("sleep-1", default))!.FailedStep));

        await SubmitAsync(Request("sleep-2", "b-next"));
        Assert.Equal(1, (await _receiver.WaitForAsync("sleep-2", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(5))).Version);
        Assert.Empty(Directory.GetFileSystemEntries(_work.Path));
    }

    [Fact]
    public async Task A_request_or_output_postgresql_cannot_store_is_dead_lettered_or_cleaned_and_the_worker_goes_on()
    {
        // The attack: a NUL byte PostgreSQL refuses in text. Before, the worker requeued such a request forever.
        await BusyboxRepoAsync("b-nul", "printf 'before\\000after\\n'; /bin/busybox head -c 100000 /dev/zero | /bin/busybox tr '\\000' x; echo; exit 3");
        await services.SampleRepoAsync("b-fine");
        var worker = StartWorker();
        var nulRef = JsonSerializer.Serialize(Request("nul-ref", "b-fine") with { Ref = "main\0evil" }, BuildRequest.Json);
        Assert.Contains("\\u0000", nulRef);
        await using (var c = await QueueTopology.Factory(_rabbit.AmqpUrl, "raw").CreateConnectionAsync())
        await using (var ch = await c.CreateChannelAsync())
        {
            await Topology.DeclareAsync(ch, default);
            await ch.BasicPublishAsync("", _queue, Encoding.UTF8.GetBytes(nulRef));
        }
        await SubmitAsync(Request("nul-out", "b-nul"));
        await SubmitAsync(Request("after-nul", "b-fine"));

        var dead = Assert.Single(await DeadLettersAsync(1, TimeSpan.FromMinutes(3)));
        Assert.Contains("nul-ref", dead.Body);
        Assert.False(string.IsNullOrWhiteSpace(dead.Reason), "the dead letter carries its reason");
        var failed = await _receiver.WaitForAsync("nul-out", p => p.Status == "FAILED", TimeSpan.FromMinutes(5));
        Assert.Equal(("build", true), (failed.FailedStep, failed.Final));
        Assert.Contains(failed.LogTail!, l => l.Contains("before\uFFFDafter"));
        Assert.All(failed.LogTail!, l => Assert.True(l.Length < 2100, $"a log line of {l.Length} characters"));
        Assert.True(failed.LogTail!.Sum(l => Encoding.UTF8.GetByteCount(l) + 1) <= 16 * 1024);
        Assert.Equal(1, (await _receiver.WaitForAsync("after-nul", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(5))).Version);

        await using var store = await BuildStore.OpenAsync(_db, default);
        var stored = (await store.GetAsync("nul-out", default))!;
        Assert.Equal(BuildStatus.Failed, stored.Status);
        Assert.Contains(stored.LogTail, l => l.Contains("before\uFFFDafter"));
        Assert.Null(await store.GetAsync("nul-ref", default));
        Assert.DoesNotContain(worker.Output, l => l.Contains("goes back on the queue"));
    }

    [Fact]
    public async Task A_build_id_reused_by_another_tenant_is_refused_and_never_answered_with_the_first_tenants_result()
    {
        await services.SampleRepoAsync("b-ids");
        StartWorker();
        await SubmitAsync(Request("shared-1", "b-ids"));
        var acme = await _receiver.WaitForAsync("shared-1", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(5));

        // The attack: tenant evil submits acme's id. Before, it was answered with acme's SUCCEEDED result.
        await using var evilReceiver = new CallbackReceiver(_secret);
        await SubmitAsync(Request("shared-1", "b-ids", tenant: "evil", callbackUrl: evilReceiver.Url));
        var refused = await evilReceiver.WaitForAsync("shared-1", p => p.Status is "FAILED" or "SUCCEEDED", TimeSpan.FromMinutes(3));
        Assert.Equal(("FAILED", "validate", true), (refused.Status, refused.FailedStep, refused.Final));
        Assert.Contains("already used", refused.Error);
        Assert.Null(refused.Image);
        Assert.DoesNotContain(evilReceiver.Bodies, b => b.Contains(acme.Digest!) || b.Contains("tenants/acme"));
        Assert.Contains("already used", Assert.Single(await DeadLettersAsync(1, TimeSpan.FromMinutes(1))).Reason);
        await using (var store = await BuildStore.OpenAsync(_db, default))
        {
            var row = (await store.GetAsync("shared-1", default))!;
            Assert.Equal(("acme", BuildStatus.Succeeded, acme.Digest), (row.Tenant, row.Status, row.Digest));
        }
    }

    [Fact]
    public async Task The_api_needs_a_token_keeps_tenants_apart_and_listens_on_loopback_only()
    {
        await services.SampleRepoAsync("b-api");
        var http = FreePort.Next();
        var worker = StartWorker(httpPort: http);
        await SubmitAsync(Request("shared-1", "b-api"));
        await _receiver.WaitForAsync("shared-1", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(5));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        async Task<HttpStatusCode> Status(string path, string? token)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (await client.SendAsync(req)).StatusCode;
        }
        async Task<JsonElement> Get(string path, string token)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, path);
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var res = await client.SendAsync(req);
            Assert.Equal(HttpStatusCode.OK, res.StatusCode);
            return await res.Content.ReadFromJsonAsync<JsonElement>();
        }
        // Before: every tenant's builds and log tails to anyone who could reach the port.
        foreach (var path in new[] { "/api/builds", "/api/builds/shared-1", "/api/versions/acme/web" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(path, null));
            Assert.Equal(HttpStatusCode.Unauthorized, await Status(path, "not-a-token-0123456789abcdef"));
        }
        Assert.Equal(HttpStatusCode.OK, await Status("/healthz", null));
        Assert.Equal(HttpStatusCode.NotFound, await Status("/api/builds/shared-1", EvilToken));
        Assert.Equal(HttpStatusCode.NotFound, await Status("/api/versions/acme/web", EvilToken));
        Assert.Equal(0, (await Get("/api/builds", EvilToken)).GetArrayLength());
        Assert.Equal(0, (await Get("/api/builds?tenant=acme", EvilToken)).GetArrayLength());
        Assert.Equal("acme", (await Get("/api/builds/shared-1", AcmeToken)).GetProperty("tenant").GetString());
        Assert.Equal(1, (await Get("/api/builds", AcmeToken)).GetArrayLength());
        Assert.Equal(1, (await Get("/api/versions/acme/web", OperatorToken)).GetArrayLength());
        Assert.Equal("SUCCEEDED", (await Get("/api/builds/shared-1", OperatorToken)).GetProperty("status").GetString());
        Leaks.AssertAbsent(AcmeToken, worker.Output, "the worker log");
        // Bound to loopback: the API is not on the machine's other addresses.
        foreach (var address in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                     .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
                     .Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)))
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => tcp.ConnectAsync(address, http));
        }
    }

    [Fact]
    public async Task A_channel_the_broker_closes_is_reported_by_healthz_and_reopened_and_a_closed_connection_recovers()
    {
        // A broker whose consumer timeout (3 s, checked every second) is far below the build: the channel is closed
        // mid-build, as RabbitMQ's 30 min default did to any longer build. Before, it was never reopened and
        // /healthz said ok.
        var rabbit = await RabbitMqServer.StartAsync("[{rabbit, [{consumer_timeout, 3000}, {channel_tick_interval, 1000}]}].\n");
        _disposables.Add(rabbit);
        await BusyboxRepoAsync("b-long", "echo long build; /bin/busybox sleep 20; echo done > /done.txt");
        await services.SampleRepoAsync("b-after");
        var http = FreePort.Next();
        var worker = StartWorker(rabbit, httpPort: http);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        async Task<(HttpStatusCode Code, string Body)> Health()
        {
            try
            {
                using var res = await client.GetAsync("/healthz");
                return (res.StatusCode, await res.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) { return (HttpStatusCode.ServiceUnavailable, "not listening yet"); }
        }
        await WaitUntilAsync(async () => (await Health()).Code == HttpStatusCode.OK, TimeSpan.FromMinutes(1), "/healthz ok at start");

        await SubmitAsync(Request("long-1", "b-long"), rabbit);
        await worker.WaitForOutputAsync(l => l.Contains("long build"), TimeSpan.FromMinutes(5));
        await WaitUntilAsync(async () => (await Health()).Body.Contains("consumer w0 is down"), TimeSpan.FromSeconds(60), "/healthz reporting the closed consumer");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Health()).Code);
        await _receiver.WaitForAsync("long-1", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(5));
        await WaitUntilAsync(async () => (await Health()).Code == HttpStatusCode.OK, TimeSpan.FromMinutes(1), "/healthz ok after the consumer reopened");
        Assert.True(worker.Output.Any(l => l.Contains("consumer w0 is down") && l.Contains("reopening")), worker.AllOutput);

        // The broker closes the whole connection: the client recovers it, and the next request is built.
        await rabbit.Ctl(["close_all_connections", "closed by the test"]);
        await SubmitAsync(Request("after-close", "b-after"), rabbit);
        Assert.Equal(2, (await _receiver.WaitForAsync("after-close", p => p.Status == "SUCCEEDED", TimeSpan.FromMinutes(5))).Version);
        await WaitUntilAsync(async () => (await Health()).Code == HttpStatusCode.OK, TimeSpan.FromMinutes(1), "/healthz ok after the connection recovered");
        Assert.False(worker.HasExited);
    }

    public async Task DisposeAsync()
    {
        foreach (var w in _workers) await w.DisposeAsync();
        foreach (var d in _disposables) await d.DisposeAsync();
        await _receiver.DisposeAsync();
        File.Delete(_work.Path + "-tokens");
        _work.Dispose();
    }
}
