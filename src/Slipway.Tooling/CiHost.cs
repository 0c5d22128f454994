namespace Slipway.Tooling;

/// <summary>
/// The one reading of CI variables: whether this is a CI host (Nuke's IsServerBuild) and which one. Every caller
/// passes its environment lookup, so a test (or the image pipeline's own environment) can stand in for the process's.
/// </summary>
public static class CiHost
{
    private static string? Process(string name) => System.Environment.GetEnvironmentVariable(name);

    /// <summary>A CI host: <c>CI</c> set to anything but "false" (as CI systems set it), or GitHub Actions, or GitLab CI.</summary>
    public static bool IsServerBuild(Func<string, string?>? env = null)
    {
        env ??= Process;
        return env("CI") is { Length: > 0 } ci && ci != "false" || IsGitHubActions(env) || IsGitLabCi(env);
    }

    /// <summary><c>CI=true</c> (or 1): what <c>--strict</c> defaults to.</summary>
    public static bool IsCi(Func<string, string?>? env = null) => IsTrue((env ?? Process)("CI"));

    public static bool IsGitHubActions(Func<string, string?>? env = null) => IsTrue((env ?? Process)("GITHUB_ACTIONS"));

    public static bool IsGitLabCi(Func<string, string?>? env = null) => IsTrue((env ?? Process)("GITLAB_CI"));

    /// <summary>"true" (any case) or "1".</summary>
    public static bool IsTrue(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
