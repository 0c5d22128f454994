namespace Slipway.Builder.Validation;

/// <summary>
/// What the operator allows request fields to name (flags &gt; environment, the same for <c>builder serve</c>,
/// <c>builder run</c> and <c>builder submit</c>). The defaults are the safe ones: https repositories only, tokens only
/// to GitHub, any callback target that is http(s), no explicit image destination from the queue.
/// </summary>
public sealed record InputPolicy
{
    /// <summary>--allow-local-repos / BUILDER_ALLOW_LOCAL_REPOS=1: file:// URLs and absolute paths on the worker's disk.</summary>
    public bool AllowLocalRepos { get; init; }
    /// <summary>--allow-http-git-host / BUILDER_ALLOW_HTTP_GIT_HOSTS: hosts (HOST or HOST:PORT) that may be cloned over plain http.</summary>
    public IReadOnlyList<string> HttpGitHosts { get; init; } = [];
    /// <summary>--git-token-host / BUILDER_GIT_TOKEN_HOSTS: hosts a clone token or GitHub App token may be sent to (default github.com).</summary>
    public IReadOnlyList<string> TokenHosts { get; init; } = DefaultTokenHosts;
    /// <summary>--callback-url-prefix / BUILDER_CALLBACK_URL_PREFIXES: when non-empty, callbackUrl must start with one of these.</summary>
    public IReadOnlyList<string> CallbackUrlPrefixes { get; init; } = [];
    /// <summary>How an explicit imageTag is treated: the queue refuses it unless the operator allows it.</summary>
    public ImageTagRule ImageTag { get; init; } = ImageTagRule.Refused;
    /// <summary>The worker's own registry HOST[:PORT][/NAMESPACE]: where an allowed imageTag must point.</summary>
    public string? Registry { get; init; }

    public static readonly IReadOnlyList<string> DefaultTokenHosts = ["github.com"];

    /// <summary>The operator's environment variables for a child (<c>builder run</c> in a Job) to apply the same policy.</summary>
    public IReadOnlyDictionary<string, string> ToEnvironment()
    {
        var env = new Dictionary<string, string>();
        if (AllowLocalRepos) env[AllowLocalReposVariable] = "1";
        if (HttpGitHosts.Count > 0) env[HttpGitHostsVariable] = string.Join(',', HttpGitHosts);
        env[TokenHostsVariable] = string.Join(',', TokenHosts);
        if (CallbackUrlPrefixes.Count > 0) env[CallbackUrlPrefixesVariable] = string.Join(',', CallbackUrlPrefixes);
        return env;
    }

    public const string AllowLocalReposVariable = "BUILDER_ALLOW_LOCAL_REPOS";
    public const string HttpGitHostsVariable = "BUILDER_ALLOW_HTTP_GIT_HOSTS";
    public const string TokenHostsVariable = "BUILDER_GIT_TOKEN_HOSTS";
    public const string CallbackUrlPrefixesVariable = "BUILDER_CALLBACK_URL_PREFIXES";
    public const string AllowImageTagVariable = "BUILDER_ALLOW_IMAGE_TAG";

    /// <summary>The policy from its environment variables (what <c>builder job</c> reads; the CLI verbs also take flags).</summary>
    public static InputPolicy FromEnvironment(Func<string, string?> get, ImageTagRule imageTagDefault, string? registry) => new()
    {
        AllowLocalRepos = get(AllowLocalReposVariable)?.Trim().ToLowerInvariant() is "1" or "true" or "yes",
        HttpGitHosts = SplitList(get(HttpGitHostsVariable)),
        TokenHosts = SplitList(get(TokenHostsVariable)) is { Count: > 0 } hosts ? hosts : DefaultTokenHosts,
        CallbackUrlPrefixes = SplitList(get(CallbackUrlPrefixesVariable)),
        ImageTag = get(AllowImageTagVariable)?.Trim().ToLowerInvariant() is "1" or "true" or "yes" ? ImageTagRule.UnderRegistry : imageTagDefault,
        Registry = registry,
    };

    /// <summary>A comma-separated environment value as a list (blank entries dropped).</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when <paramref name="uri"/>'s host is listed (an entry is HOST, matching any port, or HOST:PORT).</summary>
    internal static bool Lists(IReadOnlyList<string> hosts, Uri uri) =>
        hosts.Any(h => string.Equals(h, uri.Host, StringComparison.OrdinalIgnoreCase) || string.Equals(h, uri.Authority, StringComparison.OrdinalIgnoreCase));
}

public enum ImageTagRule
{
    /// <summary>The queue's default: a request may not choose its destination.</summary>
    Refused,
    /// <summary>--allow-image-tag: only docker://{registry}/... outside the tenants/ namespace.</summary>
    UnderRegistry,
    /// <summary><c>builder run</c>: its environment is the operator's (or a worker's that already checked the request).</summary>
    Any,
}
