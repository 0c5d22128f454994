namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// Flags of the builder verbs, bound once: a flag wins over its environment variable. Unknown flags are refused
/// with the list of valid ones.
/// </summary>
public sealed class BuilderArgs
{
    private readonly Dictionary<string, string> _flags = new();
    private readonly Dictionary<string, string> _environment;

    public BuilderArgs(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> flagsToEnvironment, ISet<string>? switches = null)
    {
        _environment = new Dictionary<string, string>(flagsToEnvironment);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--") { Positionals.AddRange(args.Skip(i + 1)); break; }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = a.Contains('=') ? (a[..a.IndexOf('=')], a[(a.IndexOf('=') + 1)..]) : (a, null);
                if (!flagsToEnvironment.ContainsKey(name) && switches?.Contains(name) != true)
                    throw new UsageException($"unknown option '{name}'; valid options: {string.Join(", ", flagsToEnvironment.Keys.Concat(switches ?? new HashSet<string>()).Order())}");
                if (switches?.Contains(name) == true) { _flags[name] = "true"; continue; }
                value ??= i + 1 < args.Count ? args[++i] : throw new UsageException($"option '{name}' needs a value");
                _flags[name] = value;
            }
            else Positionals.Add(a);
        }
    }

    public List<string> Positionals { get; } = [];

    public string? Get(string flag) =>
        _flags.TryGetValue(flag, out var v) ? v
        : _environment.TryGetValue(flag, out var env) && Environment.GetEnvironmentVariable(env) is { Length: > 0 } e ? e
        : null;

    public bool Has(string flag) => _flags.ContainsKey(flag);

    public string Required(string flag) => Get(flag)
        ?? throw new UsageException($"{flag} is required (or set {(_environment.TryGetValue(flag, out var env) ? env : "it")})");

    public int GetInt(string flag, int fallback, int min, int max)
    {
        var raw = Get(flag);
        if (raw is null) return fallback;
        if (!int.TryParse(raw, out var v) || v < min || v > max) throw new UsageException($"{flag} '{raw}' must be a number from {min} to {max}");
        return v;
    }
}
