using System.Text.RegularExpressions;
using Slipway.Images.Methods;
using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Bazel;

/// <summary>
/// Bazel images built with rules_img: <c>bazel build //pkg:image --output_groups=+oci_layout</c>, then the OCI layout
/// (<c>bazel-bin/pkg/image_oci_layout</c>) is published by Slipway like every other image. With
/// <see cref="BazelMethodOptions.DelegatePush"/> the image is pushed by <c>bazel run //pkg:push</c> instead
/// (<see cref="BuildAndPublishAsync"/>), once per tag, with the destination passed as <c>--//bazel:registry</c>,
/// <c>--//bazel:repository</c>, <c>--//bazel:tag</c>.
/// </summary>
public sealed partial class BazelMethod(BazelMethodOptions? options = null) : ISelfPublishingMethod
{
    public const string InstallCommand = "npm install -g @bazel/bazelisk (bazelisk then downloads the Bazel named in .bazelversion); Debian's bazel-bootstrap 4.2 is too old for MODULE.bazel and rules_img";
    public static readonly Version MinimumVersion = new(7, 1);

    public string Name => BazelDiscovery.MethodName;

    public BazelMethodOptions Options { get; } = options ?? new BazelMethodOptions();

    public bool PublishesItself => Options.DelegatePush;

    public Task<IReadOnlyList<ImageDefinition>> DiscoverAsync(string root, CancellationToken cancellationToken) =>
        Task.FromResult(BazelDiscovery.Discover(root));

    /// <summary>bazel, else bazelisk, on PATH (or the path in the options).</summary>
    private string? Locate() => Options.Bazel is { } bazel ? (File.Exists(bazel) ? bazel : null) : ToolRunner.Which("bazel") ?? ToolRunner.Which("bazelisk");

    [GeneratedRegex(@"(\d+)\.(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionNumber();

    public ToolchainProblem? CheckToolchain(ImageDefinition definition)
    {
        var tool = Locate();
        if (tool is null) return new ToolchainProblem($"bazel is not installed (needed to build {definition.Attribute} from {definition.DefinitionFile})", InstallCommand);
        // bazelisk answers --version with the Bazel it would run; a plain old bazel answers with its own.
        var r = ToolRunner.RunAsync(new ToolInvocation(tool, ["--version"]) { CaptureStandardOutput = true, WorkingDirectory = definition.ContextDirectory }).GetAwaiter().GetResult();
        var m = VersionNumber().Match(r.StandardOutput);
        if (!r.Succeeded || !m.Success)
            return new ToolchainProblem($"'{tool} --version' failed ({(r.Tail.LastOrDefault() ?? $"exit {r.ExitCode}")})", InstallCommand);
        var version = new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
        if (version < MinimumVersion)
            return new ToolchainProblem($"{tool} is Bazel {m.Value}; MODULE.bazel with rules_img needs Bazel {MinimumVersion}+", InstallCommand);
        return null;
    }

    public Task<IReadOnlyList<string>> ExtraInputsAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        // Bazel's own cache makes a rebuild of unchanged inputs cheap; the files above cover the package.
        IReadOnlyList<string> extra = [$"bazel.target={definition.Attribute}", $"bazel.delegate-push={PublishesItself}"];
        return Task.FromResult(extra);
    }

    public async Task<OciImage> BuildAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        var tool = Locate() ?? throw new InvalidOperationException($"bazel is not installed; install it with: {InstallCommand}");
        var label = definition.Attribute ?? throw new ArgumentException($"{definition.DefinitionFile}: Bazel image definitions need a target label");
        await RunAsync(tool, ["build", label, "--output_groups=+oci_layout"], definition, context, cancellationToken);
        var bin = (await RunAsync(tool, ["info", "bazel-bin"], definition, context, cancellationToken, capture: true)).StandardOutput.Trim();
        var layout = BazelDiscovery.LayoutDirectory(bin, label);
        if (!Directory.Exists(layout))
            throw new DirectoryNotFoundException($"'bazel build {label} --output_groups=+oci_layout' made no OCI layout at {layout}; is {label} a rules_img image_manifest?");
        return ReadLayout(layout);
    }

    public async Task<OciImage> BuildAndPublishAsync(ImageDefinition definition, BuildContext context, ImageReference repository, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var image = await BuildAsync(definition, context, cancellationToken);
        var tool = Locate() ?? throw new InvalidOperationException($"bazel is not installed; install it with: {InstallCommand}");
        var push = BazelDiscovery.PushLabel(definition.Attribute!);
        foreach (var tag in tags.DefaultIfEmpty("latest"))
            await RunAsync(tool, DelegatedPushArguments(push, repository, tag), definition, context, cancellationToken);
        context.Log($"pushed by bazel run {push}");
        return image;
    }

    /// <summary>The command line of a delegated push: the destination goes in through //bazel's string flags.</summary>
    public static IReadOnlyList<string> DelegatedPushArguments(string pushLabel, ImageReference repository, string tag) =>
        ["run", pushLabel, $"--//bazel:registry={repository.Registry}", $"--//bazel:repository={repository.Repository}", $"--//bazel:tag={tag}"];

    /// <summary>rules_img's oci_layout output: one manifest in index.json, blobs under blobs/sha256.</summary>
    public static OciImage ReadLayout(string layoutDirectory) => OciLayout.Open(layoutDirectory).ReadImage(null, Platform.Current);

    private static Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> args, ImageDefinition definition, BuildContext context, CancellationToken ct, bool capture = false) =>
        ToolRunner.RunCheckedAsync(new ToolInvocation(tool, args) { WorkingDirectory = definition.ContextDirectory, OnLine = context.Log, CaptureStandardOutput = capture }, ct);
}
