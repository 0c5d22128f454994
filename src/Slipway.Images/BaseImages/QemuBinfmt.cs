namespace Slipway.Images.BaseImages;

/// <summary>
/// Running another architecture's binaries (a cross-built base's debootstrap second stage and apt, a cross build's
/// RUN steps): Debian's qemu-user-static registered with the kernel's binfmt_misc. Registered with the F flag, the
/// kernel opens the interpreter once, so it works inside chroots and containers that do not have it. Debian's
/// package ships the registration lines in /usr/lib/binfmt.d; when they are not registered and this process is root,
/// they are registered here (mounting binfmt_misc first when it is not mounted), as <c>update-binfmts</c> would.
/// </summary>
public static class QemuBinfmt
{
    private const string Root = "/proc/sys/fs/binfmt_misc";
    private static readonly object Gate = new();

    /// <summary>qemu's name for an OCI architecture.</summary>
    public static string QemuArch(string architecture) => architecture switch
    {
        "arm64" => "aarch64",
        "amd64" => "x86_64",
        var a => throw new PlatformNotSupportedException($"no qemu-user-static emulator for architecture '{a}'; valid: amd64, arm64"),
    };

    /// <summary>The emulator's path (the explicit way to run one binary: <c>qemu-aarch64-static -L ROOTFS BINARY</c>).</summary>
    public static string Emulator(string architecture) => $"/usr/bin/qemu-{QemuArch(architecture)}-static";

    /// <summary>Null when binaries of <paramref name="architecture"/> run here (registering them if need be), else one line saying why not and the fix.</summary>
    public static string? Check(string architecture, Action<string>? log = null)
    {
        var name = "qemu-" + QemuArch(architecture);
        var entry = Path.Combine(Root, name);
        lock (Gate)
        {
            if (Enabled(entry)) return null;
            var conf = $"/usr/lib/binfmt.d/{name}.conf";
            var fix = $"apt-get install -y qemu-user-static, then as root: mount -t binfmt_misc binfmt_misc {Root}; cat {conf} > {Root}/register";
            if (!File.Exists(Emulator(architecture)) || !File.Exists(conf))
                return $"cross-building for {architecture} needs qemu-user-static ({Emulator(architecture)} is missing); {fix}";
            try
            {
                if (!File.Exists(Path.Combine(Root, "register")))
                    Slipway.Tooling.ToolRunner.RunCheckedAsync(new Slipway.Tooling.ToolInvocation("mount", ["-t", "binfmt_misc", "binfmt_misc", Root]), CancellationToken.None).GetAwaiter().GetResult();
                var line = File.ReadAllLines(conf).First(l => l.StartsWith(':'));
                // The F flag (fix binary): the interpreter is opened now, so chroots and containers need no copy of it.
                var fields = line.Split(':');
                if (!fields[^1].Contains('F')) line += "F";
                File.WriteAllText(Path.Combine(Root, "register"), line);
                log?.Invoke($"registered {name} with binfmt_misc ({Emulator(architecture)}, flags {fields[^1]}) for cross-building");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Slipway.Tooling.ToolException or InvalidOperationException)
            {
                return $"cross-building for {architecture} needs {name} registered with binfmt_misc and registering it failed ({e.Message.Split('\n')[0]}); {fix}";
            }
            return Enabled(entry) ? null : $"cross-building for {architecture}: {name} is registered but not enabled; echo 1 > {entry}";
        }
    }

    private static bool Enabled(string entry)
    {
        try { return File.Exists(entry) && File.ReadLines(entry).FirstOrDefault() == "enabled"; }
        catch (IOException) { return false; }
    }
}
