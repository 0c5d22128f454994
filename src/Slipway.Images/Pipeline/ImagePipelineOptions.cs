using Slipway.Images.Methods;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;

namespace Slipway.Images.Pipeline;

public enum ImageLogLevel { Debug, Info, Warning, Error }

/// <summary><c>--dockerfile-engine</c>: passed to the Dockerfile method as its lowercase name.</summary>
public enum DockerfileEngineChoice { Auto, Buildx, Docker, Buildah }

/// <summary><c>--compression</c>: the layer compression of published images (the two a registry image may use).</summary>
public enum ImageCompression { Gzip, Zstd }

internal static class ImageCompressionExtensions
{
    public static Slipway.Oci.Model.LayerCompression ToLayerCompression(this ImageCompression c) =>
        c == ImageCompression.Zstd ? Slipway.Oci.Model.LayerCompression.Zstd : Slipway.Oci.Model.LayerCompression.Gzip;
}

/// <summary>
/// Everything a run of the image pipeline is told: the build parameters plus a few hooks. Method settings
/// (Dockerfile engine, base image map, Bazel's own push, ...) are not here: each method gets its own options
/// record when it is constructed.
/// </summary>
public sealed record ImagePipelineOptions
{
    /// <summary>The monorepo root (Nuke's RootDirectory, <c>--root</c>).</summary>
    public required string Root { get; init; }
    public required IReadOnlyList<IImageMethod> Methods { get; init; }

    /// <summary><c>--registry</c>: <c>host[:port]/namespace</c> or <c>oci:DIR</c>; wins over <see cref="Context"/>.</summary>
    public string? Registry { get; init; }
    /// <summary><c>--context</c>; null picks from CI variables, else local.</summary>
    public ImageContext? Context { get; init; }
    /// <summary><c>--images a,b</c>; null or empty means all.</summary>
    public IReadOnlyList<string>? Images { get; init; }
    /// <summary>Upstream namespace (ghcr.io/ORG); null reads "Org" from .nuke/parameters.json.</summary>
    public string? Org { get; init; }
    /// <summary>Overlay namespace (registry.gitlab.com/GROUP); null reads "Group" from .nuke/parameters.json.</summary>
    public string? Group { get; init; }
    /// <summary><c>--strict</c>; null means on when CI=true.</summary>
    public bool? Strict { get; init; }
    public string MainBranch { get; init; } = "main";
    /// <summary>Registry parallelism: blob transfers at once.</summary>
    public int Jobs { get; init; } = 4;
    public string? RegistryUser { get; init; }
    public string? RegistryPassword { get; init; }
    /// <summary>
    /// <c>--compression</c>: every published layer is gzip (default, what every registry and runtime reads) or
    /// zstd (smaller and faster to unpack; needs containerd 1.5+, podman/buildah/skopeo 1.4+). Deterministic either way.
    /// </summary>
    public ImageCompression Compression { get; init; } = ImageCompression.Gzip;

    /// <summary>
    /// The commit to build as (<c>--ref</c>: its sha, time, and a branch only when it is the tip of main, which
    /// decides <c>latest</c>); null reads the checkout at <see cref="Root"/>.
    /// </summary>
    public Slipway.Images.Discovery.GitInfo? Git { get; init; }

    /// <summary>Environment to read CI variables from; null reads the process environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    /// <summary>Receives the pipeline's own messages and every build log line (prefixed with the image name).</summary>
    public Action<ImageLogLevel, string> Log { get; init; } = (_, _) => { };
    /// <summary>Base registry settings (tests put a recording transport here); jobs and credentials are layered on.</summary>
    public RegistryClientOptions? RegistryClient { get; init; }
    /// <summary>Replaces destination creation (tests); null uses registry and OCI layout destinations.</summary>
    public Func<ImageRoute, IImageDestination>? DestinationFactory { get; init; }
    /// <summary>Where the report goes; null means <c>artifacts/images.json</c> under <see cref="Root"/>.</summary>
    public string? ReportPath { get; init; }

    /// <summary>
    /// Where the SHA-256 of input files is remembered between runs (<see cref="FileHashCache"/>), so a no-op run
    /// reads no unchanged file; null reads every input file every time.
    /// </summary>
    public string? FileHashCachePath { get; init; }

    internal string? Env(string name) => Environment is not null ? Environment.GetValueOrDefault(name) : System.Environment.GetEnvironmentVariable(name);

    public bool IsStrict => Strict ?? Slipway.Tooling.CiHost.IsCi(Env);
}
