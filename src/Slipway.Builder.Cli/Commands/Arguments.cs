namespace Slipway.Builder.Cli.Commands;

/// <summary>One verb's positional arguments and --name VALUE / --name=VALUE options from a fixed list (parsed by <see cref="VerbLine"/>).</summary>
public sealed class Arguments
{
    public List<string> Positional { get; } = [];
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _all = new(StringComparer.Ordinal);

    public static Arguments Parse(IReadOnlyList<string> args, string verb, params string[] valid) => Parse(args, verb, valid, []);

    /// <param name="switches">on/off options among <paramref name="valid"/>: given means "true", no value needed.</param>
    public static Arguments Parse(IReadOnlyList<string> args, string verb, string[] valid, string[] switches)
    {
        VerbLine line;
        try
        {
            line = VerbLine.Parse(args, valid.ToDictionary(v => "--" + v, _ => (string?)null), switches.Select(s => "--" + s).ToHashSet());
        }
        catch (UsageException e) { throw new UsageException($"{verb}: {e.Message}"); }
        var result = new Arguments();
        foreach (var (name, values) in line.Values) { result._options[name[2..]] = values[^1]; result._all[name[2..]] = [.. values]; }
        foreach (var name in line.Switches) result._options[name[2..]] = "true";
        result.Positional.AddRange(line.Positionals);
        return result;
    }

    public string? this[string name] => _options.GetValueOrDefault(name);

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name) => _all.GetValueOrDefault(name) ?? [];

    /// <summary>The option, else the environment variable (the seed builder's ROOT_DIRECTORY, BUILD_COMMAND, START_COMMAND).</summary>
    public string? OrEnvironment(string name, string variable) =>
        this[name] ?? (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : null);
}
