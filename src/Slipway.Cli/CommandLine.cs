using Slipway.Cli.Transports;

namespace Slipway.Cli;

/// <summary>Parsed arguments: a command, positionals, and --options (with or without values).</summary>
public sealed class CommandLine
{
    private static readonly HashSet<string> Flags = ["raw", "config", "help", "quiet"];
    private static readonly HashSet<string> Valued = ["jobs", "creds", "src-creds", "dest-creds", "insecure-registry", "platform",
        "compression", "level", "prefix", "output", "recompress"];
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public string? Command { get; private set; }
    public List<string> Positionals { get; } = [];

    public static CommandLine Parse(string[] args)
    {
        var c = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var name = a[2..];
                string? value = null;
                var eq = name.IndexOf('=');
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                if (Flags.Contains(name)) { c._options[name] = value ?? "true"; continue; }
                // An unknown option would otherwise swallow the next argument as its value.
                if (!Valued.Contains(name))
                    throw new UsageException($"unknown option '--{name}'. Available options are: {string.Join(", ", Flags.Concat(Valued).Order(StringComparer.Ordinal).Select(o => "--" + o))}");
                if (value is null)
                {
                    if (i + 1 >= args.Length) throw new UsageException($"--{name} needs a value");
                    value = args[++i];
                }
                c._options[name] = value;
            }
            else if (a == "-h") c._options["help"] = "true";
            else if (a == "-q") c._options["quiet"] = "true";
            else if (c.Command is null) c.Command = a;
            else c.Positionals.Add(a);
        }
        return c;
    }

    public bool Has(string name) => _options.ContainsKey(name);
    public string? Get(string name) => _options.GetValueOrDefault(name);

    public int GetInt(string name, int fallback, int min, int max)
    {
        if (Get(name) is not { } v) return fallback;
        if (!int.TryParse(v, out var n) || n < min || n > max) throw new UsageException($"--{name} must be a whole number from {min} to {max}, not '{v}'");
        return n;
    }

    public string Positional(int index, string what)
    {
        if (index < Positionals.Count) return Positionals[index];
        throw new UsageException($"'{Command}' needs {what}; see 'slipway --help'");
    }

    public void ExpectPositionals(int count)
    {
        if (Positionals.Count > count) throw new UsageException($"'{Command}' got an unexpected argument '{Positionals[count]}'");
    }
}
