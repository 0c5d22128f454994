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

    /// <summary>A repeatable flag: every value given, else its environment variable split at commas.</summary>
    public IReadOnlyList<string> GetAll(string flag) =>
        _repeated.TryGetValue(flag, out var all) ? all
        : _environment.TryGetValue(flag, out var env) ? Validation.InputPolicy.SplitList(Environment.GetEnvironmentVariable(env))
        : [];

    /// <summary>A switch: given, or its environment variable set to 1/true/yes.</summary>
    public bool GetBool(string flag) =>
        _flags.ContainsKey(flag)
        || (_environment.TryGetValue(flag, out var env) && Environment.GetEnvironmentVariable(env)?.Trim().ToLowerInvariant() is "1" or "true" or "yes");

    /// <summary>
    /// A secret: the flag (or its variable), else the file named by FLAG-file (or its variable), trimmed. Files keep
    /// secrets out of argv, where every process on the machine can read them (/proc/PID/cmdline).
    /// </summary>
    public string? GetSecret(string flag)
    {
        if (Get(flag) is { } value) return value;
        if (Get(flag + "-file") is not { } file) return null;
        if (!File.Exists(file)) throw new UsageException($"{flag}-file '{file}' does not exist; give the path of a file holding the value");
        return File.ReadAllText(file).Trim() is { Length: > 0 } v ? v : throw new UsageException($"{flag}-file '{file}' is empty");
    }

    public string Required(string flag) => Get(flag)
        ?? throw new UsageException($"{flag} is required (or set {(_environment.TryGetValue(flag, out var env) ? env : "it")})");

    /// <summary><see cref="GetSecret"/> that must be given.</summary>
    public string RequiredSecret(string flag) => GetSecret(flag)
        ?? throw new UsageException($"{flag} is required: give {flag}-file PATH (or set {(_environment.TryGetValue(flag + "-file", out var f) ? f : "its _FILE variable")}){(_environment.TryGetValue(flag, out var env) ? $" or {env}" : "")}");

    public int GetInt(string flag, int fallback, int min, int max)
    {
        var raw = Get(flag);
        if (raw is null) return fallback;
        if (!int.TryParse(raw, out var v) || v < min || v > max) throw new UsageException($"{flag} '{raw}' must be a number from {min} to {max}");
        return v;
    }
}
