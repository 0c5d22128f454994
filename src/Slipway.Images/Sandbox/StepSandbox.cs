using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Slipway.Tooling;

namespace Slipway.Images.Sandbox;

/// <summary>
/// The one home of how tenant-controlled build steps are contained, used by the source engine's step runner
/// (<c>buildah run</c>) and the Dockerfile method (<c>buildah build</c>). When enabled, each step is an OCI
/// container (runc: its own PID, IPC, UTS and mount namespaces, pivot_root into its root filesystem, the
/// default seccomp profile, buildah's reduced capability set minus the ones listed in <see cref="DroppedCapabilities"/>)
/// that joins a network namespace made here: pasta (passt) gives it a user-mode path out, and an nftables
/// egress filter inside the namespace rejects loopback-of-the-host, link-local (cloud metadata), the worker's own
/// addresses and the operator's denied ranges before pasta ever opens a socket. The step has no CAP_NET_ADMIN,
/// so it cannot change the filter, and no CAP_NET_RAW, so it cannot write frames past it.
/// Disabled, it is buildah's chroot isolation as before (the host's PID and network namespaces).
/// </summary>
public sealed class StepSandbox : IAsyncDisposable
{
    /// <summary>Dropped on top of buildah's defaults: raw sockets (frames past the filter), the filter itself, chroot escapes, capability games.</summary>
    public static readonly IReadOnlyList<string> DroppedCapabilities = ["CAP_NET_RAW", "CAP_NET_ADMIN", "CAP_SYS_CHROOT", "CAP_SETPCAP", "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_MKNOD", "CAP_AUDIT_WRITE"];
    /// <summary>Always rejected: loopback, "this network", link-local (169.254.169.254 metadata), IPv6 loopback/link-local/mapped.</summary>
    public static readonly IReadOnlyList<IPNetwork> BuiltInDenials =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("::1/128"), IPNetwork.Parse("::/128"), IPNetwork.Parse("fe80::/10"),
    ];

    private readonly string? _namespace;
    private readonly string? _pidFile;
    private readonly Action<string> _log;

    private StepSandbox(StepSandboxOptions options, string? ns, string? pidFile, Action<string> log)
    {
        Options = options;
        _namespace = ns;
        _pidFile = pidFile;
        _log = log;
    }

    public StepSandboxOptions Options { get; }
    /// <summary>The network namespace steps join (null when the sandbox is off).</summary>
    public string? NetworkNamespacePath => _namespace is null ? null : "/run/netns/" + _namespace;

    /// <summary>buildah's chroot isolation: what a step gets without a sandbox.</summary>
    public static readonly IReadOnlyList<string> Unsandboxed = ["--isolation", "chroot"];

    /// <summary>buildah run/build flags that put a step in this sandbox (chroot isolation when it is off).</summary>
    public IReadOnlyList<string> BuildahFlags => !Options.Enabled
        ? Unsandboxed
        : [
            "--isolation", "oci", "--runtime", Options.Runtime,
            "--network", "ns:" + NetworkNamespacePath,
            "--pid", "private", "--ipc", "private", "--uts", "private", "--cgroupns", "private",
            "--cap-drop", string.Join(',', DroppedCapabilities),
        ];

    /// <summary>BUILDAH_ISOLATION for the process (buildah build reads it for RUN steps).</summary>
    public string Isolation => Options.Enabled ? "oci" : "chroot";

    /// <summary>The tools an enabled sandbox needs, each with its Debian package (the failure line names them).</summary>
    public static string? Problem(StepSandboxOptions options)
    {
        if (!options.Enabled) return null;
        if (!Environment.IsPrivilegedProcess)
            return "the build step sandbox needs root (network namespaces, an OCI runtime); run the worker as root, or turn the sandbox off with --no-step-sandbox only for trusted code";
        var missing = new[] { ("ip", "iproute2"), ("nft", "nftables"), ("pasta", "passt"), (options.Runtime, options.Runtime) }
            .Where(t => ToolRunner.Which(t.Item1) is null).ToList();
        return missing.Count == 0 ? null
            : $"the build step sandbox needs {string.Join(", ", missing.Select(m => m.Item1))}; install it: apt-get install -y {string.Join(' ', missing.Select(m => m.Item2).Distinct())}";
    }

    /// <summary>Makes the network namespace (with its path out and its egress filter) that this build's steps join.</summary>
    public static async Task<StepSandbox> StartAsync(StepSandboxOptions options, Action<string> log, CancellationToken ct)
    {
        if (!options.Enabled) return new StepSandbox(options, null, null, log);
        if (Problem(options) is { } problem) throw new StepFailure("sandbox", FailureClass.Permanent, problem);
        var name = "slipway-step-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var pidFile = Path.Combine(Path.GetTempPath(), name + ".pasta.pid");
        var sandbox = new StepSandbox(options, name, pidFile, log);
        try
        {
            await Checked(new ToolInvocation("ip", ["netns", "add", name]), ct);
            // -T/-U none: nothing bound on the host's loopback is forwarded into the namespace (pasta's default
            // forwards every bound port); -t/-u none: nothing inbound; --no-map-gw: the gateway is not the host.
            // Runs as root only to enter the root-owned namespace; it quits when the namespace is deleted.
            // env --default-signal=PIPE: .NET children inherit SIGPIPE ignored, and this pasta (2023-03) dies with
            // "Couldn't install signal handlers" when its own signal(SIGPIPE, SIG_IGN) returns the old SIG_IGN.
            await Checked(new ToolInvocation("env", ["--default-signal=PIPE", "pasta", "--quiet", "--stderr", "--runas", "0", "--config-net", "-T", "none", "-U", "none", "-t", "none", "-u", "none",
                "--no-map-gw", "--netns", sandbox.NetworkNamespacePath!, "-P", pidFile]) { StandardInput = "" }, ct);
            await Checked(new ToolInvocation("ip", ["netns", "exec", name, "nft", "-f", "-"]) { StandardInput = EgressRules(options) }, ct);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The namespace's egress filter (nftables, output hook): its own loopback stays usable (a test server of the
    /// app), DNS to the host's resolvers is allowed, then every denied range is rejected at once (no waiting
    /// for a timeout); everything else leaves through pasta.
    /// </summary>
    public static string EgressRules(StepSandboxOptions options)
    {
        var denied = BuiltInDenials.Concat(HostAddresses()).Concat(options.DenyNetworks).Distinct().ToList();
        var resolvers = Resolvers().Where(r => !IPAddress.IsLoopback(r)).ToList();
        static string Set(IEnumerable<string> items) => "{ " + string.Join(", ", items) + " }";
        var sb = new StringBuilder();
        sb.Append("table inet slipway_step {\n  chain egress {\n    type filter hook output priority 0; policy accept;\n    oifname \"lo\" accept\n");
        foreach (var (family, af) in new[] { ("ip", AddressFamily.InterNetwork), ("ip6", AddressFamily.InterNetworkV6) })
        {
            var dns = resolvers.Where(r => r.AddressFamily == af).Select(r => r.ToString()).ToList();
            if (dns.Count > 0) sb.Append($"    {family} daddr {Set(dns)} meta l4proto {{ tcp, udp }} th dport 53 accept\n");
            var nets = denied.Where(n => n.BaseAddress.AddressFamily == af).Select(n => n.ToString()).ToList();
            if (nets.Count > 0) sb.Append($"    {family} daddr {Set(nets)} reject with icmpx type admin-prohibited\n");
        }
        sb.Append("  }\n}\n");
        return sb.ToString();
    }

    /// <summary>Every address of the worker's interfaces: a service bound to 0.0.0.0 answers on each of them.</summary>
    private static IEnumerable<IPNetwork> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .Select(a => new IPNetwork(new IPAddress(a.GetAddressBytes()), a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)); // no scope id

    private static IEnumerable<IPAddress> Resolvers()
    {
        if (!File.Exists("/etc/resolv.conf")) yield break;
        foreach (var line in File.ReadLines("/etc/resolv.conf"))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1].Split('%')[0], out var a)) yield return a;
        }
    }

    private static async Task Checked(ToolInvocation invocation, CancellationToken ct)
    {
        var r = await ToolRunner.RunAsync(invocation with { CaptureStandardOutput = true }, ct);
        if (r.Succeeded) return;
        var tool = invocation.FileName == "env" ? invocation.Arguments[1] : invocation.FileName + " " + invocation.Arguments[0];
        var reason = r.Tail.LastOrDefault(l => !l.Contains("syslog", StringComparison.Ordinal))?.Trim();
        throw new StepFailure("sandbox", FailureClass.Transient, $"setting up the build step sandbox failed: {tool} exited with code {r.ExitCode}{(reason is null ? "" : ": " + reason)}", r.Tail);
    }

    public async ValueTask DisposeAsync()
    {
        if (_namespace is null) return;
        // A cancelled step (the build's deadline, a worker stopping) outlives buildah: runc's container process is
        // not in the tree that dies with buildah, and a step may detach itself. Every process still in the
        // namespace is the step's, so all of them end here.
        var left = await ToolRunner.RunAsync(new ToolInvocation("ip", ["netns", "pids", _namespace]) { CaptureStandardOutput = true });
        foreach (var line in left.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (int.TryParse(line, out var stepPid))
                try { using var step = System.Diagnostics.Process.GetProcessById(stepPid); step.Kill(); }
                catch (ArgumentException) { } // ended meanwhile
                catch (InvalidOperationException) { }
        // Deleting the namespace ends pasta (it watches the file); its pid is checked and killed in case it did not.
        var r = await ToolRunner.RunAsync(new ToolInvocation("ip", ["netns", "delete", _namespace]) { CaptureStandardOutput = true });
        if (!r.Succeeded && File.Exists(NetworkNamespacePath)) _log($"warning: could not delete network namespace {_namespace} (exit code {r.ExitCode})");
        if (_pidFile is not null && File.Exists(_pidFile))
        {
            if (int.TryParse(File.ReadAllText(_pidFile).Trim(), out var pid))
            {
                try
                {
                    using var p = System.Diagnostics.Process.GetProcessById(pid);
                    if (p.ProcessName.StartsWith("passt", StringComparison.Ordinal) || p.ProcessName.StartsWith("pasta", StringComparison.Ordinal))
                        if (!p.WaitForExit(200)) p.Kill();
                }
                catch (ArgumentException) { } // gone already
                catch (InvalidOperationException) { }
            }
            File.Delete(_pidFile);
        }
    }
}
