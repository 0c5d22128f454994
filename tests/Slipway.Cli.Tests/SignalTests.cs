using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>
/// A signal sent to <c>slipway</c> reaches the <c>slipway-builder</c> that runs its builder verbs (issue 17). Before,
/// slipway started it as a child: SIGTERM ended only slipway, and the worker (or a pod's build) kept running.
/// </summary>
public sealed class SignalTests
{
    private static string Exe => Environment.GetEnvironmentVariable("SLIPWAY_CLI") is { Length: > 0 } cli && File.Exists(cli)
        ? cli : Path.Combine(AppContext.BaseDirectory, "slipway");

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private const int SIGTERM = 15;

    private static (Process Process, ConcurrentQueue<string> Output) Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var output = new ConcurrentQueue<string>();
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, output);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what, ConcurrentQueue<string> output)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what} within {timeout}; output:\n{string.Join('\n', output)}");
            await Task.Delay(100);
        }
    }

    /// <summary>Live (not zombie) processes whose command line contains <paramref name="marker"/>.</summary>
    private static List<string> Alive(string marker)
    {
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var state = File.ReadAllLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("State:")) ?? "";
                if (cmd.Contains(marker) && !state.Contains("zombie")) found.Add($"{pid}: {cmd}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return found;
    }

    private static async Task<List<string>> AliveAfterAsync(string marker, TimeSpan settle)
    {
        var until = DateTime.UtcNow + settle;
        List<string> alive;
        while ((alive = Alive(marker)).Count > 0 && DateTime.UtcNow < until) await Task.Delay(200);
        return alive;
    }

    [Fact]
    public async Task SIGTERM_to_slipway_builder_serve_stops_the_worker_itself()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var queue = "sigterm-" + Guid.NewGuid().ToString("N")[..8];
        // RabbitMQ is away (a closed port): the worker keeps retrying, i.e. it runs until told to stop.
        var (p, output) = Start(["builder", "serve", "--amqp", $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/",
            "--postgres", postgres.ConnectionString(), "--registry", "127.0.0.1:5999", "--queue", queue]);
        using var _ = p;
        try
        {
            await WaitForAsync(() => output.Any(l => l.Contains("RabbitMQ unreachable")), TimeSpan.FromMinutes(2), "the worker retrying RabbitMQ", output);
            // The process slipway started is the worker itself (exec), not a parent of it.
            Assert.Contains("slipway-builder", File.ReadAllText($"/proc/{p.Id}/cmdline"));
            Assert.Equal(0, kill(p.Id, SIGTERM));
            using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await p.WaitForExitAsync(wait.Token);
            Assert.Empty(await AliveAfterAsync(queue, TimeSpan.FromSeconds(15)));
        }
        finally
        {
            foreach (var pid in Alive(queue).Select(l => int.Parse(l.Split(':')[0]))) kill(pid, 9);
        }
    }

    [Fact]
    public async Task SIGTERM_to_the_builder_image_entrypoint_reaches_the_build_and_its_children_and_the_caller_hears_FAILED()
    {
        // The builder image's entrypoint is `slipway builder run`; a pod's SIGTERM goes to it. The build hangs in
        // git fetch against a server that accepts and never answers, so only the signal can end it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = new ConcurrentBag<TcpClient>();
        var acceptLoop = Task.Run(async () =>
        {
            try { while (true) accepted.Add(await listener.AcceptTcpClientAsync()); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        using var work = new TempDir("sigrun");
        await using var callbacks = new BodyRecorder();
        var marker = $"127.0.0.1:{port}/hangs.git";
        var (p, output) = Start(["builder", "run", "--work-dir", work.Path], new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = "sig-1", ["REPO_CLONE_URL"] = "http://" + marker, ["REPO_REF"] = "main",
            ["TENANT"] = "acme", ["SERVICE"] = "web", ["BUILDER_REGISTRY"] = "127.0.0.1:5999",
            ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1",
            ["CALLBACK_URL"] = callbacks.Origin + "/callback", ["CALLBACK_TOKEN"] = "cb-token-for-the-stop",
        });
        using var _ = p;
        try
        {
            await WaitForAsync(() => !accepted.IsEmpty, TimeSpan.FromMinutes(2), "git connecting to the hanging server", output);
            await WaitForAsync(() => callbacks.Bodies.Any(b => b.Contains("\"RUNNING\"")), TimeSpan.FromMinutes(1), "the RUNNING callback", output);
            Assert.NotEmpty(Alive(marker));
            Assert.Equal(0, kill(p.Id, SIGTERM));
            using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30))) await p.WaitForExitAsync(wait.Token);
            Assert.NotEqual(0, p.ExitCode);
            // The caller hears of it: FAILED, step "stopped", before the process ended (a build is never left RUNNING).
            var failed = Assert.Single(callbacks.Bodies, b => b.Contains("\"FAILED\""));
            using (var doc = System.Text.Json.JsonDocument.Parse(failed))
            {
                Assert.Equal("stopped", doc.RootElement.GetProperty("failedStep").GetString());
                Assert.Contains("told to stop", doc.RootElement.GetProperty("error").GetString());
                Assert.Equal("sig-1", doc.RootElement.GetProperty("buildId").GetString());
            }
            Assert.Empty(await AliveAfterAsync(marker, TimeSpan.FromSeconds(15)));
            // It cleaned up after itself, which only the builder process (not a forwarder) could do.
            Assert.Empty(Directory.GetFiles(work.Path, "*", SearchOption.AllDirectories));
        }
        finally
        {
            foreach (var pid in Alive(marker).Select(l => int.Parse(l.Split(':')[0]))) kill(pid, 9);
            listener.Stop();
            foreach (var c in accepted) c.Dispose();
            await acceptLoop;
        }
    }

    /// <summary>A callback receiver that keeps every body and answers 204.</summary>
    private sealed class BodyRecorder : HttpFixtureServer
    {
        public BodyRecorder() => Start();
        public ConcurrentQueue<string> Bodies { get; } = new();

        protected override async Task HandleAsync(HttpListenerContext context)
        {
            Bodies.Enqueue(System.Text.Encoding.UTF8.GetString(await ReadBodyAsync(context.Request)));
            context.Response.StatusCode = 204;
        }
    }
}
