using System.Text.RegularExpressions;
using Slipway.Builder.Model;
using Slipway.Oci.Model;

namespace Slipway.Builder.Validation;

/// <summary>
/// The one check every way into a build goes through (queue request, <c>builder run</c>'s environment, submit,
/// contract adapters): each field's size, characters and meaning against the operator's <see cref="InputPolicy"/>,
/// before anything runs. A refusal is one line naming the field and the fix (never a secret's value).
/// </summary>
public static class BuildSpecValidation
{
    private static readonly Regex Name = new("^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$");

    public const int MaxUrl = 2048, MaxPath = 1024, MaxCommand = 16 * 1024, MaxSecret = 4096, MaxImageTag = 512, MaxBuildId = 128;

    public static string? Explain(BuildSpec spec, InputPolicy? policy = null)
    {
        policy ??= new InputPolicy();
        if (string.IsNullOrWhiteSpace(spec.BuildId) || spec.BuildId.Length > MaxBuildId || spec.BuildId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return $"id '{Printable(spec.BuildId)}' is invalid: use 1-{MaxBuildId} characters without spaces or control characters";

        // Sizes and characters first: nothing below has to think about NUL or a megabyte-long value.
        foreach (var (field, value, max, multiline) in new (string, string?, int, bool)[]
        {
            ("repo", spec.RepoCloneUrl, MaxUrl, false), ("ref", spec.Ref, RefName.MaxLength, false),
            ("tenant", spec.Tenant, 64, false), ("service", spec.Service, 64, false), ("imageTag", spec.ImageTag, MaxImageTag, false),
            ("rootDirectory", spec.RootDirectory, MaxPath, false), ("dockerfile", spec.DockerfilePath, MaxPath, false),
            ("buildContext", spec.BuildContext, MaxPath, false),
            ("buildCommand", spec.BuildCommand, MaxCommand, true), ("startCommand", spec.StartCommand, MaxCommand, true),
            ("callbackUrl", spec.CallbackUrl, MaxUrl, false), ("registryUser", spec.RegistryUser, 256, false),
            ("token", spec.GitToken?.Reveal(), MaxSecret, false), ("callbackSecret", spec.CallbackSecret?.Reveal(), MaxSecret, false),
            ("registryPassword", spec.RegistryPassword?.Reveal(), MaxSecret, false),
            ("callbackToken", spec.CallbackToken?.Reveal(), MaxSecret, false),
        })
        {
            if (value is null) continue;
            var secret = field is "token" or "callbackSecret" or "registryPassword" or "callbackToken";
            if (value.Length > max) return $"{field} is {value.Length} characters long; the limit is {max}";
            var bad = value.FirstOrDefault(c => (c < 0x20 && !(multiline && c is '\n' or '\t')) || c == 0x7f);
            if (bad != default || value.Contains('\0'))
                return $"{field}{(secret ? "" : $" '{Printable(value)}'")} contains control character U+{(int)(value.Contains('\0') ? '\0' : bad):X4}; remove it{(multiline ? " (only newlines and tabs are allowed in commands)" : "")}";
        }

        if (RepoProblem(spec.RepoCloneUrl, policy) is { } repo) return repo;
        if (spec.Ref is { } gitRef && RefName.Problem(gitRef) is { } refProblem)
            return $"ref '{Printable(gitRef)}' {refProblem}: use a commit sha or a branch/tag name (git check-ref-format rules)";
        if ((spec.GitToken is not null || spec.GitHubApp is not null) && TokenProblem(spec.RepoCloneUrl, policy) is { } token) return token;

        if (spec.ImageTag is { } imageTag)
        {
            if (ImageTagProblem(imageTag, policy) is { } tag) return tag;
        }
        else if (spec.Tenant is null || spec.Service is null)
            return "no destination: set tenant and service (TENANT and SERVICE; published as {registry}/tenants/{tenant}/{service}:{n})";
        if (spec.Tenant is not null && !Name.IsMatch(spec.Tenant)) return $"tenant '{spec.Tenant}' is invalid: use lowercase letters, digits, '.', '_' or '-' (max 64)";
        if (spec.Service is not null && !Name.IsMatch(spec.Service)) return $"service '{spec.Service}' is invalid: use lowercase letters, digits, '.', '_' or '-' (max 64)";

        foreach (var (field, value) in new[] { ("rootDirectory", spec.RootDirectory), ("dockerfile", spec.DockerfilePath), ("buildContext", spec.BuildContext) })
            if (value is not null && (Path.IsPathRooted(value) || value.Split('/', '\\').Contains("..")))
                return $"{field} '{value}' must be a relative path inside the repository (no leading '/', no '..')";

        if (spec.CallbackUrl is { } callback && CallbackProblem(callback, policy) is { } cb) return cb;
        if (spec.CallbackUrl is not null && spec.CallbackSecret is null && spec.CallbackToken is null)
            return "callbackUrl is set but no callback secret or token: set CALLBACK_SECRET / --callback-secret-file to a whsec_... value, or CALLBACK_TOKEN to the token the receiver checks";
        return null;
    }

    /// <summary>https, http only to listed hosts, local only when allowed; never a transport helper or an option.</summary>
    internal static string? RepoProblem(string url, InputPolicy policy)
    {
        const string fix = "use https://host/owner/repo(.git)";
        if (url.StartsWith('-')) return $"repo '{url}' starts with '-' (git would read it as an option); {fix}";
        if (url.Contains("::")) return $"repo '{url}' names a git transport helper ('{url[..url.IndexOf("::", StringComparison.Ordinal)]}::'); {fix}";
        var local = url.StartsWith('/') || url.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (local)
            return policy.AllowLocalRepos ? null
                : $"repo '{url}' is a path on the worker's disk; {fix} (the operator can allow local repositories with --allow-local-repos)";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)) return $"repo '{url}' is not a clone URL: {fix}";
        return uri.Scheme switch
        {
            "https" => null,
            "http" when InputPolicy.Lists(policy.HttpGitHosts, uri) => null,
            "http" => $"repo '{url}' uses plain http; {fix} (the operator can allow http for this host with --allow-http-git-host {uri.Authority})",
            _ => $"repo '{url}' uses the '{uri.Scheme}' transport; {fix}",
        };
    }

    /// <summary>A token goes only to the hosts it was made for, and over http only where the operator said both.</summary>
    internal static string? TokenProblem(string url, InputPolicy policy)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return $"token: repo '{url}' is not an https URL, so no token is sent to it; drop the token or use the https clone URL";
        if (!InputPolicy.Lists(policy.TokenHosts, uri))
            return $"token: repo host '{uri.Authority}' is not one the token is for ({string.Join(", ", policy.TokenHosts)}); the operator lists token hosts with --git-token-host";
        if (uri.Scheme == "http" && !InputPolicy.Lists(policy.HttpGitHosts, uri))
            return $"token: repo '{url}' uses plain http; tokens go over https only";
        return null;
    }

    /// <summary>The queue may not pick its destination unless allowed, and then only under the worker's registry, outside tenants/.</summary>
    internal static string? ImageTagProblem(string imageTag, InputPolicy policy)
    {
        switch (policy.ImageTag)
        {
            case ImageTagRule.Any:
                return null;
            case ImageTagRule.Refused:
                return $"imageTag '{imageTag}' is not allowed: the worker publishes to {{registry}}/tenants/{{tenant}}/{{service}}; send tenant and service instead (the operator can allow imageTag with --allow-image-tag)";
        }
        var name = ImageReference.WithoutTransport(imageTag);
        var registry = policy.Registry?.TrimEnd('/');
        if (registry is null || !name.StartsWith(registry + "/", StringComparison.Ordinal))
            return $"imageTag '{imageTag}' must be under the worker's registry: use docker://{registry ?? "REGISTRY"}/NAME:TAG";
        var rest = name[(registry.Length + 1)..];
        if (rest.StartsWith("tenants/", StringComparison.Ordinal) || rest.Split('/', ':', '@').Any(p => p is "" or "." or ".."))
            return $"imageTag '{imageTag}' must name a repository under {registry}/ outside tenants/ (no empty, '.' or '..' parts): use docker://{registry}/NAME:TAG";
        return null;
    }

    /// <summary>http(s), no credentials, and under one of the operator's prefixes when it listed any.</summary>
    internal static string? CallbackProblem(string url, InputPolicy policy)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            return $"callbackUrl '{url}' is not an http(s) URL";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "callbackUrl contains credentials; the callback is signed with the worker's secret instead";
        if (policy.CallbackUrlPrefixes.Count == 0) return null;
        foreach (var prefix in policy.CallbackUrlPrefixes)
        {
            // Compared as URLs, not strings: "https://hooks.example.com" must not admit "https://hooks.example.com.evil.net".
            if (!Uri.TryCreate(prefix, UriKind.Absolute, out var p)) continue;
            if (p.Scheme == uri.Scheme && string.Equals(p.Authority, uri.Authority, StringComparison.OrdinalIgnoreCase)
                && uri.AbsolutePath.StartsWith(p.AbsolutePath, StringComparison.Ordinal))
                return null;
        }
        return $"callbackUrl '{url}' is not under an allowed prefix ({string.Join(", ", policy.CallbackUrlPrefixes)}); use one of those";
    }

    /// <summary>A value as it may appear in a refusal: control characters shown as \uXXXX, long values cut.</summary>
    private static string Printable(string value)
    {
        var shown = value.Length > 120 ? value[..120] + "…" : value;
        return string.Concat(shown.Select(c => c < 0x20 || c == 0x7f ? $"\\u{(int)c:X4}" : c.ToString()));
    }
}
