namespace Slipway.Builder.Cli.Commands;

/// <summary>Small parser for one verb: positional arguments and --name VALUE / --name=VALUE options from a fixed list.</summary>
public sealed class Arguments
{
    public List<string> Positional { get; } = [];
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public static Arguments Parse(IReadOnlyList<string> args, string verb, params string[] valid)
    {
        var result = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) { result.Positional.Add(a); continue; }
            var eq = a.IndexOf('=');
            var name = eq > 0 ? a[2..eq] : a[2..];
            if (!valid.Contains(name))
                throw new UsageException($"{verb}: unknown option '--{name}'. Valid options are: {string.Join(", ", valid.Select(v => "--" + v))}");
            if (eq > 0) result._options[name] = a[(eq + 1)..];
            else if (i + 1 < args.Count) result._options[name] = args[++i];
            else throw new UsageException($"{verb}: --{name} needs a value");
        }
        return result;
    }

    public string? this[string name] => _options.GetValueOrDefault(name);

    /// <summary>The option, else the environment variable (the seed builder's ROOT_DIRECTORY, BUILD_COMMAND, START_COMMAND).</summary>
    public string? OrEnvironment(string name, string variable) =>
        this[name] ?? (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : null);
}
