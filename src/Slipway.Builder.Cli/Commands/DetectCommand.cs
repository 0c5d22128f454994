using Slipway.Source;
using Slipway.Source.Plan;

namespace Slipway.Builder.Cli.Commands;

/// <summary><c>slipway detect DIR [--root-directory SUB]</c>: prints the build plan as JSON.</summary>
public sealed class DetectCommand : ICommand
{
    public string Name => "detect";
    public string Summary => "print the build plan (provider, versions, commands, port) of a source directory as JSON";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(args, Name, "root-directory", "build-command", "start-command", "env");
        if (a.Positional.Count != 1) throw new UsageException("usage: slipway detect DIR [--root-directory SUB] [--build-command CMD] [--start-command CMD] [--env KEY=VALUE ...]");
        var request = new SourceBuildRequest
        {
            Directory = a.Positional[0],
            RootDirectory = a.OrEnvironment("root-directory", "ROOT_DIRECTORY"),
            BuildCommand = a.OrEnvironment("build-command", "BUILD_COMMAND"),
            StartCommand = a.OrEnvironment("start-command", "START_COMMAND"),
            Variables = ServiceVariables.From(a.All("env"), Environment.GetEnvironmentVariables()),
            WorkDirectory = Path.GetTempPath(),
        };
        var plan = SourceImageBuilder.Plan(request, new SourceBuilderOptions());
        Console.Out.Write(plan.ToJson());
        return Task.FromResult(0);
    }
}
