using System.Net.Http;
using System.Net.Sockets;
using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>
/// A private dockerd (vfs storage, no bridge, no iptables) listening only on a socket in a temp dir, with its own
/// data, exec root and pidfile there; stopped (with its containerd) and removed at the end. Tests reach it through
/// <see cref="Host"/> (a DOCKER_HOST value); readiness is checked on the API itself (<c>GET /_ping</c>), so no
/// docker CLI is needed.
/// </summary>
public sealed class DockerDaemon : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task<ToolResult> _run;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log;

    private DockerDaemon(TempDir dir, CancellationTokenSource stop, Task<ToolResult> run, System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        Dir = dir;
        _stop = stop;
        _run = run;
        _log = log;
    }

    public TempDir Dir { get; }
    public string Socket => Dir.Combine("docker.sock");
    /// <summary>The DOCKER_HOST value that reaches this daemon.</summary>
    public string Host => $"unix://{Socket}";

    public static async Task<DockerDaemon> StartAsync(CancellationToken cancellationToken = default)
    {
        // Listed in build/setup-packages.txt (docker.io); missing, it skips (fails under CI=true) like every host tool.
        var dockerd = HostTools.Require("dockerd");
        var dir = new TempDir("dockerd");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var args = new[]
        {
            "--storage-driver=vfs", "--bridge=none", "--iptables=false", "--ip6tables=false",
            "--data-root", dir.Combine("data"), "--exec-root", dir.Combine("exec"), "--pidfile", dir.Combine("dockerd.pid"),
            "--host", $"unix://{dir.Combine("docker.sock")}",
        };
        var stop = new CancellationTokenSource();
        var run = ToolRunner.RunAsync(new ToolInvocation(dockerd, args) { OnLine = log.Enqueue, TailLines = 20 }, stop.Token);
        var daemon = new DockerDaemon(dir, stop, run, log);
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (run.IsCompleted) break;
            if (await daemon.PingAsync(cancellationToken)) return daemon;
            await Task.Delay(250, cancellationToken);
        }
        await daemon.DisposeAsync();
        throw new InvalidOperationException($"dockerd did not answer on {daemon.Host}: {string.Join(" / ", log.TakeLast(3))}");
    }

    /// <summary>True when the API answers <c>GET /_ping</c> with OK.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Socket)) return false;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try { await s.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct); }
                catch { s.Dispose(); throw; }
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try { return (await http.GetAsync("http://docker/_ping", cancellationToken)).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { return false; }
    }

    /// <summary>The daemon's last log lines, for failure messages.</summary>
    public IReadOnlyList<string> LastLines => _log.TakeLast(20).ToList();

    /// <summary>
    /// SIGTERM first: a cleanly stopped dockerd stops its containerd and unmounts the private bind mount it puts on
    /// its data root; a killed one leaves that mount behind. Killed (with its tree) only if it does not stop.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Dir.Combine("dockerd.pid")) && int.TryParse(File.ReadAllText(Dir.Combine("dockerd.pid")).Trim(), out var pid))
            Kill(pid, 15);
        try { await _run.WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { _stop.Cancel(); }
        catch (OperationCanceledException) { }
        catch (ToolException) { }
        try { await _run; }
        catch (OperationCanceledException) { }
        catch (ToolException) { }
        _stop.Dispose();
        // dockerd bind-mounts its data root onto itself and leaves that mount behind even on a clean stop.
        var data = Dir.Combine("data");
        for (var i = 0; i < 3 && File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == data); i++)
        {
            var umount = await ToolRunner.RunAsync(new ToolInvocation("umount", ["--lazy", data]));
            if (!umount.Succeeded) Console.Error.WriteLine($"DockerDaemon: {umount.Describe(new ToolInvocation("umount", ["--lazy", data]))}");
        }
        Dir.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
