using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Slipway.Builder.Queue;
using Slipway.Tooling;

namespace Slipway.Builder.Contracts;

/// <summary>
/// The queue builder: producers publish <c>{"token","userID","type":"repo","connector":"github","repo":"owner/name"}</c>
/// on the build queue; a success is announced to the container manager and a give-up to the connector manager,
/// each on an exchange of its own. Slipway accepts that request (mapped onto its own) and, for requests that came in
/// this shape, publishes those two notifications in this shape beside its own.
/// The builder's exact notification bodies and exchange names were not found in a public source; the shapes below
/// are defined from the request's own fields (see docs/builder-contracts.md).
/// </summary>
public sealed partial class QueueBuilderContract : IBuilderContract
{
    public static readonly QueueBuilderContract Instance = new();
    public const string DefaultSuccessExchange = "container-manager";
    public const string DefaultFailureExchange = "connector-manager";

    public string Name => "queue builder";

    public IReadOnlyList<ContractField> Fields { get; } =
    [
        new("token", "the clone token (GitHub installation or user token): sent in an HTTP header, never in a URL, argv or log"),
        new("userID", "the tenant, lowercased, unless the request also gives `tenant`; must then be a valid tenant name (lowercase letters, digits, `.`, `_`, `-`)"),
        new("type", "must be `repo` (the only kind the builder knows); anything else is rejected with one line"),
        new("connector", "must be `github`; anything else is rejected with one line"),
        new("repo", "`owner/name` → `{GitHub URL}/owner/name.git` (the worker's `--github-url`, default https://github.com); the service is `name` lowercased unless `service` is given; a full URL is still accepted"),
        new("(no id)", "the AMQP message-id when the producer sets one, else `qb-` + a fresh id, kept with the request through its retries"),
        new("(no ref)", "the default branch"),
        new("success notification", "on the exchange `container-manager` (fanout, durable; `--queue-builder-success-exchange`): `{\"userID\",\"repo\",\"connector\",\"type\",\"image\",\"digest\",\"version\",\"commit\",\"buildId\"}`"),
        new("failure notification", "on the exchange `connector-manager` (fanout, durable; `--queue-builder-failure-exchange`): `{\"userID\",\"repo\",\"connector\",\"type\",\"reason\",\"step\",\"attempts\",\"rejected\",\"buildId\"}` after the last attempt or a rejection"),
    ];

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex OwnerName();

    /// <summary>True when the request uses the queue builder's fields.</summary>
    public static bool Applies(BuildRequest r) => r.UserId is not null || r.Type is not null || r.Connector is not null;

    /// <summary>The request in Slipway's terms (id, clone URL, tenant, service); one line naming the field otherwise.</summary>
    public static BuildRequest Normalize(BuildRequest r, string gitHubUrl, string? messageId)
    {
        if (!Applies(r)) return r;
        if (r.Type is not "repo") throw Invalid($"type '{r.Type}' is not supported; the queue builder contract knows type \"repo\"");
        if (r.Connector is not "github") throw Invalid($"connector '{r.Connector}' is not supported; the queue builder contract knows connector \"github\"");
        if (string.IsNullOrWhiteSpace(r.Repo)) throw Invalid("'repo' is missing; give owner/name");
        var repo = r.Repo;
        string? name = null;
        if (!repo.Contains("://", StringComparison.Ordinal))
        {
            if (!OwnerName().IsMatch(repo) || repo.Split('/')[1] is "." or "..")
                throw Invalid($"repo '{repo}' is not owner/name (letters, digits, '-', and for the name also '.' and '_')");
            name = repo.Split('/')[1];
            repo = $"{gitHubUrl.TrimEnd('/')}/{repo}.git";
        }
        var id = r.Id ?? (messageId is { Length: > 0 } m ? m : "qb-" + Guid.NewGuid().ToString("N"));
        return r with
        {
            Id = id,
            Repo = repo,
            Tenant = r.Tenant ?? r.UserId?.ToLowerInvariant(),
            Service = r.Service ?? (name ?? Path.GetFileNameWithoutExtension(new Uri(repo).AbsolutePath.TrimEnd('/'))).ToLowerInvariant(),
        };
    }

    public static Success SuccessFor(BuildRequest original, Model.BuildResult.Succeeded ok) =>
        new(original.UserId, original.Repo, original.Connector, original.Type, ok.Image.Reference, ok.Image.Digest, ok.Version, ok.Commit, ok.BuildId);

    public static Failure FailureFor(BuildRequest original, string? buildId, string reason, string? step, int attempts, bool rejected) =>
        new(original.UserId, original.Repo, original.Connector, original.Type, reason, step, attempts, rejected, buildId);

    /// <summary>Published on the success exchange (the container manager's).</summary>
    public sealed record Success(
        [property: JsonPropertyName("userID")] string? UserId, string? Repo, string? Connector, string? Type,
        string Image, string Digest, int? Version, string? Commit, string BuildId);

    /// <summary>Published on the failure exchange (the connector manager's).</summary>
    public sealed record Failure(
        [property: JsonPropertyName("userID")] string? UserId, string? Repo, string? Connector, string? Type,
        string Reason, string? Step, int Attempts, bool Rejected, string? BuildId);

    private static StepFailure Invalid(string message) => new("validate", FailureClass.Permanent, message);
}
