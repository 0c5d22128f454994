using System.Collections;
using Microsoft.Extensions.Configuration;
using Slipway.Builder.Executors.Kubernetes;
using Slipway.Builder.Model;
using Slipway.Tooling;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// <c>slipway builder job --dry-run</c>: prints the Job and Secret the Kubernetes executor would create for a build
/// (the same BuildJobManifests), then the build pods' NetworkPolicy (applied once per namespace), as YAML for review or GitOps. The build comes from the builder-container
/// variables (environment, or the flags below); secret values only from the environment and never printed.
/// </summary>
public sealed class BuilderJobCommand : ICommand
{
    public string Name => "builder job";
    public string Summary => "print the Kubernetes Job (and Secret) for a build: --dry-run [build flags]";

    /// <summary>Flag → configuration key: the build's contract variables and the executor's options.</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["--build-job-id"] = BuildSpecEnvironment.BuildJobId,
        ["--repo-clone-url"] = BuildSpecEnvironment.RepoCloneUrl,
        ["--repo-ref"] = BuildSpecEnvironment.RepoRef,
        ["--tenant"] = BuildSpecEnvironment.Tenant,
        ["--service"] = BuildSpecEnvironment.Service,
        ["--image-tag"] = BuildSpecEnvironment.ImageTag,
        ["--root-directory"] = BuildSpecEnvironment.RootDirectory,
        ["--dockerfile-path"] = BuildSpecEnvironment.DockerfilePath,
        ["--build-command"] = BuildSpecEnvironment.BuildCommand,
        ["--start-command"] = BuildSpecEnvironment.StartCommand,
        ["--callback-url"] = BuildSpecEnvironment.CallbackUrl,
        ["--registry-user"] = BuildSpecEnvironment.RegistryUser,
        ["--platform"] = BuildSpecEnvironment.Platforms,
        ["--namespace"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.Namespace)}",
        ["--image"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.Image)}",
        ["--registry"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.Registry)}",
        ["--worker-id"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.WorkerId)}",
        ["--registry-config-secret"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.RegistryConfigSecret)}",
        ["--service-account"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.ServiceAccountName)}",
        ["--active-deadline-seconds"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.ActiveDeadlineSeconds)}",
        ["--registry-network"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.RegistryNetwork)}",
        ["--registry-port"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.RegistryPort)}",
        ["--denied-egress"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.DeniedEgress)}",
        ["--seccomp-profile"] = $"{KubernetesExecutorOptions.Section}:{nameof(KubernetesExecutorOptions.SeccompProfile)}",
    };

    public string Environment =>
        $"  the build: {string.Join(", ", Flags.Values.Where(v => !v.Contains(':')))}\n  secrets (environment only): {string.Join(", ", BuildSpecEnvironment.SecretNames)}\n  the executor: SLIPWAY_KUBERNETES__<OPTION> (docs/kubernetes.md)\n";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var environment = System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, (string?)e.Value));
        Console.Out.Write(Render(args, environment));
        return Task.FromResult(0);
    }

    /// <summary>The YAML for these flags over this environment (flags win).</summary>
    public static string Render(IReadOnlyList<string> args, IEnumerable<KeyValuePair<string, string?>> environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        // i17-sandbox removed dind: refused by name with the reason, not as an unknown option.
        if (args.TakeWhile(w => w != "--").Select(w => w.Split('=', 2)[0]).FirstOrDefault(f => f is "--dind" or "--dind-image") is { } dind)
            throw new UsageException($"builder job: {dind} was removed: a privileged Docker daemon in a tenant's pod is the node's root for its build steps; builds use buildah in the builder container");
        BuilderArgs a;
        try { a = new BuilderArgs(args, Flags, new HashSet<string> { "--dry-run" }); }
        catch (UsageException e)
        {
            throw new UsageException($"builder job: {e.Message} (secrets only through the environment: {BuildSpecEnvironment.GitHubToken}, {BuildSpecEnvironment.CallbackSecret}, {BuildSpecEnvironment.RegistryPassword})");
        }
        if (a.Positionals.Count > 0) throw new UsageException($"builder job takes no arguments (got '{a.Positionals[0]}')");
        var dryRun = a.Has("--dry-run");
        // Flags only: the environment comes in below, under its own keys.
        foreach (var (flag, key) in Flags)
            if (a.Given(flag) is { } value) values[key] = value;
        if (!dryRun)
            throw new UsageException("builder job only prints manifests: add --dry-run (a worker creates Jobs itself with the kubernetes executor)");

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => new KeyValuePair<string, string?>(EnvironmentKey(e.Key), e.Value)))
            .AddInMemoryCollection(values)
            .Build();
        try
        {
            var policy = Validation.InputPolicy.FromEnvironment(name => configuration[name], Validation.ImageTagRule.Any, configuration["BUILDER_REGISTRY"]);
            // The environment's RAILPACK_*/NIXPACKS_* settings go into the Job with the spec.
            var spec = BuildSpecEnvironment.FromEnvironment(name => configuration[name], policy, environment.Select(e => e.Key).ToList());
            var options = KubernetesExecutorOptions.Bind(configuration) with { Policy = policy };
            return BuildJobManifests.ToYaml(BuildJobManifests.Create(spec, options)) + "---\n" + k8s.KubernetesYaml.Serialize(BuildNetworkPolicy.Create(options)).TrimEnd('\n') + "\n";
        }
        catch (StepFailure e) { throw new UsageException("builder job: " + e.Message); }
        catch (ArgumentException e) { throw new UsageException("builder job: " + e.Message); }
    }

    /// <summary>SLIPWAY_KUBERNETES__IMAGE → Kubernetes:IMAGE, as the environment-variable provider maps it.</summary>
    private static string EnvironmentKey(string name) =>
        name.StartsWith("SLIPWAY_", StringComparison.OrdinalIgnoreCase) && name.Contains("__", StringComparison.Ordinal)
            ? name["SLIPWAY_".Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)
            : name;
}
