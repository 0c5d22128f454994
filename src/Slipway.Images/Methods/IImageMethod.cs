using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Images.Methods;

/// <summary>
/// One way of building images (Dockerfile, Nix, Bazel). A method finds its definitions in a monorepo and turns
/// one definition into an <see cref="OciImage"/>; it never pushes. The pipeline stamps metadata, tags and
/// publishes every method's result the same way. Method settings come in at construction, each method with
/// its own options record; <see cref="BuildContext"/> carries only what every method shares.
/// </summary>
public interface IImageMethod
{
    /// <summary>Short lowercase name shown in reports: "dockerfile", "nix", "bazel".</summary>
    string Name { get; }

    /// <summary>Every image this method can build in the monorepo at <paramref name="root"/>.</summary>
    Task<IReadOnlyList<ImageDefinition>> DiscoverAsync(string root, CancellationToken cancellationToken);

    /// <summary>Null when the toolchain is usable; otherwise why not and the command that installs it.</summary>
    ToolchainProblem? CheckToolchain(ImageDefinition definition);

    /// <summary>
    /// Extra method-specific inputs for the input hash beyond <see cref="ImageDefinition.InputFiles"/>
    /// (engine name, resolved base image digests, flake lock, ...). Stable strings, ordered.
    /// </summary>
    Task<IReadOnlyList<string>> ExtraInputsAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken);

    Task<OciImage> BuildAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A method that can publish its images itself (Bazel's <c>//app:push</c>) when its options say so. The pipeline
/// then hands it the destination repository and tags instead of stamping and publishing the image: stamping would
/// change the digest and publishing again would move the tags off what the method pushed.
/// </summary>
public interface ISelfPublishingMethod : IImageMethod
{
    /// <summary>True when this method was configured to publish its images itself.</summary>
    bool PublishesItself { get; }

    /// <summary>Builds the image and pushes it to <paramref name="repository"/> under every one of <paramref name="tags"/>.</summary>
    Task<OciImage> BuildAndPublishAsync(ImageDefinition definition, BuildContext context, ImageReference repository, IReadOnlyList<string> tags, CancellationToken cancellationToken);
}

/// <summary>A toolchain that is missing, with the reason and the exact install command.</summary>
public sealed record ToolchainProblem(string Reason, string InstallCommand)
{
    public override string ToString() => $"{Reason}; install it with: {InstallCommand}";
}

/// <summary>
/// Thrown by <see cref="IImageMethod.ExtraInputsAsync"/> or <see cref="IImageMethod.BuildAsync"/> when the machine
/// turns out unable to build the image only once the work starts (an input that cannot be downloaded, a tool that
/// appeared after discovery but cannot reach what it needs). The method classifies it where it happens; the
/// pipeline treats it exactly like a <see cref="IImageMethod.CheckToolchain"/> answer: skipped, failed under --strict.
/// </summary>
public sealed class ToolchainProblemException(ToolchainProblem problem, Exception? inner = null) : Exception(problem.ToString(), inner)
{
    public ToolchainProblem Problem { get; } = problem;
}

/// <summary>
/// One image a method can build. <see cref="Name"/> is the repository name under the destination namespace;
/// <see cref="TagSuffix"/> separates variants of one name (e.g. "-nix").
/// </summary>
public sealed record ImageDefinition
{
    public required string Name { get; init; }
    public required string Method { get; init; }
    /// <summary>The file that defines the image (Dockerfile, default.nix, flake.nix, BUILD.bazel), absolute.</summary>
    public required string DefinitionFile { get; init; }
    /// <summary>Build context directory, absolute.</summary>
    public required string ContextDirectory { get; init; }
    /// <summary>X.Y.Z from the definition, or null when none is declared.</summary>
    public string? Version { get; init; }
    public string TagSuffix { get; init; } = "";
    /// <summary>Method-specific selector: a flake attribute, a Bazel label, a Dockerfile target stage.</summary>
    public string? Attribute { get; init; }
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Platforms { get; init; } = [];
    /// <summary>"public" or "private": routes upstream vs overlay registries.</summary>
    public string Visibility { get; init; } = "public";
    /// <summary>Files (absolute) whose content feeds the input hash; ignored files are already left out.</summary>
    public IReadOnlyList<string> InputFiles { get; init; } = [];
}

/// <summary>What every method may use while building: the repo, where to log, where to scratch, the source date.</summary>
public sealed record BuildContext
{
    public required string Root { get; init; }
    /// <summary>A per-build scratch directory the method may fill; removed by the pipeline afterwards.</summary>
    public required string WorkDirectory { get; init; }
    /// <summary>Receives the build log line by line, live.</summary>
    public required Action<string> Log { get; init; }
    /// <summary>SOURCE_DATE_EPOCH for deterministic outputs: the commit time.</summary>
    public DateTimeOffset SourceDate { get; init; } = DateTimeOffset.UnixEpoch;
    /// <summary>
    /// The run's layer compression (<c>--compression</c>): a method that writes layers itself writes them so; the
    /// pipeline recompresses whatever a tool gave in another one before publishing.
    /// </summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;
}
