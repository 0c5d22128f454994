using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Source;
using Slipway.Tooling;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// <c>slipway build-source DIR --output oci:DIR[:TAG] | docker://HOST/REPO:TAG</c>: builds the source directory
/// into an image (its Dockerfile, else the detected plan) and publishes it digest first, then the tag.
/// </summary>
public sealed class BuildSourceCommand : ICommand
{
    public string Name => "build-source";
    public string Summary => "build a source directory (Dockerfile or detected framework) into an image and publish it";

    private const string Usage = "usage: slipway build-source DIR --output oci:DIR[:TAG] | docker://HOST/REPO:TAG [--build-command CMD] [--start-command CMD] [--root-directory SUB] [--plan-file plan.json] [--ignore-dockerfile] [--env KEY=VALUE ...]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(args, Name, ["output", "root-directory", "build-command", "start-command", "plan-file", "ignore-dockerfile", "source-date-epoch", "env"], ["ignore-dockerfile"]);
        if (a.Positional.Count != 1 || a["output"] is not { } output) throw new UsageException(Usage);
        var (destination, tag) = Destination(output);
        var work = Path.Combine(Path.GetTempPath(), "slipway-source-" + Guid.NewGuid().ToString("N")[..12]);
        var epoch = a["source-date-epoch"] ?? Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        try
        {
            var request = new SourceBuildRequest
            {
                Directory = a.Positional[0],
                RootDirectory = a.OrEnvironment("root-directory", "ROOT_DIRECTORY"),
                BuildCommand = a.OrEnvironment("build-command", "BUILD_COMMAND"),
                StartCommand = a.OrEnvironment("start-command", "START_COMMAND"),
                PlanFile = a["plan-file"],
                Variables = ServiceVariables.From(a.All("env"), Environment.GetEnvironmentVariables()),
                IgnoreDockerfile = a["ignore-dockerfile"] is "true" or "1" or "yes",
                WorkDirectory = work,
                SourceDate = epoch is not null && long.TryParse(epoch, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s)
                    : await SourceImageBuilder.CommitTimeAsync(a.Positional[0], cancellationToken),
                Log = line => Console.Error.WriteLine(Secrets.Redact(line)),
            };
            var outcome = await new SourceImageBuilder().BuildAsync(request, cancellationToken);
            using var session = new RegistrySession(new RegistryClientOptions());
            var target = destination(session);
            PublishResult result;
            try { result = await target.PublishAsync(outcome.Image, [tag], cancellationToken); }
            catch (Exception e) when (e is RegistryException or HttpRequestException or IOException)
            {
                throw new StepFailure("push", e is RegistryException { IsTransient: false } ? FailureClass.Permanent : FailureClass.Transient, $"{target.Name}: {e.Message.Split('\n')[0]}", inner: e);
            }
            Console.Error.WriteLine($"built with {outcome.Method}; {result.BlobsUploaded} blobs uploaded, {result.BlobsSkipped} already there");
            Console.Out.WriteLine($"{target.Name}:{tag}@{outcome.Image.Digest}");
            return 0;
        }
        finally
        {
            try { if (Directory.Exists(work)) Directory.Delete(work, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Where <c>--output</c> publishes, read by the OCI core's one parser (its colon rule: oci:a:b:c is directory a, tag b:c).</summary>
    internal static (Func<RegistrySession, IImageDestination> Make, string Tag) Destination(string output)
    {
        if (TransportReference.TryParse(output, out var parsed, out var error) && parsed!.Transport == ImageTransport.Registry)
        {
            var reference = parsed.Registry!;
            if (reference.Digest is not null) throw new UsageException("--output: a docker:// destination takes a tag, not a digest: docker://HOST/REPO:TAG");
            return (session => new RegistryDestination(reference, session), reference.Tag ?? "latest");
        }
        if (parsed is { Transport: ImageTransport.Layout })
        {
            if (parsed.Ref is not null && ImageReference.ExplainInvalidTag(parsed.Ref) is { } tagError)
                throw new UsageException($"--output '{output}' is directory '{parsed.Path}' with tag '{parsed.Ref}': {tagError}");
            return (_ => new OciLayoutDestination(parsed.Path!), parsed.Ref ?? "latest");
        }
        if (output.StartsWith(ImageReference.TransportPrefix, StringComparison.Ordinal)) throw new UsageException($"--output: {error}");
        throw new UsageException($"--output '{output}' is not a destination. Valid destinations are: oci:DIR[:TAG], docker://HOST/REPO:TAG");
    }
}
