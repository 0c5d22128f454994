using System.Collections.Concurrent;

namespace Slipway.Tooling;

/// <summary>
/// Process-wide set of secret values. Every line the build prints (its own and its tools') passes through
/// <see cref="Redact"/>, so a token resolved from a parameter or a credential file never reaches a log.
/// </summary>
public static class Secrets
{
    private static readonly ConcurrentDictionary<string, byte> Values = new();
    public const string Mask = "[REDACTED]";

    public static void Register(string? value)
    {
        // Very short values would mask ordinary words; they are not credentials worth the noise.
        if (!string.IsNullOrEmpty(value) && value.Length >= 4) Values.TryAdd(value, 0);
    }

    public static string Redact(string line)
    {
        if (Values.IsEmpty || string.IsNullOrEmpty(line)) return line;
        foreach (var secret in Values.Keys.OrderByDescending(s => s.Length))
            if (line.Contains(secret, StringComparison.Ordinal)) line = line.Replace(secret, Mask, StringComparison.Ordinal);
        return line;
    }
}
