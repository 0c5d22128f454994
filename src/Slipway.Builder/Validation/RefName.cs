namespace Slipway.Builder.Validation;

/// <summary>
/// A ref as git accepts it to name one thing to fetch: a commit sha, or a branch/tag name by the rules of
/// <c>git check-ref-format</c> (one-level names allowed), and never one git could read as an option.
/// </summary>
public static class RefName
{
    public const int MaxLength = 255;

    /// <summary>Null when valid, else why not (the caller names the field).</summary>
    public static string? Problem(string value)
    {
        if (value.Length == 0) return "is empty";
        if (value.Length > MaxLength) return $"is longer than {MaxLength} characters";
        if (value[0] == '-') return "starts with '-' (git would read it as an option)";
        if (value[0] == '+') return "starts with '+' (a forced refspec)";
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7f) return $"contains control character U+{(int)c:X4}";
            if (c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\') return $"contains '{c}'";
        }
        if (value == "@") return "is '@'";
        if (value.Contains("..")) return "contains '..'";
        if (value.Contains("@{")) return "contains '@{'";
        if (value.StartsWith('/') || value.EndsWith('/') || value.Contains("//")) return "has an empty path component";
        if (value.EndsWith('.')) return "ends with '.'";
        foreach (var component in value.Split('/'))
        {
            if (component.StartsWith('.')) return $"has a component starting with '.' ('{component}')";
            if (component.EndsWith(".lock", StringComparison.Ordinal)) return $"has a component ending with '.lock' ('{component}')";
        }
        return null;
    }
}
