using Slipway.Builder.Validation;

namespace Slipway.Builder.Cli.Commands;

/// <summary>The operator's input policy flags, shared by serve, run and submit (so all three accept the same requests).</summary>
public static class InputPolicyArgs
{
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--allow-local-repos"] = InputPolicy.AllowLocalReposVariable,
        ["--allow-http-git-host"] = InputPolicy.HttpGitHostsVariable,
        ["--git-token-host"] = InputPolicy.TokenHostsVariable,
        ["--callback-url-prefix"] = InputPolicy.CallbackUrlPrefixesVariable,
        ["--allow-image-tag"] = InputPolicy.AllowImageTagVariable,
    };

    public static readonly ISet<string> Switches = new HashSet<string> { "--allow-local-repos", "--allow-image-tag" };

    /// <summary>Flags plus the policy's, for a command's BuilderArgs.</summary>
    public static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> flags) =>
        flags.Concat(Flags).ToDictionary(p => p.Key, p => p.Value);

    /// <param name="imageTagDefault">The rule without --allow-image-tag: Refused for the queue, Any for builder run.</param>
    public static InputPolicy Bind(BuilderArgs a, ImageTagRule imageTagDefault, string? registry)
    {
        var prefixes = a.GetAll("--callback-url-prefix");
        if (prefixes.FirstOrDefault(p => !(Uri.TryCreate(p, UriKind.Absolute, out var u) && u.Scheme is "http" or "https")) is { } bad)
            throw new UsageException($"--callback-url-prefix '{bad}' is not an http(s) URL prefix, e.g. https://hooks.example.com/builds/");
        return new InputPolicy
        {
            AllowLocalRepos = a.GetBool("--allow-local-repos"),
            HttpGitHosts = a.GetAll("--allow-http-git-host"),
            TokenHosts = a.GetAll("--git-token-host") is { Count: > 0 } hosts ? hosts : InputPolicy.DefaultTokenHosts,
            CallbackUrlPrefixes = prefixes,
            ImageTag = a.GetBool("--allow-image-tag") ? ImageTagRule.UnderRegistry : imageTagDefault,
            Registry = registry,
        };
    }
}
