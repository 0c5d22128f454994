using Slipway.Builder.Cli.Commands;
using Slipway.Tooling;

namespace Slipway.Builder.Cli;

public static class Program
{
    /// <summary>Every verb; a new verb is a file under Commands/ and one line here.</summary>
    private static readonly ICommand[] Commands =
    [
        new DetectCommand(),
        new BuildSourceCommand(),
        new SourceBasesCommand(),
        new BuilderRunCommand(),
        new BuilderServeCommand(),
        new BuilderSubmitCommand(),
        new BuilderVersionsCommand(),
        new BuilderRollbackCommand(),
        new BuilderJobCommand(),
    ];

    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        // Longest match first: "builder run" before "builder".
        var command = Commands
            .OrderByDescending(c => c.Name.Split(' ').Length)
            .FirstOrDefault(c => c.Name.Split(' ').SequenceEqual(args.Take(c.Name.Split(' ').Length)));
        if (command is null)
        {
            var group = args.Length > 0 && Commands.Any(c => c.Name.StartsWith(args[0] + " ", StringComparison.Ordinal)) ? args[0] : null;
            var asked = args.Skip(group is null ? 0 : 1).FirstOrDefault() is "help" or "--help" or "-h";
            if (asked || (group is null && args.Length == 0) || (group is not null && args.Length == 1))
            {
                // Asked for: stdout, exit 0. Not asked (no verb given): stderr, exit 2.
                var text = Usage(group);
                if (asked) Console.Out.WriteLine(text); else Console.Error.WriteLine(text);
                return asked ? 0 : 2;
            }
            var verbs = Commands.Where(c => group is null || c.Name.StartsWith(group + " ", StringComparison.Ordinal)).Select(c => c.Name);
            Console.Error.WriteLine($"slipway: unknown command '{string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2))}'. Available commands are: {string.Join(", ", verbs)}");
            return 2;
        }
        try
        {
            return await command.RunAsync(args.Skip(command.Name.Split(' ').Length).ToList(), cts.Token);
        }
        catch (HelpRequested help)
        {
            Console.Out.Write($"usage: slipway {command.Name} [options]\n{command.Summary}\n\n{help.Options}{(command.Environment is { } env ? "\nenvironment:\n" + env : "")}");
            return 0;
        }
        catch (UsageException e) { return Fail(e.Message, 2); }
        catch (OperationCanceledException) when (cts.IsCancellationRequested) { return Fail("cancelled", 130); }
        catch (StepFailure e) { return Fail($"{e.Step} failed: {e.Message}", e.Class == FailureClass.Transient ? 75 : 1); }
    }

    /// <summary>The verbs (of one group, e.g. "builder", when given) with their summaries.</summary>
    private static string Usage(string? group = null) =>
        $"usage: slipway {group ?? "<command>"}{(group is null ? "" : " <verb>")} [options]   (slipway {group ?? "<command>"}{(group is null ? "" : " <verb>")} --help lists its options)\n\ncommands:\n"
        + string.Join('\n', Commands.Where(c => group is null || c.Name.StartsWith(group + " ", StringComparison.Ordinal)).Select(c => $"  {c.Name,-22}{c.Summary}"));

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("slipway: " + Secrets.Redact(message));
        return code;
    }
}
