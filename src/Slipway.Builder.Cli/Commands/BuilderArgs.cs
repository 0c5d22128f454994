namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// Flags of the builder verbs, bound once: a flag wins over its environment variable. Parsed by
/// <see cref="VerbLine"/> (System.CommandLine): unknown flags are refused with the list of valid ones, switches need
/// no value, <c>--</c> ends the options, <c>--help</c> lists the flags with their variables.
/// </summary>
public sealed class BuilderArgs
{
    private readonly Dictionary<string, string> _flags = new();
    private readonly Dictionary<string, List<string>> _repeated = new();
    private readonly Dictionary<string, string> _environment;

    public BuilderArgs(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> flagsToEnvironment, ISet<string>? switches = null)
    {
        _environment = new Dictionary<string, string>(flagsToEnvironment);
        var line = VerbLine.Parse(args, flagsToEnvironment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value), new HashSet<string>(switches ?? new HashSet<string>()));
        foreach (var name in line.Switches) _flags[name] = "true";
        foreach (var (name, values) in line.Values)
        {
            _flags[name] = values[^1];
            _repeated[name] = values;
        }
        Positionals.AddRange(line.Positionals);
    }

    public List<string> Positionals { get; } = [];

    public string? Get(string flag) =>
        _flags.TryGetValue(flag, out var v) ? v
        : _environment.TryGetValue(flag, out var env) && Environment.GetEnvironmentVariable(env) is { Length: > 0 } e ? e
        : null;

    /// <summary>Only what the command line gave (no environment fallback).</summary>
    public string? Given(string flag) => _flags.GetValueOrDefault(flag);

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
