using System.Collections.Concurrent;
using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Tooling;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>
/// <c>docker buildx build --output type=oci,tar=false,dest=DIR</c>: full BuildKit with an OCI layout as output,
/// timestamps rewritten to SOURCE_DATE_EPOCH, no provenance attestation (one manifest, not an index).
/// Local bases are handed in as named build contexts (<c>--build-context NAME=oci-layout://DIR:REF</c>), which
/// BuildKit uses in place of the registry image of that name. The plugin is not installed on this machine:
/// this engine is written to Buildx's documented flags and is untested here.
/// </summary>
public sealed class BuildxEngine : IDockerfileEngine
{
    private static readonly ConcurrentDictionary<string, ToolchainProblem?> Problems = new();

    public string Name => "buildx";

    public ToolchainProblem? Probe() => Problems.GetOrAdd(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "", _ =>
    {
        if (ToolRunner.Which("docker") is null)
            return new ToolchainProblem("the docker CLI is not installed", "apt-get install -y docker.io docker-buildx (Debian 13+) or install docker-buildx-plugin from Docker's apt repository");
        if (!EngineTools.Answers("docker", ["buildx", "version"], TimeSpan.FromSeconds(10)))
            return new ToolchainProblem("the docker buildx plugin is not installed",
                "install docker-buildx-plugin from Docker's apt repository, or put the buildx release binary at ~/.docker/cli-plugins/docker-buildx");
        if (!EngineTools.Answers("docker", ["buildx", "inspect", "--bootstrap"], TimeSpan.FromSeconds(60)))
            return new ToolchainProblem("docker buildx has no usable builder (`docker buildx inspect --bootstrap` failed)", "docker buildx create --use");
        return null;
    });

    public async Task<OciImage> BuildAsync(DockerfileBuildRequest r, CancellationToken cancellationToken)
    {
        var layout = Path.Combine(r.OutputDirectory, "oci");
        var args = new List<string>
        {
            "buildx", "build", "--progress=plain", "--provenance=false", "--sbom=false",
            "--output", $"type=oci,tar=false,dest={layout},rewrite-timestamp=true",
        };
        foreach (var b in r.MappedBases)
            args.AddRange(["--build-context", $"{b.From}=oci-layout://{b.LayoutDirectory}:{b.LayoutRef ?? "latest"}"]);
        args.AddRange(EngineTools.CommonBuildFlags(r));
        args.AddRange(["--build-arg", $"SOURCE_DATE_EPOCH={r.SourceDateEpoch}", r.Definition.ContextDirectory]);
        var result = await EngineTools.RunLoggedAsync("docker", args, r, cancellationToken,
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = r.SourceDateEpoch });
        if (!result.Succeeded) throw EngineTools.Failure(r, Name, result);
        return OciLayout.Open(layout).ReadImage(null);
    }
}
