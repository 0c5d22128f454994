using System.Text.RegularExpressions;
using Slipway.Images.Discovery;
using Slipway.Images.Methods;

namespace Slipway.Images.Pipeline;

/// <summary>
/// Tag rules: <c>vX.Y.Z-&lt;sha7&gt;&lt;suffix&gt;</c> on every build, <c>latest&lt;suffix&gt;</c> only when the
/// commit is on the main branch. The version tag comes first: it is the one looked up for incremental skips.
/// </summary>
public static partial class ImageTags
{
    public const string DefaultVersion = "0.0.0";

    [GeneratedRegex("^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$")]
    private static partial Regex VersionPattern();

    public static string VersionOf(ImageDefinition definition) => string.IsNullOrWhiteSpace(definition.Version) ? DefaultVersion : definition.Version.Trim();

    /// <summary>Why a declared version is unusable, or null. SemVer build metadata ('+') cannot appear in a tag.</summary>
    public static string? ExplainInvalidVersion(string version) =>
        VersionPattern().IsMatch(version) && !version.Contains('+') ? null
            : $"version '{version}' is not X.Y.Z (optionally with a -prerelease part, no '+build' part)";

    public static string VersionTag(string version, GitInfo git, string suffix) => $"v{version}-{git.ShortSha}{suffix}";

    public static string LatestTag(string suffix) => "latest" + suffix;

    public static bool IsMainBranch(GitInfo git, string mainBranch) =>
        git.Branch is { } b && string.Equals(b, mainBranch, StringComparison.Ordinal);

    /// <summary>Every tag a build of <paramref name="definition"/> gets at this commit, version tag first.</summary>
    public static IReadOnlyList<string> For(ImageDefinition definition, GitInfo git, string mainBranch)
    {
        var tags = new List<string> { VersionTag(VersionOf(definition), git, definition.TagSuffix) };
        if (IsMainBranch(git, mainBranch)) tags.Add(LatestTag(definition.TagSuffix));
        return tags;
    }
}
