using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Slipway.Images.Sandbox;
using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary>
/// A hostile tenant: a Dockerfile RUN step and a source build's buildCommand run one probe that tries to read the
/// worker's processes (a stand-in worker whose argv and environment hold credentials), the host's files through
/// /proc/1/root, services on the host's loopback and on its own address, the metadata address, and another
/// tenant's package cache. Without the step sandbox the attacks work (shown first); with it they all fail, while
/// the same kind of build still installs from the npm registry and the app answers. Real buildah, real npm registry.
/// </summary>
[Collection("hostile tenant")]
public sealed class HostileTenantTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>, IDisposable
{
    // The markers' texts are written so that a probe's own command line (grep's pattern) does not match them.
    private const string WorkerSecret = "worker-secret-4711";
    private const string EnvSecret = "worker-env-secret-4712";
    private const string FileSecret = "host-file-secret-4713";
    private const string Planted = "planted-by-tenant-a-4714";

    private readonly TempDir _host = new("hostile-host");
    private readonly TcpListener _loopback = Listen(IPAddress.Loopback);
    private readonly TcpListener _hostAddress = Listen(HostAddress());
    private readonly Process _worker = StartWorker();

    private static SourceBuilderOptions Sandboxed(SourceFixture f) => f.Options with { Sandbox = StepSandboxOptions.Default };

    [Fact]
    public async Task A_tenant_build_command_reads_the_worker_without_the_sandbox_and_nothing_with_it_while_npm_installs_still_work()
    {
        await fixture.BasesAsync("node-debian", "node-runtime");
        // Tenant A plants a file in the npm cache its build mounts.
        using (var a = Corpus.Copy("node-npm"))
            await new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(a.Path, output.WriteLine) with
            { BuildCommand = $"echo planted > /root/.npm/{Planted}", CacheScope = null }, default);
        using (var a = Corpus.Copy("node-npm"))
            await new SourceImageBuilder(Sandboxed(fixture)).BuildAsync(fixture.Request(a.Path, output.WriteLine) with
            { BuildCommand = $"echo planted > /root/.npm/{Planted}", CacheScope = "tenant:a" }, default);

