using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Slipway.Testing;

namespace Slipway.Dashboard.Tests;

/// <summary>
/// The dashboard against the real worker: PostgreSQL, RabbitMQ, a registry and a git server (real, on loopback),
/// <c>slipway-builder builder serve --http</c> as a separate process, one succeeding and one failing build
/// submitted with <c>builder submit</c>, then app/server.js with BUILDER_API at the worker, checked in Chromium.
/// </summary>
public sealed class WorkerDashboardTests : IAsyncLifetime
{
    private const string Token = "ghs_DashboardTestToken0123456789SECRET";
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly TempDir _temp = new("dashworker");
    private PostgresServer _postgres = null!;
    private RabbitMqServer _rabbit = null!;
    private RegistryServer _registry = null!;
    private readonly GitHttpServer _git = new(Token);
    private readonly List<Process> _processes = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public async Task InitializeAsync()
    {
        var chromium = Slipway.Tooling.ToolRunner.Which("chromium") ?? throw new InvalidOperationException("chromium is not on PATH; ./build.sh Setup installs it");
        var pg = PostgresServer.StartAsync();
        var rabbit = RabbitMqServer.StartAsync();
        var registry = RegistryServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        _postgres = await pg;
        _rabbit = await rabbit;
        _registry = await registry;
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _processes)
        {
            if (!p.HasExited) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
            p.Dispose();
        }
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _git.DisposeAsync();
        await _registry.DisposeAsync();
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>slipway-builder (built next to these tests) as a child process.</summary>
    private Process Builder(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "slipway-builder.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
        return p;
    }

    private async Task SubmitAsync(string queue, string id, string repo, string service)
    {
        var file = _temp.Write($"{id}.json", JsonSerializer.Serialize(new
        {
            id, repo = _git.UrlOf(repo), @ref = "main", tenant = "acme", service, token = Token,
        }));
        var submit = Builder("builder", "submit", "--amqp", _rabbit.AmqpUrl, "--queue", queue, "--retry-delay", "1", "--allow-http-git-host", "127.0.0.1", "--git-token-host", "127.0.0.1", file); // the same queue arguments as the worker
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2))) await submit.WaitForExitAsync(deadline.Token); // a submit that never gets its confirm fails here
        Assert.Equal(0, submit.ExitCode);
    }

    [Fact]
    public async Task Builds_of_the_real_worker_are_listed_filtered_and_the_failed_ones_log_tail_opens()
    {
        await _git.CreateRepositoryAsync("dash-ok", new Dictionary<string, string>
        {
            ["Dockerfile"] = "FROM scratch\nCOPY hello.txt /hello.txt\n",
            ["hello.txt"] = "hello\n",
        });
        await _git.CreateRepositoryAsync("dash-bad", new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\nCOPY missing.txt /x\n" });
        var queue = "dash-" + Guid.NewGuid().ToString("N")[..8];
        var http = FreePort.Next();
        // The worker API needs a token (the dashboard's own, an all-tenant line); the dashboard one of its own.
        var apiToken = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var dashboardToken = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(_temp.Combine("api-tokens"), apiToken + "\n");
        Builder("builder", "serve", "--amqp", _rabbit.AmqpUrl, "--postgres", await _postgres.CreateDatabaseAsync(), "--registry", _registry.Host,
            "--queue", queue, "--retry-delay", "1", "--max-attempts", "2", "--work-dir", _temp.Combine("work"), "--http", $"127.0.0.1:{http}",
            "--api-token-file", _temp.Combine("api-tokens"), "--allow-http-git-host", "127.0.0.1", "--git-token-host", "127.0.0.1");
        await SubmitAsync(queue, "dash-ok-1", "dash-ok", "web");
        await SubmitAsync(queue, "dash-bad-1", "dash-bad", "api");

        // Both builds are final in the worker's own API before the page looks (the page auto-refreshes anyway).
        var api = $"http://127.0.0.1:{http}";
        using (var client = new HttpClient())
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiToken);
            var until = DateTime.UtcNow.AddMinutes(15);
            var last = "";
            while (true)
            {
                try
                {
                    var builds = await client.GetFromJsonAsync<JsonElement>(api + "/api/builds");
                    last = builds.ToString();
                    if (builds.EnumerateArray().Count(b => b.GetProperty("final").GetBoolean() && b.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED") == 2) break;
                }
                catch (HttpRequestException e) { last = e.Message; }
                Assert.True(DateTime.UtcNow < until, $"the worker did not finish both builds; /api/builds: {last}\n{string.Join('\n', _output)}");
                await Task.Delay(200);
            }
        }

        await using var server = await DashboardServer.StartAsync(api, null, null, apiToken, dashboardToken);
        using (var anonymous = new HttpClient())
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(server.Url + "/api/builds")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(server.Url + "/")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(api + "/api/builds")).StatusCode);
        }
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await page.GotoAsync(server.Url + "/?token=" + Uri.EscapeDataString(dashboardToken));
        Assert.DoesNotContain("token=", page.Url);
        var rows = page.Locator("#builds tbody tr.build");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#builds tbody tr.build.succeeded")).ToContainTextAsync("v1");

        await page.SelectOptionAsync("#filter-status", "FAILED");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await rows.First.ClickAsync();
        var log = page.Locator("tr.log[data-log-for='dash-bad-1']");
        await Assertions.Expect(log).ToContainTextAsync("step build failed");
        await Assertions.Expect(log).ToContainTextAsync("missing.txt");
        Assert.DoesNotContain(Token, await page.ContentAsync());
        Assert.DoesNotContain(apiToken, await page.ContentAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardServer.FindRoot(), "artifacts", "dashboard-worker-builds.png"), FullPage = true });
    }
}
