using Slipway.Builder.Queue;
using Slipway.Tooling;

namespace Slipway.Builder.Cli.Commands;

/// <summary><c>slipway builder serve</c>: the queue worker (flags > environment).</summary>
public sealed class BuilderServeCommand : ICommand
{
    public string Name => "builder serve";
    public string Summary => "queue worker: --amqp URL --postgres CONN --registry HOST[:PORT]/NS [--workers N] [--executor local|kubernetes] [--http 127.0.0.1:PORT]";

    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--amqp"] = "BUILDER_AMQP",
        ["--postgres"] = "BUILDER_POSTGRES",
        ["--registry"] = "BUILDER_REGISTRY",
        ["--callback-secret"] = "BUILDER_CALLBACK_SECRET",
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
    };

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new BuilderArgs(args, Flags);
        if (a.Positionals.Count > 0) throw new UsageException($"builder serve takes no arguments (got '{a.Positionals[0]}')");
        GitHubAppSettings? app = null;
        if (a.Get("--github-app-id") is { } appId)
        {
            if (!long.TryParse(appId, out var id)) throw new UsageException($"--github-app-id '{appId}' is not a number");
            app = new GitHubAppSettings(id, a.Required("--github-app-key"));
        }
        var secret = Secret.FromNullable(a.Get("--callback-secret"));
        if (secret is not null) _ = new Callbacks.WebhookSigner(secret); // refuses a malformed secret now, not at the first callback
        var options = new WorkerOptions
        {
            Amqp = a.Required("--amqp"),
            Postgres = a.Required("--postgres"),
            Registry = a.Required("--registry"),
            CallbackSecret = secret,
            Workers = a.GetInt("--workers", 1, 1, 64),
            MaxAttempts = a.GetInt("--max-attempts", 3, 1, 100),
            Topology = new QueueTopology(a.Get("--queue") ?? "slipway.builds", TimeSpan.FromSeconds(a.GetInt("--retry-delay", 30, 0, 86400))),
            GitHubApp = app,
            GitHubApiUrl = a.Get("--github-api") is { } api ? new Uri(api) : null,
            WorkRoot = a.Get("--work-dir"),
            Http = a.Get("--http"),
            Executor = a.Get("--executor") ?? "local",
            GitHubUrl = a.Get("--github-url") ?? "https://github.com",
            QueueBuilderSuccessExchange = a.Get("--queue-builder-success-exchange") ?? Slipway.Builder.Contracts.QueueBuilderContract.DefaultSuccessExchange,
            QueueBuilderFailureExchange = a.Get("--queue-builder-failure-exchange") ?? Slipway.Builder.Contracts.QueueBuilderContract.DefaultFailureExchange,
            InsecureRegistries = BuilderRunCommand.InsecureRegistries(a.Get("--insecure-registry")),
        };
        Secrets.Register(new Uri(options.Amqp).UserInfo.Split(':').ElementAtOrDefault(1));
        await WorkerHost.RunAsync(options, cancellationToken);
        return 0;
    }
}
