using System.Text.RegularExpressions;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace Slipway.Builder.Executors.Kubernetes;

/// <summary>
/// How the Kubernetes executor runs builds, bound once from the configuration section <see cref="Section"/>
/// (flags &gt; environment <c>SLIPWAY_KUBERNETES__NAME</c> &gt; file). Defaults suit a small cluster.
/// </summary>
public sealed record KubernetesExecutorOptions
{
    public const string Section = "Kubernetes";

    /// <summary>Namespace the Jobs and their Secrets live in.</summary>
    public string Namespace { get; init; } = "slipway-builds";
    /// <summary>The builder image (required), e.g. registry.example.com/slipway/builder:1.2.</summary>
    public string Image { get; init; } = "";
    /// <summary>The builder container's command, split on spaces; it reads the build from its environment.</summary>
    public string Command { get; init; } = "slipway-builder builder run";
    public string ImagePullPolicy { get; init; } = "IfNotPresent";
    /// <summary>
    /// Names this worker on its Jobs (label <c>slipway.dev/worker</c>), so a restarted worker deletes what it left
    /// behind. Must stay the same across restarts (a StatefulSet pod name, a host name); default the host name.
    /// </summary>
    public string WorkerId { get; init; } = Environment.MachineName;
    /// <summary>Path of a kubeconfig file; unset = in-cluster when running in a pod, else the default kubeconfig.</summary>
    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public string? ServiceAccountName { get; init; }
    /// <summary>
    /// HOST[:PORT][/NAMESPACE] tenant images are pushed under (the builder's BUILDER_REGISTRY). The worker sets it
    /// from its own --registry, the one it allocates versions and tags in.
    /// </summary>
    public string? Registry { get; init; }
    /// <summary>The worker's input policy, handed to the Job's <c>builder run</c> so it accepts what the worker accepted.</summary>
    public Validation.InputPolicy? Policy { get; init; }
    /// <summary>A <c>kubernetes.io/dockerconfigjson</c> Secret mounted read-only as the builder's DOCKER_CONFIG.</summary>
    public string? RegistryConfigSecret { get; init; }
    /// <summary>
    /// A Secret whose key <c>token</c> is the builder's GITHUB_TOKEN when a build brings no token of its own (the
    /// Kubernetes buildah builder's cluster-wide <c>github-credentials</c>); referenced as optional.
    /// </summary>
    public string? GitHubCredentialsSecret { get; init; }
    /// <summary>Registries the builder speaks plain HTTP to (BUILDER_INSECURE_REGISTRIES, comma-separated): in-cluster ones.</summary>
    public string? InsecureRegistries { get; init; }
    /// <summary>
    /// Egress the build pods' NetworkPolicy refuses (comma-separated CIDRs): private and shared ranges (pods, services,
    /// nodes, the office), link-local (cloud metadata at 169.254.169.254). Everything else (package registries) stays open.
    /// </summary>
    public string DeniedEgress { get; init; } = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,169.254.0.0/16,fc00::/7,fe80::/10";
    /// <summary>The registry's address range when it is inside a denied range (e.g. 10.0.4.7/32): the one exception.</summary>
    public string? RegistryNetwork { get; init; }
    public int RegistryPort { get; init; } = 443;
    /// <summary>The pod's and builder's seccomp profile: RuntimeDefault, Unconfined, or Localhost:PATH (a profile on the node).</summary>
    public string SeccompProfile { get; init; } = "RuntimeDefault";
    public ResourceOptions Requests { get; init; } = new() { Cpu = "500m", Memory = "1Gi", EphemeralStorage = "4Gi" };
    public ResourceOptions Limits { get; init; } = new() { Cpu = "2", Memory = "4Gi", EphemeralStorage = "20Gi" };
    /// <summary>The Job's activeDeadlineSeconds: Kubernetes kills a build running longer.</summary>
    public int ActiveDeadlineSeconds { get; init; } = 1800;
    /// <summary>The Job's ttlSecondsAfterFinished: the cluster's own clean-up if the executor cannot delete it.</summary>
    public int TtlSecondsAfterFinished { get; init; } = 600;
    /// <summary>How long a pod may wait to start (image pull back-off, missing Secret) before the build fails.</summary>
    public int PodStartTimeoutSeconds { get; init; } = 300;
    /// <summary>The watch gives up this long after the active deadline (the API server should have failed the Job).</summary>
    public int WatchGraceSeconds { get; init; } = 120;
    public int LogTailLines { get; init; } = 50;

    /// <summary>Binds and validates; a bad value is one line naming the key, the value and the fix.</summary>
    public static KubernetesExecutorOptions Bind(IConfiguration configuration)
    {
        if (configuration.GetSection(Section)["Dind"] is not null || configuration.GetSection(Section)["DindImage"] is not null)
            throw new ArgumentException($"{Section}:Dind was removed: a privileged Docker daemon in a tenant's pod is the node's root for its build steps; builds use buildah in the builder container (docs/security.md)");
        var options = new KubernetesExecutorOptions();
        try { configuration.GetSection(Section).Bind(options); }
        catch (InvalidOperationException e) { throw new ArgumentException($"{Section}: {e.Message}", e); }
        return options.Validated();
    }

