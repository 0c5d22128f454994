using System.Text.RegularExpressions;

namespace Slipway.Builder.Running;

/// <summary>
/// Durations as operators write them for <c>--build-timeout</c>: whole numbers with a unit, largest first, as Go
/// and Kubernetes tools take them (<c>90s</c>, <c>30m</c>, <c>1h30m</c>, <c>2h</c>); a bare number is seconds.
/// </summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex Pattern();

    /// <summary>Null when the text is not a duration; the caller names its flag and the syntax.</summary>
    public static TimeSpan? TryParse(string text)
    {
        text = text.Trim();
        if (text.Length is 0 or > 20) return null;
        if (text.All(char.IsAsciiDigit)) return TimeSpan.FromSeconds(long.Parse(text));
        var m = Pattern().Match(text);
        if (!m.Success) return null;
        long Part(int i) => m.Groups[i].Success ? long.Parse(m.Groups[i].Value) : 0;
        return TimeSpan.FromSeconds(Part(1) * 3600 + Part(2) * 60 + Part(3));
    }

    public static string Format(TimeSpan t)
    {
        var s = (long)t.TotalSeconds;
        var text = (s / 3600 > 0 ? $"{s / 3600}h" : "") + (s / 60 % 60 > 0 ? $"{s / 60 % 60}m" : "") + (s % 60 > 0 || s == 0 ? $"{s % 60}s" : "");
        return text;
    }
}
