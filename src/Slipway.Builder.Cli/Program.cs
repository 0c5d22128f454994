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
            Console.Error.WriteLine(args.Length == 0 || args[0] is "help" or "--help" or "-h"
                ? Usage()
                : $"slipway: unknown command '{string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2))}'. Available commands are: {string.Join(", ", Commands.Select(c => c.Name))}");
            return args.Length == 0 ? 2 : args[0] is "help" or "--help" or "-h" ? 0 : 2;
        }
        try
        {
            return await command.RunAsync(args.Skip(command.Name.Split(' ').Length).ToList(), cts.Token);
        }
        catch (UsageException e) { return Fail(e.Message, 2); }
        catch (OperationCanceledException) when (cts.IsCancellationRequested) { return Fail("cancelled", 130); }
        catch (StepFailure e) { return Fail($"{e.Step} failed: {e.Message}", e.Class == FailureClass.Transient ? 75 : 1); }
    }

    private static string Usage() =>
        "usage: slipway <command> [options]\n\ncommands:\n" + string.Join('\n', Commands.Select(c => $"  {c.Name,-22}{c.Summary}"));

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("slipway: " + Secrets.Redact(message));
        return code;
    }
}
