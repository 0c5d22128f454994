using System.Collections.Concurrent;
using System.Diagnostics;

namespace Slipway.Builder.Tests.Support;

/// <summary>
/// The built slipway-builder (copied next to the tests) as a child process: a worker (serve) or one build (run),
/// with its output collected line by line. <see cref="KillHard"/> sends SIGKILL (no cleanup, no ack).
/// </summary>
public sealed class BuilderProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BuilderProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Output { get; } = new();
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string AllOutput => string.Join('\n', Output);

    /// <summary>The built worker; SLIPWAY_BUILDER_DLL points elsewhere (e.g. an older build, to show an attack worked there).</summary>
    public static string Dll => Environment.GetEnvironmentVariable("SLIPWAY_BUILDER_DLL") is { Length: > 0 } dll ? dll
        : Path.Combine(AppContext.BaseDirectory, "slipway-builder.dll");

    /// <summary>Runs slipway-builder to its end (one minute at most): exit code, stdout, stderr.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunToEndAsync(IEnumerable<string> args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var (o, e) = (p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await p.WaitForExitAsync(deadline.Token);
        return (p.ExitCode, await o, await e);
    }

    public static BuilderProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi };
        var bp = new BuilderProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) bp.Output.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) bp.Output.Enqueue(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return bp;
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async Task WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Output.Any(predicate)) return;
            if (_process.HasExited) throw new InvalidOperationException($"slipway-builder exited with {_process.ExitCode}:\n{AllOutput}");
            await Task.Delay(50);
        }
        throw new TimeoutException($"expected output did not appear within {timeout}:\n{AllOutput}");
    }

    /// <summary>Every descendant's pid (for the /proc/PID/cmdline token check).</summary>
    public IReadOnlyList<int> Descendants()
    {
        var all = new List<int>();
        var frontier = new List<int> { _process.Id };
        while (frontier.Count > 0)
        {
            var next = new List<int>();
            foreach (var pid in frontier)
            {
                // Children are listed per thread, and .NET starts processes from whichever thread runs the await.
                string[] tasks;
                try { tasks = Directory.GetDirectories($"/proc/{pid}/task"); }
                catch (IOException) { continue; }
                foreach (var task in tasks)
                {
                    try { next.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)); }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
            }
            all.AddRange(next);
            frontier = next;
        }
        return all;
    }

    public void KillHard()
    {
        try { Process.GetProcessById(_process.Id); System.Runtime.InteropServices.Marshal.GetLastPInvokeError(); } catch (ArgumentException) { return; }
        kill(_process.Id, 9);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>SIGTERM (graceful stop), then wait.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        kill(_process.Id, 15);
        try { await WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
