namespace Slipway.Source.Providers;

/// <summary>
/// How a value read from a repository (a version from engines/packageManager, a package name, a path) enters a
/// command the build stage runs with <c>sh -c</c>: single-quoted, so it is one word and never shell syntax.
/// Commands the user wrote as commands (scripts, Procfile, --build-command) are the only unquoted shell text.
/// </summary>
public static class Shell
{
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c)) ? value : "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>A version or range as package.json may carry it (npm range syntax), else a one-line error naming the field.</summary>
    public static string VersionSpec(string value, string field)
    {
        var v = value.Trim();
        if (v.Length is 0 or > 100 || !v.All(c => char.IsAsciiLetterOrDigit(c) || " .^~<>=|*-+/".Contains(c)))
            throw new FormatException($"{field}: '{Printable(value)}' is not a version or range; write one like 20, ^20.11 or >=18 <23");
        return v;
    }

    public static string Printable(string value) => new(value.Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
