namespace Slipway.Builder.Cli.Commands;

/// <summary>One verb of slipway-builder (reached as <c>slipway VERB ...</c>); one file per verb.</summary>
public interface ICommand
{
    /// <summary>The verb as typed, e.g. "detect" or "builder run".</summary>
    string Name { get; }
    /// <summary>One line for the usage text.</summary>
    string Summary { get; }
    /// <summary>Environment variables the verb reads besides its flags' own, for --help (null: none).</summary>
    string? Environment => null;
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}

/// <summary>Wrong arguments: printed as one line with exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
