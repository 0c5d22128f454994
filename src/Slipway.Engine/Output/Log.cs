using System.Text;
using Slipway.Tooling;

namespace Slipway.Engine;

public enum Verbosity { Quiet, Minimal, Normal, Verbose }

/// <summary>
/// Build output. Every line passes through <see cref="Secrets.Redact"/>; while targets run in parallel each line
/// carries its target's name, written whole under a lock, so concurrent output stays readable. Once the build
/// starts, Console.Out and Console.Error go through the same path (<see cref="LineWriter"/>), so a target that
/// writes with Console.WriteLine or a library that prints gets the same redaction and prefix.
/// </summary>
public static class Log
{
    internal static readonly object Gate = new();
    private static readonly AsyncLocal<string?> CurrentTarget = new();
    internal static bool Prefix;
    private static TextWriter? _out;
    public static Verbosity Level { get; set; } = Verbosity.Normal;
    public static bool Colors { get; set; } = !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>The terminal or pipe lines finally go to (the real stdout once <see cref="Install"/> ran).</summary>
    private static TextWriter Out => _out ?? Console.Out;

    /// <summary>Routes Console.Out/Error through redaction and per-target prefixes. Idempotent.</summary>
    internal static void Install()
    {
        if (_out is not null) return;
        _out = Console.Out;
        var err = Console.Error;
        Console.SetOut(new LineWriter(_out));
        Console.SetError(new LineWriter(err));
    }

    /// <summary>Writes any partial lines still buffered in the console writers.</summary>
    internal static void Flush()
    {
        Console.Out.Flush();
        Console.Error.Flush();
    }

    internal static string? Target => CurrentTarget.Value;

    internal static IDisposable Scope(string target)
    {
        var previous = CurrentTarget.Value;
        CurrentTarget.Value = target;
        return new Restore(() => CurrentTarget.Value = previous);
    }

    public static void Debug(string message) { if (Level >= Verbosity.Verbose) Write(message, "\u001b[90m"); }
    public static void Info(string message) { if (Level >= Verbosity.Normal) Write(message, null); }
    public static void Success(string message) { if (Level >= Verbosity.Minimal) Write(message, "\u001b[32m"); }
    public static void Warn(string message) { if (Level >= Verbosity.Minimal) Write(message, "\u001b[33m"); }
    public static void Error(string message) => Write(message, "\u001b[31m");

    /// <summary>Writes a line as is (redacted, uncoloured, never prefixed), for tables and plans.</summary>
    public static void Raw(string message) => Write(message, null, prefix: false);

    internal static string Color(string text, string code) => Colors ? code + text + "\u001b[0m" : text;

    private static void Write(string message, string? color, bool prefix = true)
    {
        var text = Secrets.Redact(message);
        var target = prefix && Prefix ? CurrentTarget.Value : null;
        lock (Gate)
        {
            foreach (var line in text.Split('\n'))
            {
                var l = target is null ? line.TrimEnd('\r') : $"[{target}] {line.TrimEnd('\r')}";
                Out.WriteLine(color is not null && Colors ? color + l + "\u001b[0m" : l);
            }
        }
    }

    /// <summary>Writes one finished line from a console writer: redacted, prefixed with the target in parallel runs.</summary>
    internal static void WriteConsoleLine(TextWriter inner, string line, string? target)
    {
        var text = Secrets.Redact(line);
        lock (Gate) inner.WriteLine(Prefix && target is not null ? $"[{target}] {text}" : text);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>
/// Console.Out/Error replacement: collects characters per target until a newline, then hands the whole line to
/// <see cref="Log"/>, so a secret split over two Write calls is still redacted and parallel targets never
/// interleave inside a line.
/// </summary>
internal sealed class LineWriter(TextWriter inner) : TextWriter
{
    private readonly Dictionary<string, StringBuilder> _partial = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var target = Log.Target;
        var key = target ?? "";
        lock (_partial)
        {
            var start = 0;
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] != '\n') continue;
                var piece = value.AsSpan(start, i - start).TrimEnd('\r');
                if (_partial.Remove(key, out var sb)) { sb.Append(piece); Log.WriteConsoleLine(inner, sb.ToString(), target); }
                else Log.WriteConsoleLine(inner, piece.ToString(), target);
                start = i + 1;
            }
            if (start < value.Length)
            {
                if (!_partial.TryGetValue(key, out var sb)) _partial[key] = sb = new StringBuilder();
                sb.Append(value, start, value.Length - start);
            }
        }
    }

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override void WriteLine() => Write("\n");

    public override void Flush()
    {
        lock (_partial)
        {
            foreach (var (key, sb) in _partial) Log.WriteConsoleLine(inner, sb.ToString(), key.Length == 0 ? null : key);
            _partial.Clear();
        }
        inner.Flush();
    }
}
