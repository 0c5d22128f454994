using Slipway.Oci.Content;

namespace Slipway.Source;

/// <summary>
/// What the builder service (and <c>slipway build-source</c>) asks of the source engine: build the repository
/// checked out at <see cref="Directory"/> into an image. A Dockerfile at the root directory wins unless
/// <see cref="IgnoreDockerfile"/>; otherwise the providers detect the framework. Failures are
/// <see cref="Slipway.Tooling.StepFailure"/>s carrying their class (transient / permanent).
/// </summary>
public sealed record SourceBuildRequest
{
    public required string Directory { get; init; }
    public string? RootDirectory { get; init; }
    /// <summary>A Dockerfile path relative to the root directory; null = "Dockerfile" if it exists.</summary>
    public string? DockerfilePath { get; init; }
    public bool IgnoreDockerfile { get; init; }
    /// <summary>
    /// A Dockerfile build's context relative to the repository (BUILD_CONTEXT); <see cref="DockerfilePath"/> is then
    /// relative to the repository too. Null: the root directory is the context.
    /// </summary>
    public string? ContextDirectory { get; init; }
    /// <summary>Dockerfile build arguments over those of image.yml.</summary>
    public IReadOnlyDictionary<string, string>? BuildArgs { get; init; }
    /// <summary>
    /// The service's variables, as a PaaS passes them: detection reads the peers' settings among them (RAILPACK_NODE_VERSION,
    /// RAILPACK_INSTALL_CMD/BUILD_CMD/START_CMD, RAILPACK_SHELL_SCRIPT, NIXPACKS_*); they do not enter the image.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }
    public string? BuildCommand { get; init; }
    public string? StartCommand { get; init; }
    /// <summary>A plan written by <c>slipway detect</c> (possibly edited) to build instead of detecting.</summary>
    public string? PlanFile { get; init; }
    /// <summary>Scratch directory for this build; the caller removes it afterwards.</summary>
    public required string WorkDirectory { get; init; }
    /// <summary>SOURCE_DATE_EPOCH for deterministic outputs: the commit time.</summary>
    public DateTimeOffset SourceDate { get; init; } = DateTimeOffset.UnixEpoch;
    /// <summary>Receives the build log line by line (already redacted).</summary>
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>
    /// Whose package caches this build reads and writes (the builder passes the tenant): builds of another scope
    /// never see them. Null = the machine's shared caches (one trusted user building their own code).
    /// </summary>
    public string? CacheScope { get; init; }
    /// <summary>
    /// The platform to build for (one of <see cref="TargetPlatforms.Supported"/>); null = this machine's. Another
    /// architecture is cross-built (generated builds only): its own bases, downloads for it, steps under qemu.
    /// </summary>
    public Slipway.Oci.Model.Platform? Platform { get; init; }
}

/// <summary>The built image (not yet published) and a one-line description of how it was made.</summary>
public sealed record SourceBuildOutcome(OciImage Image, string Method);

public interface ISourceImageBuilder
{
    Task<SourceBuildOutcome> BuildAsync(SourceBuildRequest request, CancellationToken cancellationToken);
}
