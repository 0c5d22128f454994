using System.Collections.Concurrent;

namespace Slipway.Tooling;

/// <summary>
/// Secret values to mask. Every line the build prints (its own and its tools') passes through <see cref="Redact"/>,
/// so a token resolved from a parameter or a credential file never reaches a log. Values registered outside any
/// scope (the operator's: broker and database passwords, the callback key) are masked everywhere; values
/// registered inside a <see cref="BeginScope"/> (a request's token) are masked in that scope's flow only, so one
/// tenant's "token" of <c>error</c> cannot blank that word out of every other tenant's log.
/// </summary>
public static class Secrets
{
    private static readonly ConcurrentDictionary<string, byte> Values = new();
    private static readonly AsyncLocal<Scope?> Current = new();
    public const string Mask = "[REDACTED]";

    /// <summary>Until disposed, registrations in this async flow (and the tasks it starts) belong to it alone.</summary>
    public static IDisposable BeginScope()
    {
        var scope = new Scope(Current.Value);
        Current.Value = scope;
        return scope;
    }

    public static void Register(string? value)
    {
        // Very short values would mask ordinary words; they are not credentials worth the noise.
        if (string.IsNullOrEmpty(value) || value.Length < 4) return;
        if (Current.Value is { } scope) scope.Values.TryAdd(value, 0);
        else Values.TryAdd(value, 0);
    }

    public static string Redact(string line)
    {
        if (string.IsNullOrEmpty(line)) return line;
        IEnumerable<string> all = Values.Keys;
        for (var s = Current.Value; s is not null; s = s.Parent) all = all.Concat(s.Values.Keys);
        foreach (var secret in all.OrderByDescending(s => s.Length))
            if (line.Contains(secret, StringComparison.Ordinal)) line = line.Replace(secret, Mask, StringComparison.Ordinal);
        return line;
    }

    private sealed class Scope(Scope? parent) : IDisposable
    {
        public Scope? Parent { get; } = parent;
        public ConcurrentDictionary<string, byte> Values { get; } = new();

        public void Dispose()
        {
            if (Current.Value == this) Current.Value = Parent;
        }
    }
}
