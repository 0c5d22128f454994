using System.Text;

namespace Slipway.Builder.Running;

/// <summary>
/// A build's log as the worker keeps it: a build step prints whatever it likes, so every line is made safe to store
/// and show (control characters and NUL, which PostgreSQL refuses in text, become U+FFFD; a tab stays) and cut to
/// <see cref="MaxLineChars"/>; the tail stored and sent in callbacks keeps at most <see cref="TailLines"/> lines
/// and <see cref="TailBytes"/> bytes of UTF-8.
/// </summary>
public static class LogLines
{
    public const int MaxLineChars = 2000;
    public const int TailLines = 50;
    public const int TailBytes = 16 * 1024;

    /// <summary>A failure's message as callbacks, the store and the outcome carry it: redacted, one line, cleaned.</summary>
    public static string OneLine(string message) => Clean(Slipway.Tooling.Secrets.Redact(message.ReplaceLineEndings(" ")));

    public static string Clean(string line)
    {
        var cut = line.Length > MaxLineChars;
        var end = cut ? MaxLineChars : line.Length;
        if (!cut && !NeedsCleaning(line)) return line;
        var sb = new StringBuilder(end + 48);
        for (var i = 0; i < end; i++)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(line[i + 1])) { sb.Append(c).Append(line[++i]); continue; }
            // Control characters and lone surrogates (PostgreSQL refuses NUL, strict UTF-8 refuses a lone half).
            sb.Append(c != '\t' && (char.IsControl(c) || char.IsSurrogate(c)) ? '\uFFFD' : c);
        }
        if (cut) sb.Append($" … ({line.Length - end} more characters cut)");
        return sb.ToString();
    }

    private static bool NeedsCleaning(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1])) { i++; continue; }
            if (c != '\t' && (char.IsControl(c) || char.IsSurrogate(c))) return true;
        }
        return false;
    }

    /// <summary>The last lines that fit both caps, each cleaned (oldest first).</summary>
    public static IReadOnlyList<string> Tail(IEnumerable<string> lines)
    {
        var kept = new List<string>();
        var bytes = 0;
        foreach (var raw in lines.Reverse().Take(TailLines))
        {
            var line = Clean(raw);
            var size = Encoding.UTF8.GetByteCount(line) + 1;
            if (bytes + size > TailBytes) break;
            bytes += size;
            kept.Add(line);
        }
        kept.Reverse();
        return kept;
    }

}
