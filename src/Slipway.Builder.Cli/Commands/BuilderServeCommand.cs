using Slipway.Builder.Queue;
using Slipway.Builder;
using Slipway.Tooling;

namespace Slipway.Builder.Cli.Commands;

/// <summary><c>slipway builder serve</c>: the queue worker (flags > environment).</summary>
public sealed class BuilderServeCommand : ICommand
{
    public string Name => "builder serve";
    public string Summary => "queue worker: --amqp-file FILE --postgres-file FILE --registry HOST[:PORT]/NS [--workers N] [--executor local|kubernetes] [--http [HOST:]PORT --api-token-file FILE] [--build-timeout 30m]";

    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--amqp"] = "BUILDER_AMQP",
        ["--amqp-file"] = "BUILDER_AMQP_FILE",
        ["--postgres"] = "BUILDER_POSTGRES",
        ["--postgres-file"] = "BUILDER_POSTGRES_FILE",
        ["--registry"] = "BUILDER_REGISTRY",
        ["--callback-secret"] = "BUILDER_CALLBACK_SECRET",
        ["--callback-secret-file"] = "BUILDER_CALLBACK_SECRET_FILE",
        ["--workers"] = "BUILDER_WORKERS",
        ["--max-attempts"] = "BUILDER_MAX_ATTEMPTS",
        ["--retry-delay"] = "BUILDER_RETRY_DELAY",
        ["--queue"] = "BUILDER_QUEUE",
        ["--github-app-id"] = "GITHUB_APP_ID",
        ["--github-app-key"] = "GITHUB_APP_KEY_FILE",
        ["--github-api"] = "GITHUB_API_URL",
        ["--work-dir"] = "BUILDER_WORK_DIR",
        ["--http"] = "BUILDER_HTTP",
        ["--executor"] = "BUILDER_EXECUTOR",
        ["--github-url"] = "GITHUB_SERVER_URL",
        ["--queue-builder-success-exchange"] = "BUILDER_QUEUE_BUILDER_SUCCESS_EXCHANGE",
        ["--queue-builder-failure-exchange"] = "BUILDER_QUEUE_BUILDER_FAILURE_EXCHANGE",
        ["--insecure-registry"] = "BUILDER_INSECURE_REGISTRIES",
        ["--step-sandbox"] = "BUILDER_STEP_SANDBOX",
        ["--deny-network"] = "BUILDER_DENY_NETWORKS",
        ["--build-timeout"] = "BUILDER_BUILD_TIMEOUT",
        ["--api-token"] = "BUILDER_API_TOKEN",
        ["--api-token-file"] = "BUILDER_API_TOKEN_FILE",
    };

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new BuilderArgs(args, InputPolicyArgs.With(Flags), InputPolicyArgs.Switches);
        if (a.Positionals.Count > 0) throw new UsageException($"builder serve takes no arguments (got '{a.Positionals[0]}')");
        GitHubAppSettings? app = null;
        if (a.Get("--github-app-id") is { } appId)
        {
            if (!long.TryParse(appId, out var id)) throw new UsageException($"--github-app-id '{appId}' is not a number");
            app = new GitHubAppSettings(id, a.Required("--github-app-key"));
        }
        var secret = Secret.FromNullable(a.GetSecret("--callback-secret"));
        if (secret is not null) _ = new Callbacks.WebhookSigner(secret); // refuses a malformed secret now, not at the first callback
        var options = new WorkerOptions
        {
            Amqp = a.RequiredSecret("--amqp"),
            Postgres = a.RequiredSecret("--postgres"),
            Registry = a.Required("--registry"),
            CallbackSecret = secret,
            Workers = a.GetInt("--workers", 1, 1, 64),
            MaxAttempts = a.GetInt("--max-attempts", 3, 1, 100),
            Topology = new QueueTopology(a.Get("--queue") ?? "slipway.builds", TimeSpan.FromSeconds(a.GetInt("--retry-delay", 30, 0, 86400))),
            GitHubApp = app,
            GitHubApiUrl = a.Get("--github-api") is { } api ? new Uri(api) : null,
            WorkRoot = a.Get("--work-dir"),
            Http = a.Get("--http"),
            BuildTimeout = BuildTimeout(a, "--build-timeout"),
            ApiTokens = ApiTokensOf(a),
            Executor = a.Get("--executor") ?? "local",
            GitHubUrl = a.Get("--github-url") ?? "https://github.com",
            QueueBuilderSuccessExchange = a.Get("--queue-builder-success-exchange") ?? Slipway.Builder.Contracts.QueueBuilderContract.DefaultSuccessExchange,
            QueueBuilderFailureExchange = a.Get("--queue-builder-failure-exchange") ?? Slipway.Builder.Contracts.QueueBuilderContract.DefaultFailureExchange,
            InsecureRegistries = BuilderRunCommand.InsecureRegistries(a.Get("--insecure-registry")),
            Policy = InputPolicyArgs.Bind(a, Validation.ImageTagRule.Refused, a.Get("--registry")),
            Sandbox = SandboxFlags.Options(a),
        };
        if (options.Http is not null && options.ApiTokens.IsEmpty)
            throw new UsageException("--http needs a token for its API: --api-token-file FILE (lines 'TOKEN' or 'TOKEN TENANT') or BUILDER_API_TOKEN; make one with: head -c 32 /dev/urandom | base64");
        Secrets.Register(new Uri(options.Amqp).UserInfo.Split(':').ElementAtOrDefault(1));
        await WorkerHost.RunAsync(options, cancellationToken);
        return 0;
    }

    /// <summary>--build-timeout (or its variable): 90s, 30m, 1h30m, or seconds; default 30m.</summary>
    internal static TimeSpan BuildTimeout(BuilderArgs a, string flag)
    {
        if (a.Get(flag) is not { } raw) return Running.BuildCoordinator.DefaultBuildTimeout;
        return Running.Durations.TryParse(raw) is { } t && t >= TimeSpan.FromSeconds(1) && t <= TimeSpan.FromDays(2) ? t
            : throw new UsageException($"{flag} '{raw}' is not a duration: use e.g. 90s, 30m, 1h30m (or seconds), from 1s to 48h");
    }

    private static Http.ApiTokens ApiTokensOf(BuilderArgs a)
    {
        var tokens = new Http.ApiTokens();
        if (a.Get("--api-token") is { } token) tokens.Add(token, null);
        if (a.Get("--api-token-file") is { } file) tokens.AddFile(file);
        return tokens;
    }
}
