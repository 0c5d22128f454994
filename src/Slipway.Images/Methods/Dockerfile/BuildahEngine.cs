using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Images.Sandbox;
using Slipway.Tooling;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>
/// Daemonless builds with buildah (<c>--storage-driver vfs --isolation chroot</c>: works on hosts and in
/// Kubernetes pods without a daemon, overlay mounts or user namespaces). The image is committed straight into
/// an OCI layout (<c>-t oci:DIR:image</c>) with gzip layers and every timestamp set to the source date.
/// Local bases are pulled from their layouts into buildah's storage and tagged with the upstream name, and the
/// build runs with <c>--pull=never</c> when all bases are local, so no registry is ever asked.
/// </summary>
public sealed class BuildahEngine : IDockerfileEngine
{
    /// <summary>
    /// Slipway's own storage root as root: vfs in the default root would clash with an overlay-initialised
    /// /var/lib/containers/storage ("database graph driver mismatch"). Rootless users get buildah's default.
    /// </summary>
    public const string DefaultRootAsRoot = "/var/lib/containers/slipway-vfs";

    private static readonly Lazy<ToolchainProblem?> Problem = new(() =>
        ToolRunner.Which("buildah") is null
            ? new ToolchainProblem("buildah is not installed", "apt-get install -y buildah")
            : null);

    public string Name => "buildah";

    public ToolchainProblem? Probe() => Problem.Value;

    /// <summary>Global flags selecting vfs storage (and its root, when one is configured).</summary>
    public static List<string> StorageFlags(string? configuredRoot)
    {
        var flags = new List<string> { "--storage-driver", "vfs" };
        var root = configuredRoot
            ?? Environment.GetEnvironmentVariable("SLIPWAY_BUILDAH_ROOT")
            ?? (Environment.UserName == "root" ? DefaultRootAsRoot : null);
        if (root is not null)
            flags.AddRange(["--root", root, "--runroot", root.TrimEnd('/') + "-run"]);
        return flags;
    }

    public async Task<OciImage> BuildAsync(DockerfileBuildRequest r, CancellationToken cancellationToken)
    {
        var storage = StorageFlags(r.Options.BuildahRoot);
        foreach (var b in r.MappedBases)
        {
            r.Context.Log($"base {b.From} ← {b.Source}");
            var pull = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "pull", "--quiet", b.Source])
            { CaptureStandardOutput = true, OnLine = r.Context.Log }, cancellationToken);
            if (!pull.Succeeded) throw EngineTools.Failure(r, Name, pull, $"making local base {b.Source} available as {b.EngineName}");
            var id = pull.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
            var tag = await EngineTools.RunLoggedAsync("buildah", [.. storage, "tag", id, b.EngineName], r, cancellationToken);
            if (!tag.Succeeded) throw EngineTools.Failure(r, Name, tag, $"tagging local base as {b.EngineName}");
        }

        var layout = Path.Combine(r.OutputDirectory, "oci");
        // RUN steps of a tenant's Dockerfile run in the step sandbox when it is on (one network namespace per build).
        // A Dockerfile without RUN runs nothing of the tenant's: no namespace to make.
        var runs = r.Dockerfile.Instructions.Any(i => i.Keyword == "RUN");
        await using var sandbox = await StepSandbox.StartAsync(runs ? r.Options.Sandbox : StepSandboxOptions.Off, r.Context.Log, cancellationToken);
        var args = new List<string>(storage) { "build" };
        args.AddRange(sandbox.BuildahFlags);
        args.AddRange(
        [
            "--timestamp", r.SourceDateEpoch,
            // bud keeps layers uncompressed by default; registries want them gzip'd.
            "--disable-compression=false",
            "--format", "oci",
            "--layers=false",
        ]);
        if (r.AllBasesLocal) args.Add("--pull=never");
        args.AddRange(EngineTools.CommonBuildFlags(r));
        // BuildKit provides SOURCE_DATE_EPOCH by itself; buildah only to Dockerfiles that declare it (else it warns).
        if (r.Dockerfile.Instructions.Any(i => i.Keyword == "ARG" && DockerfileParser.ParseArgs(i.Arguments).Any(a => a.Name == "SOURCE_DATE_EPOCH")))
            args.AddRange(["--build-arg", $"SOURCE_DATE_EPOCH={r.SourceDateEpoch}"]);
        args.AddRange(["-t", $"oci:{layout}:image", r.Definition.ContextDirectory]);

        var result = await EngineTools.RunLoggedAsync("buildah", args, r, cancellationToken,
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = r.SourceDateEpoch, ["BUILDAH_ISOLATION"] = sandbox.Isolation });
        if (!result.Succeeded) throw EngineTools.Failure(r, Name, result);
        return OciLayout.Open(layout).ReadImage("image");
    }
}
