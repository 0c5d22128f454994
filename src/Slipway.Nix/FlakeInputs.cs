using System.Text.RegularExpressions;

namespace Slipway.Nix;

/// <summary>
/// The inputs a flake.nix declares (name → URL), read from the text so that an input which cannot be fetched can
/// be named without evaluating anything. Covers <c>inputs.x.url = "…"</c>, <c>x.url = "…"</c> inside
/// <c>inputs = { … }</c> and <c>x = { url = "…"; … }</c>.
/// </summary>
public static partial class FlakeInputs
{
    [GeneratedRegex(@"(?:inputs\.)?([A-Za-z_][A-Za-z0-9_'-]*)\.url\s*=\s*""([^""]+)""")]
    private static partial Regex DottedUrl();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_'-]*)\s*=\s*\{[^{}]*?\burl\s*=\s*""([^""]+)""")]
    private static partial Regex BlockUrl();

    public static IReadOnlyDictionary<string, string> Parse(string flakeText)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in DottedUrl().Matches(flakeText)) result.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
        foreach (Match m in BlockUrl().Matches(flakeText))
            if (m.Groups[1].Value != "inputs") result.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
        return result;
    }

    /// <summary>The input a failed download belongs to: github:OWNER/REPO matches api.github.com/repos/OWNER/REPO/… and github.com/OWNER/REPO/….</summary>
    public static KeyValuePair<string, string>? Match(IReadOnlyDictionary<string, string> inputs, string failedUrl)
    {
        foreach (var input in inputs)
        {
            var key = OwnerRepo(input.Value);
            if (key is not null && OwnerRepo(failedUrl) is { } failed && string.Equals(key, failed, StringComparison.OrdinalIgnoreCase))
                return input;
            var plain = input.Value.Split('?')[0];
            if (failedUrl.Contains(plain.Replace("git+", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)) return input;
        }
        return null;
    }

    [GeneratedRegex(@"^(?:github:|https://github\.com/|https://api\.github\.com/repos/|git\+https://github\.com/)([^/]+)/([^/?#]+?)(?:\.git)?(?:[/?#]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex GitHub();

    private static string? OwnerRepo(string url) => GitHub().Match(url) is { Success: true } m ? $"{m.Groups[1].Value}/{m.Groups[2].Value}" : null;
}
