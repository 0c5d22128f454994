using System.Diagnostics;

namespace Slipway.Cli;

/// <summary>
/// Hands <c>detect</c>, <c>build-source</c>, <c>source-bases</c> and <c>builder</c> to <c>slipway-builder</c> (installed beside this
/// binary) with the same arguments, environment and standard streams, and returns its exit code. The native CLI
/// stays small and quick to start; those verbs need the full .NET runtime.
/// </summary>
internal static class Companion
{
    public static async Task<int> RunAsync(string[] args)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where slipway is installed");
        var companion = Path.Combine(Path.GetDirectoryName(self)!, "slipway-builder");
        if (!File.Exists(companion))
        {
            Console.Error.WriteLine($"slipway: '{args[0]}' needs slipway-builder next to {self}; run ./build.sh Compile, which publishes both");
            return 2;
        }
        // A raw Process on purpose (not CliWrap, which runs every other tool): CliWrap always redirects the child's
        // streams through pipes it copies, but a forwarded verb must inherit this process's own stdin/stdout/stderr
        // (a terminal stays a terminal for its colours and prompts, binary output passes untouched, nothing is copied).
        var psi = new ProcessStartInfo(companion) { UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        // Ctrl-C reaches the whole process group (the child cancels itself); this process only waits.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
