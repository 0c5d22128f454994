using System.Runtime.InteropServices;

namespace Slipway.Cli;

/// <summary>
/// Hands <c>detect</c>, <c>build-source</c>, <c>source-bases</c> and <c>builder</c> to <c>slipway-builder</c> (installed beside this
/// binary) with the same arguments, environment and standard streams. The native CLI stays small and quick to
/// start; those verbs need the full .NET runtime.
/// </summary>
internal static class Companion
{
    public static Task<int> RunAsync(string[] args)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where slipway is installed");
        var companion = Path.Combine(Path.GetDirectoryName(self)!, "slipway-builder");
        if (!File.Exists(companion))
        {
            Console.Error.WriteLine($"slipway: '{args[0]}' needs slipway-builder next to {self}; run ./build.sh Compile, which publishes both");
            return Task.FromResult(2);
        }
        // exec, not a child: slipway-builder takes this process's place (same pid, streams, environment), so a
        // signal sent to `slipway` (a pod's SIGTERM to the builder image's entrypoint, systemd stopping
        // `slipway builder serve`) reaches the worker itself; a forwarding parent could die and leave it running.
        Console.Out.Flush();
        Console.Error.Flush();
        var error = Exec(companion, ["slipway-builder", .. args]);
        Console.Error.WriteLine($"slipway: could not start {companion}: {error}");
        return Task.FromResult(126);
    }

    /// <summary>execv(2); returns only on failure, with the reason.</summary>
    private static unsafe string Exec(string path, string[] argv)
    {
        var strings = new List<IntPtr>();
        try
        {
            var file = Marshal.StringToCoTaskMemUTF8(path);
            strings.Add(file);
            var vector = new IntPtr[argv.Length + 1];
            for (var i = 0; i < argv.Length; i++) { vector[i] = Marshal.StringToCoTaskMemUTF8(argv[i]); strings.Add(vector[i]); }
            fixed (IntPtr* v = vector) execv((byte*)file, v);
            return Marshal.GetLastPInvokeErrorMessage();
        }
        finally
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int execv(byte* path, IntPtr* argv);
}
