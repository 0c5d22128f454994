namespace Slipway.Testing;

/// <summary>
/// Servers that refuse to run as root (PostgreSQL) are started as their Debian system user through runuser,
/// with their temp dir handed over to that user first.
/// </summary>
public static class HostUser
{
    public static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    /// <summary>File name and argument prefix that run a command as <paramref name="user"/> when we are root.</summary>
    public static (string FileName, IReadOnlyList<string> Prefix) As(string user, string command) =>
        IsRoot ? ("/usr/sbin/runuser", ["-u", user, "--", command]) : (command, []);

    public static void GiveTo(string user, string path)
    {
        if (!IsRoot) return;
        using var p = System.Diagnostics.Process.Start("/bin/chown", ["-R", user, path])!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"chown -R {user} {path} failed with {p.ExitCode}");
    }
}
