namespace Slipway.Images.Methods.Dockerfile;

/// <summary>How the Dockerfile method builds, fixed when it is constructed.</summary>
public sealed record DockerfileMethodOptions
{
    /// <summary>auto, buildx, docker or buildah (<c>--dockerfile-engine</c>).</summary>
    public string Engine { get; init; } = "auto";
    /// <summary>
    /// Upstream image names mapped to locally made base images (FROM debian:bookworm-slim → oci:...); empty reads
    /// the repo's built bases (containers/base-images.yml) at build time.
    /// </summary>
    public IReadOnlyDictionary<string, string> BaseImageMap { get; init; } = new Dictionary<string, string>();
    /// <summary>buildah's storage root; null uses SLIPWAY_BUILDAH_ROOT, else Slipway's own root as root.</summary>
    public string? BuildahRoot { get; init; }
    /// <summary>How buildah's RUN steps are contained (<see cref="Sandbox.StepSandbox"/>); buildah only.</summary>
    public Sandbox.StepSandboxOptions Sandbox { get; init; } = Slipway.Images.Sandbox.StepSandboxOptions.Off;
}
