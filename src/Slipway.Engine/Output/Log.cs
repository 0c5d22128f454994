using Slipway.Tooling;

namespace Slipway.Engine;

public enum Verbosity { Quiet, Minimal, Normal, Verbose }

/// <summary>
/// Build output. Every line passes through <see cref="Secrets.Redact"/>; while targets run in parallel each line
/// carries its target's name, written whole under a lock, so concurrent output stays readable.
/// </summary>
public static class Log
{
    private static readonly object Gate = new();
    private static readonly AsyncLocal<string?> CurrentTarget = new();
    internal static bool Prefix;
    public static Verbosity Level { get; set; } = Verbosity.Normal;
    public static bool Colors { get; set; } = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    internal static IDisposable Scope(string target)
    {
        var previous = CurrentTarget.Value;
        CurrentTarget.Value = target;
        return new Restore(() => CurrentTarget.Value = previous);
    }

    public static void Debug(string message) { if (Level >= Verbosity.Verbose) Write(message, "\u001b[90m", Console.Out); }
    public static void Info(string message) { if (Level >= Verbosity.Normal) Write(message, null, Console.Out); }
    public static void Success(string message) { if (Level >= Verbosity.Minimal) Write(message, "\u001b[32m", Console.Out); }
    public static void Warn(string message) { if (Level >= Verbosity.Minimal) Write(message, "\u001b[33m", Console.Out); }
    public static void Error(string message) => Write(message, "\u001b[31m", Console.Out);

    /// <summary>Writes a line as is (redacted, uncoloured), for tables and plans.</summary>
    public static void Raw(string message) => Write(message, null, Console.Out, prefix: false);

    internal static string Color(string text, string code) => Colors ? code + text + "\u001b[0m" : text;

    private static void Write(string message, string? color, TextWriter writer, bool prefix = true)
    {
        var text = Secrets.Redact(message);
        var target = prefix && Prefix ? CurrentTarget.Value : null;
        lock (Gate)
        {
            foreach (var line in text.Split('\n'))
            {
                var l = target is null ? line : $"[{target}] {line}";
                writer.WriteLine(color is not null && Colors ? color + l + "\u001b[0m" : l);
            }
        }
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
