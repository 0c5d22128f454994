using System.Net;

namespace Slipway.Images.Sandbox;

/// <summary>
/// How the build steps a tenant controls (Dockerfile <c>RUN</c>, source install/build commands) are contained.
/// Off by default for the project's own builds (trusted Dockerfiles, rootless users); the builder service turns it on.
/// </summary>
public sealed record StepSandboxOptions
{
    /// <summary>Off: buildah's chroot isolation (the host's PID and network namespaces, the host's capabilities).</summary>
    public static readonly StepSandboxOptions Off = new();
    /// <summary>On with the built-in denials only (loopback, link-local, the worker's own addresses).</summary>
    public static readonly StepSandboxOptions Default = new() { Enabled = true };

    public bool Enabled { get; init; }
    /// <summary>Extra destination ranges a step may not reach (<c>--deny-network CIDR</c>): the cluster, the office, a database subnet.</summary>
    public IReadOnlyList<IPNetwork> DenyNetworks { get; init; } = [];
    /// <summary>The OCI runtime buildah runs steps with (crun 1.8 refuses hybrid cgroup hosts; runc works on both).</summary>
    public string Runtime { get; init; } = "runc";

    /// <summary>Parses a <c>--deny-network</c> value; the one line names the value and the expected form.</summary>
    public static IPNetwork ParseNetwork(string value) =>
        IPNetwork.TryParse(value.Trim(), out var n) ? n
        : IPAddress.TryParse(value.Trim(), out var a) ? new IPNetwork(a, a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : throw new FormatException($"--deny-network '{value}' is not an address range; give CIDR notation, e.g. 10.0.0.0/8 or fd00::/8");
}
