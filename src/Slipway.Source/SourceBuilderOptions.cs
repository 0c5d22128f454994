using Slipway.Images.BaseImages;
using Slipway.Images.Sandbox;

namespace Slipway.Source;

/// <summary>
/// How the source engine is set up on a machine (not per build): where its local bases live, buildah's storage
/// root and the package mirrors. Mirrors are configuration: a company mirror is a URL here, never code.
/// </summary>
public sealed record SourceBuilderOptions
{
    /// <summary>Extra upstream name → <c>oci:DIR:REF</c> mappings for FROM lines of user Dockerfiles.</summary>
    public IReadOnlyDictionary<string, string> BaseImageMap { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the source engine's own bases (toolchains, runtimes) are built and kept.</summary>
    public string BaseDirectory { get; init; } = DefaultBaseDirectory();
    /// <summary>buildah's vfs storage root; null = the Dockerfile method's default.</summary>
    public string? BuildahRoot { get; init; }
    /// <summary>Dockerfile builds: "buildah" (daemonless), or "docker" for the Docker engine at DOCKER_HOST (a dind sidecar).</summary>
    public string DockerfileEngine { get; init; } = "buildah";
    public PackageMirrors Mirrors { get; init; } = PackageMirrors.FromEnvironment();
    /// <summary>How install/build steps and Dockerfile RUN steps are contained (off for trusted builds; the builder turns it on).</summary>
    public StepSandboxOptions Sandbox { get; init; } = StepSandboxOptions.Off;
    /// <summary>
    /// A build stage with no setup or install step runs on an overlay of the toolchain base unpacked once (under
    /// BaseDirectory/caches/toolchain-roots) instead of a vfs copy of it; needs root and overlayfs, else (or when
    /// false) the stage is a copy as before.
    /// </summary>
    public bool ToolchainOverlay { get; init; } = true;
    /// <summary>
    /// The .NET SDK directory (with dotnet, sdk/, shared/) that .NET apps build with: Debian has no .NET SDK, so it
    /// is configuration. SLIPWAY_DOTNET_ROOT, else DOTNET_ROOT, else the directory of the <c>dotnet</c> on PATH.
    /// </summary>
    public string? DotnetRoot { get; init; } = DefaultDotnetRoot();

    public static string? DefaultDotnetRoot()
    {
        foreach (var v in new[] { "SLIPWAY_DOTNET_ROOT", "DOTNET_ROOT" })
            if (Environment.GetEnvironmentVariable(v) is { Length: > 0 } dir) return dir;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var exe = new FileInfo(Path.Combine(dir, "dotnet"));
            if (!exe.Exists) continue;
            var target = exe.LinkTarget is null ? exe : exe.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? exe;
            return target.DirectoryName;
        }
        return null;
    }

    /// <summary>
    /// SLIPWAY_SOURCE_BASES, else /var/cache/slipway/source-bases (root) or /var/tmp/slipway-source-bases-USER.
    /// No dot-directory (~/.cache): buildah derives an image name from an oci: path and refuses dotted components.
    /// </summary>
    public static string DefaultBaseDirectory() =>
        Environment.GetEnvironmentVariable("SLIPWAY_SOURCE_BASES") is { Length: > 0 } dir ? dir
        : Environment.UserName == "root" ? "/var/cache/slipway/source-bases"
        : $"/var/tmp/slipway-source-bases-{Environment.UserName}";
}

/// <summary>The package registries the build stage may reach; null = none reachable (vendored only).</summary>
public sealed record PackageMirrors
{
    public string? Npm { get; init; } = "https://registry.npmjs.org/";
    public string? PyPI { get; init; }
    public string? GoProxy { get; init; }
    public string? Crates { get; init; }
    /// <summary>NuGet package source (v3 index URL); .NET restores use nuget.config's sources when this is the default.</summary>
    public string? NuGet { get; init; } = DefaultNuGet;
    public const string DefaultNuGet = "https://api.nuget.org/v3/index.json";
    /// <summary>Extra CA certificates (PEM) the build stage trusts for these registries (a company mirror or TLS proxy).</summary>
    public string? CaFile { get; init; }

    /// <summary>SLIPWAY_NPM_REGISTRY, SLIPWAY_PYPI_INDEX, SLIPWAY_GOPROXY, SLIPWAY_CRATES_REGISTRY, SLIPWAY_NUGET_SOURCE override the defaults;
    /// SLIPWAY_REGISTRY_CA_FILE (else NODE_EXTRA_CA_CERTS) names extra CA certificates.</summary>
    public static PackageMirrors FromEnvironment()
    {
        static string? Env(string n) => Environment.GetEnvironmentVariable(n) is { Length: > 0 } v ? v : null;
        var m = new PackageMirrors();
        return m with
        {
            Npm = Env("SLIPWAY_NPM_REGISTRY") ?? m.Npm,
            PyPI = Env("SLIPWAY_PYPI_INDEX"),
            GoProxy = Env("SLIPWAY_GOPROXY"),
            Crates = Env("SLIPWAY_CRATES_REGISTRY"),
            NuGet = Env("SLIPWAY_NUGET_SOURCE") ?? m.NuGet,
            CaFile = Env("SLIPWAY_REGISTRY_CA_FILE") ?? Env("NODE_EXTRA_CA_CERTS"),
        };
    }
}
