using System.Diagnostics;
using System.Net.Sockets;

namespace Slipway.Testing;

/// <summary>What the server fixtures share: start a host daemon with its output drained, and wait until it listens.</summary>
public static class ServerProcess
{
    /// <summary>Starts <paramref name="psi"/> with standard output and error redirected and read (discarded), so a
    /// chatty daemon never blocks on a full pipe.</summary>
    public static Process Start(ProcessStartInfo psi)
    {
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts a connection; fails at once, naming
    /// <paramref name="where"/> (its config or logs), when the process exits first.</summary>
    public static async Task WaitListeningAsync(Process process, int port, TimeSpan timeout, string name, string where)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited with {process.ExitCode} before listening on {port}; see {where}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
        throw new TimeoutException($"{name} did not listen on {port} within {timeout.TotalSeconds:0} s; see {where}");
    }
}