        // Without the sandbox and with one shared cache (the builder before issue 17): every probe succeeds.
        using (var b = TenantApp())
        {
            var before = await new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(b.Path, output.WriteLine) with
            { BuildCommand = "sh probe.sh > probe.txt 2>&1", CacheScope = null }, default);
            var seen = await fixture.RunAsync(before.Image, ["cat", "/app/probe.txt"]);
            output.WriteLine("unsandboxed probe:\n" + seen);
            // (environ and /proc/1/root were already refused by the kernel: the step's capabilities are not a superset of the worker's.)
            Assert.Contains("worker cmdline readable", seen);
            Assert.Contains("loopback service reachable", seen);
            Assert.Contains("host address service reachable", seen);
            Assert.Contains("other tenant cache readable", seen);
        }

        // With it, tenant B (its own cache scope) sees none of it, and its npm install still reached the registry.
        using (var b = TenantApp())
        {
            var after = await new SourceImageBuilder(Sandboxed(fixture)).BuildAsync(fixture.Request(b.Path, output.WriteLine) with
            { BuildCommand = "sh probe.sh > probe.txt 2>&1", CacheScope = "tenant:b" }, default);
            var seen = await fixture.RunAsync(after.Image, ["cat", "/app/probe.txt"]);
            output.WriteLine("sandboxed probe:\n" + seen);
            AssertContained(seen);
            Assert.DoesNotContain("other tenant cache readable", seen);
            Assert.Contains("hello from node-npm, a day is 86400000 ms", await ServerProbe.GetAsync(fixture, after.Image, output.WriteLine));
        }
    }

    [Fact]
    public async Task A_tenant_dockerfile_run_step_reads_the_worker_without_the_sandbox_and_nothing_with_it()
    {
        // Built bases are used as they are (BasesAsync would wait for another suite's base build to check them).
        if (!File.Exists(Path.Combine(fixture.Options.BaseDirectory, "busybox", "index.json"))) await fixture.BasesAsync("busybox");
        using var app = TenantApp();
        File.WriteAllText(Path.Combine(app.Path, "Dockerfile"), "FROM busybox\nCOPY probe.sh /probe.sh\nRUN sh /probe.sh > /probe.txt 2>&1\n");

        var before = await new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(app.Path, output.WriteLine), default);
        var open = await fixture.RunAsync(before.Image, ["cat", "/probe.txt"]);
        output.WriteLine("unsandboxed RUN:\n" + open);
        Assert.Contains("worker cmdline readable", open);
        Assert.Contains("loopback service reachable", open);
        Assert.Contains("host address service reachable", open);

        var after = await new SourceImageBuilder(Sandboxed(fixture)).BuildAsync(fixture.Request(app.Path, output.WriteLine), default);
        var seen = await fixture.RunAsync(after.Image, ["cat", "/probe.txt"]);
        output.WriteLine("sandboxed RUN:\n" + seen);
        AssertContained(seen);
    }

    private static void AssertContained(string seen)
    {
        // The step's shell is the first process of its own PID namespace, not the host's init.
        var hostInit = File.ReadAllText("/proc/1/cmdline").Replace('\0', ' ');
        Assert.Matches(@"pid1 (/bin/sh -c )?sh /?probe\.sh", seen);
        Assert.DoesNotContain("pid1 " + hostInit[..Math.Min(30, hostInit.Length)], seen);
        Assert.DoesNotContain("worker cmdline readable", seen);
        Assert.DoesNotContain("worker environment readable", seen);
        Assert.DoesNotContain("host file readable", seen);
        Assert.Contains("loopback service unreachable", seen);
        Assert.Contains("host address service unreachable", seen);
        Assert.Contains("metadata unreachable", seen);
    }

    /// <summary>The corpus's node-npm app plus the probe, aimed at this test's listeners and files.</summary>
    private TempDir TenantApp()
    {
        var dir = Corpus.Copy("node-npm");
        var secretFile = Path.Combine(_host.Path, "secret.txt");
        File.WriteAllText(secretFile, FileSecret + "\n");
        static string Hidden(string marker) => marker[..^1] + "[" + marker[^1] + "]";
        var loopbackPort = ((IPEndPoint)_loopback.LocalEndpoint).Port;
        var host = (IPEndPoint)_hostAddress.LocalEndpoint;
        File.WriteAllText(Path.Combine(dir.Path, "probe.sh"), $$"""
            connect() { if command -v bash >/dev/null; then timeout 3 bash -c "echo > /dev/tcp/$1/$2"; else echo | timeout 3 nc -w 3 "$1" "$2"; fi; }
            p() { if connect "$1" "$2" >/dev/null 2>&1; then echo "$3 reachable"; else echo "$3 unreachable"; fi; }
            echo "pid1 $(tr '\0' ' ' < /proc/1/cmdline | head -c 60)"
            echo "processes $(ls -d /proc/[0-9]* | wc -l)"
            grep -qs '{{Hidden(WorkerSecret)}}' /proc/[0-9]*/cmdline && echo "worker cmdline readable"
            cat /proc/[0-9]*/environ 2>/dev/null | tr '\0' '\n' | grep -q '{{Hidden(EnvSecret)}}' && echo "worker environment readable"
            grep -qs '{{Hidden(FileSecret)}}' /proc/1/root{{secretFile}} && echo "host file readable"
            p 127.0.0.1 {{loopbackPort}} "loopback service"
            p {{host.Address}} {{host.Port}} "host address service"
            p 169.254.169.254 80 "metadata"
            ls /root/.npm/ 2>/dev/null | grep -q '{{Hidden(Planted)}}' && echo "other tenant cache readable"
            exit 0
            """.Replace("\r", ""));
        return dir;
    }

    private static TcpListener Listen(IPAddress address)
    {
        var l = new TcpListener(address, 0);
        l.Start();
        // Like a service that answers and hangs up: the probe's nc gets its EOF at once.
        _ = Task.Run(async () =>
        {
            try { while (true) (await l.AcceptTcpClientAsync()).Dispose(); }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException) { }
        });
        return l;
    }

    private static IPAddress HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    /// <summary>A stand-in worker: credentials in its argv (as `--amqp amqp://user:pass@…` was) and in its environment.</summary>
    private static Process StartWorker()
    {
        // Two commands, so the shell stays (a lone `sleep` would be exec'd in its place, argv and all).
        var psi = new ProcessStartInfo(HostTools.Require("sh")) { UseShellExecute = false };
        foreach (var a in new[] { "-c", "sleep 600; exit 0", "worker", $"--amqp=amqp://builder:{WorkerSecret}@127.0.0.1:5672" }) psi.ArgumentList.Add(a);
        psi.Environment["BUILDER_POSTGRES"] = $"Host=127.0.0.1;Password={EnvSecret}";
        return Process.Start(psi)!;
    }

    public void Dispose()
    {
        try { _worker.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _worker.Dispose();
        _loopback.Stop();
        _hostAddress.Stop();
        _host.Dispose();
        // The planted file in the shared (unscoped) npm cache and tenant a's scope.
        foreach (var root in new[] { Slipway.Source.Imaging.PlanImageBuilder.CacheRoot(fixture.Options.BaseDirectory, null), Slipway.Source.Imaging.PlanImageBuilder.CacheRoot(fixture.Options.BaseDirectory, "tenant:a") })
            foreach (var f in Directory.Exists(root) ? Directory.EnumerateFiles(root, Planted, SearchOption.AllDirectories) : []) File.Delete(f);
    }
}
