using System.CommandLine;
using System.CommandLine.Parsing;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// One verb's command line, parsed by System.CommandLine: options that take a value (each may repeat), on/off
/// switches that need none (<c>--dind</c>, or <c>--dind=false</c>), positional arguments, and <c>--</c> ending the
/// options. <c>--help</c>/<c>-h</c> anywhere before <c>--</c> asks for the verb's help. An unknown option is one line
/// listing the valid ones. Response files (<c>@file</c>) are off: an argument is never read as a path to more
/// arguments.
/// </summary>
public sealed class VerbLine
{
    public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Switches { get; } = new(StringComparer.Ordinal);
    public List<string> Positionals { get; } = [];

    /// <param name="valued">flag → its environment variable (null: none)</param>
    public static VerbLine Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> valued, IReadOnlySet<string> switches)
    {
        var command = new Command("verb");
        var help = new Option<bool>("--help", "-h");
        command.Options.Add(help);
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var name in valued.Keys.Where(k => !switches.Contains(k)))
            command.Options.Add(options[name] = new Option<string[]>(name) { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false });
        foreach (var name in switches)
            command.Options.Add(options[name] = new Option<bool>(name) { Arity = ArgumentArity.ZeroOrOne });
        var positional = new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore };
        command.Arguments.Add(positional);

        var result = command.Parse(args.ToArray(), new ParserConfiguration { ResponseFileTokenReplacer = null });
        var end = IndexOfEnd(args);
        // An option-looking word before `--` that no option claimed: System.CommandLine would take it as an argument.
        for (var i = 0; i < end; i++)
        {
            var word = args[i];
            if (i > 0 && valued.ContainsKey(args[i - 1]) && !switches.Contains(args[i - 1])) continue; // that flag's value
            if (word.StartsWith('-') && word.Length > 1 && !options.ContainsKey(word.Split('=', 2)[0]) && word is not ("--help" or "-h"))
                throw new UsageException($"unknown option '{word.Split('=', 2)[0]}'; valid options: {string.Join(", ", options.Keys.Order(StringComparer.Ordinal))}");
        }
        if (result.GetValue(help) && args.Take(end).Any(a => a is "--help" or "-h")) throw new HelpRequested(Describe(valued, switches));
        if (result.Errors.Count > 0) throw new UsageException(Explain(result.Errors[0].Message, valued, switches));

        var line = new VerbLine();
        foreach (var (name, option) in options)
        {
            var given = result.GetResult(option);
            if (given is null || given.Implicit) continue;
            if (option is Option<bool> b) { if (result.GetValue(b)) line.Switches.Add(name); }
            else line.Values[name] = [.. result.GetValue((Option<string[]>)option) ?? []];
        }
        line.Positionals.AddRange(result.GetValue(positional) ?? []);
        return line;
    }

    /// <summary>The options list of a verb's help: each flag with its variable, switches marked.</summary>
    public static string Describe(IReadOnlyDictionary<string, string?> valued, IReadOnlySet<string> switches)
    {
        var rows = valued.Keys.Concat(switches).Distinct().Order(StringComparer.Ordinal)
            .Select(n => (Flag: switches.Contains(n) ? n : n + " VALUE", Env: (switches.Contains(n), valued.GetValueOrDefault(n)) switch
            {
                (true, { } e) => "on/off, needs no value; env " + e,
                (true, null) => "on/off, needs no value",
                (false, { } e) => "env " + e,
                _ => "",
            }))
            .ToList();
        if (rows.Count == 0) return "options: none\n";
        var width = rows.Max(r => r.Flag.Length) + 2;
        return "options (a flag wins over its environment variable; -- ends the options):\n"
            + string.Concat(rows.Select(r => $"  {r.Flag.PadRight(width)}{r.Env}\n"));
    }

    private static int IndexOfEnd(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++) if (args[i] == "--") return i;
        return args.Count;
    }

    private static string Explain(string message, IReadOnlyDictionary<string, string?> valued, IReadOnlySet<string> switches) =>
        message.StartsWith("Required argument missing for option: '", StringComparison.Ordinal)
            ? $"option '{message.Split('\'')[1]}' needs a value"
            : $"{message.TrimEnd('.')}; valid options: {string.Join(", ", valued.Keys.Concat(switches).Distinct().Order(StringComparer.Ordinal))}";
}

/// <summary>--help was asked for: the verb's options (the caller adds the usage line), printed on stdout with exit 0.</summary>
public sealed class HelpRequested(string options) : Exception("help requested")
{
    public string Options { get; } = options;
}
