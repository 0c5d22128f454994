using Slipway.Builder.Callbacks;
using Slipway.Builder.Executors;
using Slipway.Builder.GitHub;
using Slipway.Builder.Model;
using Slipway.Builder.Running;
using Slipway.Builder.Store;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// <c>slipway builder run</c>: one build configured by environment variables (the builder-container contract,
/// <see cref="BuildSpecEnvironment"/>). With BUILDER_POSTGRES set, tenant builds get their version number;
/// without, they are pushed by digest only. Exit 0 success, 1 permanent failure, 75 transient (retry later).
/// </summary>
public sealed class BuilderRunCommand : ICommand
{
    public string Name => "builder run";
    public string Summary => "run one build from BUILD_JOB_ID, REPO_CLONE_URL, ... (the builder container)";

    public string Environment =>
        "  the build (the builder-container contract): " + string.Join(", ", new[]
        {
            BuildSpecEnvironment.BuildJobId, BuildSpecEnvironment.RepoCloneUrl, BuildSpecEnvironment.RepoRef, BuildSpecEnvironment.Tenant,
            BuildSpecEnvironment.Service, BuildSpecEnvironment.ImageTag, BuildSpecEnvironment.RootDirectory, BuildSpecEnvironment.DockerfilePath,
            BuildSpecEnvironment.BuildContext, BuildSpecEnvironment.BuildArgs, BuildSpecEnvironment.Version, BuildSpecEnvironment.BuildCommand,
            BuildSpecEnvironment.StartCommand, BuildSpecEnvironment.CallbackUrl, BuildSpecEnvironment.CallbackSecret, BuildSpecEnvironment.CallbackToken,
            BuildSpecEnvironment.GitHubToken, BuildSpecEnvironment.GitHubAppId, BuildSpecEnvironment.GitHubAppKeyFile, BuildSpecEnvironment.GitHubInstallationId,
            BuildSpecEnvironment.RegistryUser, BuildSpecEnvironment.RegistryPassword, BuildSpecEnvironment.BuildAttempt, BuildSpecEnvironment.Platforms,
        }) + "\n  other builders' names (docs/builder-contracts.md): "
        + string.Join(", ", Slipway.Builder.Contracts.BuilderContracts.Environment.SelectMany(c => c.Renames.Select(r => $"{r.Value} (= {r.Key})")))
        + ", DOCKER_HOST (Dockerfile builds through that Docker engine)\n  the outcome file: SLIPWAY_OUTCOME_FILE\n";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new BuilderArgs(args, InputPolicyArgs.With(new Dictionary<string, string>
        {
            ["--registry"] = "BUILDER_REGISTRY",
            ["--postgres"] = "BUILDER_POSTGRES",
            ["--work-dir"] = "BUILDER_WORK_DIR",
            ["--github-api"] = "GITHUB_API_URL",
            ["--max-attempts"] = "BUILDER_MAX_ATTEMPTS",
            ["--insecure-registry"] = "BUILDER_INSECURE_REGISTRIES",
            ["--postgres-file"] = "BUILDER_POSTGRES_FILE",
            ["--step-sandbox"] = "BUILDER_STEP_SANDBOX",
            ["--deny-network"] = "BUILDER_DENY_NETWORKS",
            ["--build-timeout"] = "BUILD_TIMEOUT",
            ["--platform"] = BuildSpecEnvironment.Platforms,
        }), InputPolicyArgs.Switches);
        if (a.Positionals.Count > 0) throw new UsageException($"builder run takes no arguments (got '{a.Positionals[0]}'); configure it with environment variables");
        // The same operator policy as the worker (BUILDER_ALLOW_*, BUILDER_GIT_TOKEN_HOSTS, BUILDER_CALLBACK_URL_PREFIXES);
        // IMAGE_TAG here is the operator's (or a worker's that checked the request already).
        // The known builders' variables (Contracts/) answer under Slipway's names.
        // --platform linux/amd64,linux/arm64 (over PLATFORMS): more than one platform makes an image index.
        var environment = Slipway.Builder.Contracts.BuilderContracts.Translate(System.Environment.GetEnvironmentVariable);
        var spec = BuildSpecEnvironment.FromEnvironment(name => name == BuildSpecEnvironment.Platforms ? a.Get("--platform") : environment(name),
            InputPolicyArgs.Bind(a, Validation.ImageTagRule.Any, a.Get("--registry")));
        var insecure = InsecureRegistries(a.Get("--insecure-registry"));
        var maxAttempts = a.GetInt("--max-attempts", 1, 1, 100);
        var executor = new LocalExecutor(new LocalExecutorOptions
        {
            Registry = a.Get("--registry"),
            WorkRoot = a.Get("--work-dir") ?? new LocalExecutorOptions().WorkRoot,
            Sandbox = SandboxFlags.Options(a),
            GitHubTokens = new GitHubAppTokens(a.Get("--github-api") is { } api ? new Uri(api) : null),
            InsecureRegistries = insecure,
        });
        await using var store = a.GetSecret("--postgres") is { } pg ? await BuildStore.OpenAsync(pg, cancellationToken) : null;
        var timeout = BuilderServeCommand.BuildTimeout(a, "--build-timeout");
        BuildResult result;
        if (NeedsCoordinator(spec, store is not null))
        {
            using var http = CallbackSender.CreateHttpClient();
            var coordinator = new BuildCoordinator(executor, store, a.Get("--registry"), new CallbackSender(http, null, Console.Error.WriteLine), System.Environment.MachineName, timeout)
            {
                InsecureRegistries = insecure,
                // A pod's SIGTERM leaves 30 s (Kubernetes' default grace) before SIGKILL: the FAILED callback goes within 10.
                StopReportGrace = TimeSpan.FromSeconds(10),
            };
            result = await coordinator.RunAsync(spec, maxAttempts, Console.Error.WriteLine, cancellationToken);
        }
        else
        {
            // Nothing to coordinate (a Job of the Kubernetes executor: its worker's coordinator sends the callbacks
            // and tags the version): the executor's result is the outcome.
            void Log(string line) => Console.Error.WriteLine(LogLines.Clean(Slipway.Tooling.Secrets.Redact(line)));
            result = await ExecutorRun.RunAsync(executor, spec, timeout, Log, cancellationToken);
            if (result is BuildResult.Failed failed)
            {
                result = failed with { Message = LogLines.OneLine(failed.Message) };
                Log($"{failed.Step} failed ({failed.Class.ToString().ToLowerInvariant()}): {LogLines.OneLine(failed.Message)}");
            }
        }
        // For whoever started this process (a Kubernetes Job's termination message): what was built, or where it failed.
        BuildOutcome.WriteToRequestedFile(result, System.Environment.GetEnvironmentVariable);
        switch (result)
        {
            case BuildResult.Succeeded ok:
                Console.WriteLine(ok.Image.Reference);
                Console.Error.WriteLine($"build {ok.BuildId} succeeded: {ok.Image.Reference} ({ok.Image.Digest}){(ok.Version is { } v ? $" version {v}" : "")}");
                return 0;
            case BuildResult.Failed f:
                Console.Error.WriteLine($"build {f.BuildId} failed at {f.Step}: {f.Message}");
                return f.Class == Slipway.Tooling.FailureClass.Transient ? 75 : 1;
            default:
                return 1;
        }
    }

    /// <summary>
    /// A coordinator is needed only for what it alone does: callbacks (a drop-in builder container), the store
    /// (claim, version numbers) or a VERSION to tag in the registry. A Job of the Kubernetes executor has none of
    /// these, so one build has one coordinator: the worker's.
    /// </summary>
    public static bool NeedsCoordinator(BuildSpec spec, bool hasStore) =>
        hasStore || spec.CallbackUrl is not null || (spec.Version is not null && spec.ImageTag is null);

    /// <summary>HOST[:PORT] list, comma- or blank-separated (the flag or BUILDER_INSECURE_REGISTRIES).</summary>
    internal static IReadOnlyList<string> InsecureRegistries(string? value) =>
        (value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
