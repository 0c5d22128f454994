using Slipway.Tooling;

namespace Slipway.Build.Components;

/// <summary>
/// Targets whose tools need root (BaseImages: debootstrap, chroot, apt-get) run as the user everywhere else. A
/// hosted CI runner (GitHub's) is a user with password-less sudo: there the build runs that one target again as
/// root through <c>sudo -n</c> (never a password prompt in the middle of a build), then gives what root wrote
/// back to the user. Without such sudo it stops with one line saying what to do.
/// </summary>
public static class RootThroughSudo
{
    [System.Runtime.InteropServices.DllImport("libc")] private static extern uint geteuid();
    [System.Runtime.InteropServices.DllImport("libc")] private static extern uint getegid();

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>
    /// Runs <paramref name="target"/> of this very build as root (its dependencies skipped: the user's run did them),
    /// for <paramref name="root"/>, then chowns <paramref name="written"/> back to the user.
    /// </summary>
    /// <param name="why">What needs root, for the messages ("debootstrap and chroot build the bases of containers/base-images.yml").</param>
    public static async Task RunTargetAsync(string target, string root, IReadOnlyList<string> written, string why, Action<string> log, CancellationToken ct)
    {
        var user = Environment.UserName;
        var fix = $"run `sudo ./build.sh {target}` once, or give user '{user}' password-less sudo (as GitHub's hosted runners have)";
        if (ToolRunner.Which("sudo") is null)
            throw new InvalidOperationException($"{target} needs root ({why}) and this machine has no sudo; {fix}");
        if (!(await ToolRunner.RunAsync(new ToolInvocation("sudo", ["-n", "true"]) { CaptureStandardOutput = true }, ct)).Succeeded)
            throw new InvalidOperationException($"{target} needs root ({why}) and user '{user}' has no password-less sudo (`sudo -n true` failed); {fix}");

        var dotnet = Environment.ProcessPath ?? throw new InvalidOperationException("the build's own executable is unknown");
        var entry = Environment.GetCommandLineArgs()[0];
        // The compiled build is a dll run by dotnet (build.sh's warm path) or an apphost; either way the same build.
        string[] self = entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? [dotnet, entry] : [dotnet];
        // sudo resets the environment: the runtime's location and the tools' PATH go in explicitly.
        var env = new List<string> { "env", $"PATH={Environment.GetEnvironmentVariable("PATH")}", "NO_COLOR=1", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_NOLOGO=1" };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot) env.Add($"DOTNET_ROOT={dotnetRoot}");
        // Made by the user first: their parents (artifacts/) must not become root's.
        foreach (var dir in written) Directory.CreateDirectory(dir);
        log($"{target} needs root ({why}); running it as root through sudo -n");
        var run = await ToolRunner.RunAsync(new ToolInvocation("sudo", ["-n", .. env, .. self, target, "--skip", "--root", root, "--no-logo"])
            { WorkingDirectory = root, OnLine = log, TailLines = 30 }, ct);
        // Whatever happened, what root wrote goes back to the user, so the next run (not root) can use and replace it.
        var owner = $"{geteuid()}:{getegid()}";
        var present = written.Where(p => Directory.Exists(p) || File.Exists(p)).ToList();
        if (present.Count > 0)
            await ToolRunner.RunCheckedAsync(new ToolInvocation("sudo", ["-n", "chown", "-R", owner, "--", .. present]), ct);
        if (!run.Succeeded)
            throw new InvalidOperationException($"{target} as root (sudo -n) failed with exit code {run.ExitCode}: {string.Join(" / ", run.Tail.TakeLast(5))}");
    }
}