    private static readonly Regex Dns1123Label = new("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant);

    public KubernetesExecutorOptions Validated()
    {
        string Key(string name) => $"{Section}:{name} (environment SLIPWAY_{Section.ToUpperInvariant()}__{name.ToUpperInvariant()})";
        if (string.IsNullOrWhiteSpace(Image))
            throw new ArgumentException($"{Key(nameof(Image))} is not set: name the builder image the Jobs run.");
        if (!Dns1123Label.IsMatch(Namespace))
            throw new ArgumentException($"{Key(nameof(Namespace))}='{Namespace}' is not a Kubernetes namespace name (lower-case letters, digits and '-', at most 63).");
        if (ImagePullPolicy is not ("Always" or "IfNotPresent" or "Never"))
            throw new ArgumentException($"{Key(nameof(ImagePullPolicy))}='{ImagePullPolicy}': use Always, IfNotPresent or Never.");
        if (string.IsNullOrWhiteSpace(Command))
            throw new ArgumentException($"{Key(nameof(Command))} is empty: the builder's command, e.g. 'slipway-builder builder run'.");
        if (string.IsNullOrWhiteSpace(WorkerId))
            throw new ArgumentException($"{Key(nameof(WorkerId))} is empty: a name that stays the same when this worker restarts.");
        foreach (var (name, value) in new[] { (nameof(ActiveDeadlineSeconds), ActiveDeadlineSeconds), (nameof(TtlSecondsAfterFinished), TtlSecondsAfterFinished),
                     (nameof(PodStartTimeoutSeconds), PodStartTimeoutSeconds), (nameof(WatchGraceSeconds), WatchGraceSeconds), (nameof(LogTailLines), LogTailLines) })
            if (value < 0 || (value == 0 && name is nameof(ActiveDeadlineSeconds) or nameof(LogTailLines)))
                throw new ArgumentException($"{Key(name)}={value}: must be a positive number of {(name == nameof(LogTailLines) ? "lines" : "seconds")}.");
        foreach (var cidr in DeniedEgressNetworks.Append(RegistryNetwork ?? "0.0.0.0/0"))
            if (!System.Net.IPNetwork.TryParse(cidr, out _))
                throw new ArgumentException($"{Key(cidr == RegistryNetwork ? nameof(RegistryNetwork) : nameof(DeniedEgress))}: '{cidr}' is not an address range; give CIDR notation, e.g. 10.0.0.0/8.");
        if (SeccompProfile is not ("RuntimeDefault" or "Unconfined") && !(SeccompProfile.StartsWith("Localhost:", StringComparison.Ordinal) && SeccompProfile.Length > "Localhost:".Length))
            throw new ArgumentException($"{Key(nameof(SeccompProfile))}='{SeccompProfile}': use RuntimeDefault, Unconfined or Localhost:<profile path on the node>.");
        if (RegistryPort is < 1 or > 65535)
            throw new ArgumentException($"{Key(nameof(RegistryPort))}={RegistryPort}: must be a port from 1 to 65535.");
        Requests.Validate($"{Section}:{nameof(Requests)}");
        Limits.Validate($"{Section}:{nameof(Limits)}");
        return this;
    }

    public IReadOnlyList<string> DeniedEgressNetworks => DeniedEgress.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> CommandArgs => Command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Kubernetes quantities (e.g. 500m, 2, 1Gi); an unset one is left out of the Job.</summary>
public sealed record ResourceOptions
{
    public string? Cpu { get; init; }
    public string? Memory { get; init; }
    public string? EphemeralStorage { get; init; }

    public Dictionary<string, ResourceQuantity> ToQuantities()
    {
        var map = new Dictionary<string, ResourceQuantity>();
        if (!string.IsNullOrWhiteSpace(Cpu)) map["cpu"] = new ResourceQuantity(Cpu);
        if (!string.IsNullOrWhiteSpace(Memory)) map["memory"] = new ResourceQuantity(Memory);
        if (!string.IsNullOrWhiteSpace(EphemeralStorage)) map["ephemeral-storage"] = new ResourceQuantity(EphemeralStorage);
        return map;
    }

    internal void Validate(string key)
    {
        foreach (var (name, value) in new[] { (nameof(Cpu), Cpu), (nameof(Memory), Memory), (nameof(EphemeralStorage), EphemeralStorage) })
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            try { _ = new ResourceQuantity(value).ToDecimal(); }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new ArgumentException($"{key}:{name}='{value}' is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 4Gi).");
            }
        }
    }
}
