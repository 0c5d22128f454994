using Slipway.Builder.Queue;

namespace Slipway.Builder.Cli.Commands;

/// <summary><c>slipway builder submit --amqp URL FILE|-</c>: publishes a build request, returning once the broker confirmed it.</summary>
public sealed class BuilderSubmitCommand : ICommand
{
    public string Name => "builder submit";
    public string Summary => "publish a build request (JSON FILE or - for stdin) with publisher confirms";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = new BuilderArgs(args, InputPolicyArgs.With(new Dictionary<string, string>
        {
            ["--amqp"] = "BUILDER_AMQP", ["--amqp-file"] = "BUILDER_AMQP_FILE", ["--queue"] = "BUILDER_QUEUE", ["--retry-delay"] = "BUILDER_RETRY_DELAY",
            ["--registry"] = "BUILDER_REGISTRY",
        }), InputPolicyArgs.Switches);
        if (a.Positionals.Count != 1) throw new UsageException("usage: slipway builder submit --amqp URL FILE|-");
        var file = a.Positionals[0];
        byte[] body;
        if (file == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var m = new MemoryStream();
            await stdin.CopyToAsync(m, cancellationToken);
            body = m.ToArray();
        }
        else if (!File.Exists(file)) throw new UsageException($"request file '{file}' does not exist");
        else body = await File.ReadAllBytesAsync(file, cancellationToken);
        var request = BuildRequest.Parse(body, file == "-" ? "stdin" : file);
        // A queue builder's request (owner/name, no id) is checked as the worker will see it, and published as it is;
        // with the worker's policy, when the same flags or environment are given (a refusal here saves a round trip).
        Slipway.Builder.Contracts.QueueBuilderContract.Normalize(request, "https://github.com", request.Id ?? "submit-check")
            .Validate(InputPolicyArgs.Bind(a, Validation.ImageTagRule.Refused, a.Get("--registry")));
        var topology = new QueueTopology(a.Get("--queue") ?? "slipway.builds", TimeSpan.FromSeconds(a.GetInt("--retry-delay", 30, 0, 86400)));
        await BuildPublisher.SubmitAsync(a.RequiredSecret("--amqp"), topology, request, cancellationToken);
        Console.WriteLine(request.Id ?? "(no id: the worker takes the message id or assigns one)");
        return 0;
    }
}
