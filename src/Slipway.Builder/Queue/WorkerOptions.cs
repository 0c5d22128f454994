using Slipway.Tooling;

namespace Slipway.Builder.Queue;

/// <summary>The queue worker's settings (bound once from flags > environment by the serve command).</summary>
public sealed record WorkerOptions
{
    public required string Amqp { get; init; }
    public required string Postgres { get; init; }
    /// <summary>HOST[:PORT][/NAMESPACE] for {registry}/tenants/{tenant}/{service}:{n}.</summary>
    public required string Registry { get; init; }
    public Secret? CallbackSecret { get; init; }
    public int Workers { get; init; } = 1;
    public int MaxAttempts { get; init; } = 3;
    public QueueTopology Topology { get; init; } = new();
    public GitHubAppSettings? GitHubApp { get; init; }
    public Uri? GitHubApiUrl { get; init; }
    public string? WorkRoot { get; init; }
    /// <summary>How tenant build steps are contained (<c>--step-sandbox</c>, <c>--deny-network</c>).</summary>
    public Images.Sandbox.StepSandboxOptions Sandbox { get; init; } = Images.Sandbox.StepSandboxOptions.Default;
    /// <summary>How long one build may run before its processes are killed and it fails as <c>timeout</c>.</summary>
    public TimeSpan BuildTimeout { get; init; } = Running.BuildCoordinator.DefaultBuildTimeout;
    /// <summary>Bearer tokens of the HTTP API, each for one tenant or for all.</summary>
    public Slipway.Builder.Http.ApiTokens ApiTokens { get; init; } = Slipway.Builder.Http.ApiTokens.None;
    /// <summary>Where builds run: "local" (in-process, the default) or "kubernetes" (a Job per build; SLIPWAY_KUBERNETES__* settings).</summary>
    public string Executor { get; init; } = "local";
    /// <summary>HOST:PORT for the read-only HTTP API (127.0.0.1 unless another host is named); null = none.</summary>
    public string? Http { get; init; }
    /// <summary>Where queue-builder requests' <c>owner/name</c> repos live (GitHub, or a GitHub Enterprise server).</summary>
    public string GitHubUrl { get; init; } = "https://github.com";
    /// <summary>The queue builder contract's notification exchanges (Contracts/QueueBuilderContract).</summary>
    public string QueueBuilderSuccessExchange { get; init; } = Contracts.QueueBuilderContract.DefaultSuccessExchange;
    public string QueueBuilderFailureExchange { get; init; } = Contracts.QueueBuilderContract.DefaultFailureExchange;
    /// <summary>Registries spoken to over plain HTTP (--insecure-registry): in-cluster registries without TLS.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];
    /// <summary>What request fields may name (repository transports, token hosts, callback prefixes, imageTag).</summary>
    public Validation.InputPolicy Policy { get; init; } = new();
    public string Name { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}
