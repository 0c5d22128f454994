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
    };

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, (string?)e.Value));
        Console.Out.Write(Render(args, environment));
        return Task.FromResult(0);
    }

    /// <summary>The YAML for these flags over this environment (flags win).</summary>
    public static string Render(IReadOnlyList<string> args, IEnumerable<KeyValuePair<string, string?>> environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var dryRun = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = args[i].Split('=', 2) is [var f, var v] ? (f, v) : (args[i], null);
            if (flag == "--dry-run") { dryRun = true; continue; }
            if (flag is "--dind" or "--dind-image")
                throw new UsageException($"builder job: {flag} was removed: a privileged Docker daemon in a tenant's pod is the node's root for its build steps; builds use buildah in the builder container");
            if (!Flags.TryGetValue(flag, out var key))
                throw new UsageException($"builder job: unknown option '{flag}'. Valid options are: --dry-run, {string.Join(", ", Flags.Keys)} (secrets only through the environment: {BuildSpecEnvironment.GitHubToken}, {BuildSpecEnvironment.CallbackSecret}, {BuildSpecEnvironment.RegistryPassword})");
            var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"builder job: {flag} needs a value"));
            values[key] = value;
        }
        if (!dryRun)
            throw new UsageException("builder job only prints manifests: add --dry-run (a worker creates Jobs itself with the kubernetes executor)");

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => new KeyValuePair<string, string?>(EnvironmentKey(e.Key), e.Value)))
            .AddInMemoryCollection(values)
            .Build();
        try
        {
            var policy = Validation.InputPolicy.FromEnvironment(name => configuration[name], Validation.ImageTagRule.Any, configuration["BUILDER_REGISTRY"]);
            var spec = BuildSpecEnvironment.FromEnvironment(name => configuration[name], policy);
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
