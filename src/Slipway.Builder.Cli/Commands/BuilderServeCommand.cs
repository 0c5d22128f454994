using Slipway.Builder.Queue;
using Slipway.Tooling;

namespace Slipway.Builder.Cli.Commands;

/// <summary><c>slipway builder serve</c>: the queue worker (flags > environment).</summary>
public sealed class BuilderServeCommand : ICommand
{
    public string Name => "builder serve";
    public string Summary => "queue worker: --amqp-file FILE --postgres-file FILE --registry HOST[:PORT]/NS [--workers N] [--executor local|kubernetes] [--http 127.0.0.1:PORT]";

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
            Executor = a.Get("--executor") ?? "local",
            Policy = InputPolicyArgs.Bind(a, Validation.ImageTagRule.Refused, a.Get("--registry")),
        };
        Secrets.Register(new Uri(options.Amqp).UserInfo.Split(':').ElementAtOrDefault(1));
        await WorkerHost.RunAsync(options, cancellationToken);
        return 0;
    }
}
