using System.Formats.Tar;
using System.Text.Json;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>
/// The Docker engine's built-in BuildKit (<c>DOCKER_BUILDKIT=1 docker build</c>), for hosts with a daemon but no
/// Buildx plugin. RUN steps get <c>--network=none</c> (daemons started without a bridge cannot give them one).
/// The result leaves the daemon through <c>docker save</c>, read from the pipe straight into a blob directory
/// (no tarball is written), and becomes an OCI image whose layers are the saved, uncompressed layer tars.
/// Local bases are loaded into the daemon under their upstream names with <c>skopeo copy … docker-daemon:</c>.
/// </summary>
public sealed class DockerEngine : IDockerfileEngine
{
    // Keyed by DOCKER_HOST: a test (or CI step) may point at another daemon later in the same process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ToolchainProblem?> Problems = new();

    private static ToolchainProblem? ProbeNow()
    {
        if (ToolRunner.Which("docker") is null)
            return new ToolchainProblem("the docker CLI is not installed", "apt-get install -y docker.io");
        if (!EngineTools.Answers("docker", ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(10)))
            return new ToolchainProblem($"no Docker daemon answers `docker info`{(Environment.GetEnvironmentVariable("DOCKER_HOST") is { } h ? $" at DOCKER_HOST={h}" : "")}",
                "start one with: systemctl start docker (or dockerd --storage-driver=vfs --bridge=none --iptables=false &)");
        return null;
    }

    public string Name => "docker";

    public ToolchainProblem? Probe() => Problems.GetOrAdd(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "", _ => ProbeNow());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> BuildKitClients = new();

    /// <summary>
    /// Since Docker 23 the CLI drives BuildKit only through the buildx plugin; without it only the classic
    /// builder is left (<c>DOCKER_BUILDKIT=0</c>, deprecated but still shipped), which this engine then uses.
    /// </summary>
    public static bool CliHasBuildKit => BuildKitClients.GetOrAdd(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "",
        _ => EngineTools.Answers("docker", ["buildx", "version"], TimeSpan.FromSeconds(10)));

    public string Flavor => CliHasBuildKit ? "docker/buildkit" : "docker/classic";

    public async Task<OciImage> BuildAsync(DockerfileBuildRequest r, CancellationToken cancellationToken)
    {
        var buildKit = CliHasBuildKit;
        var env = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = buildKit ? "1" : "0", ["SOURCE_DATE_EPOCH"] = r.SourceDateEpoch };
        if (!buildKit) r.Context.Log("docker: the buildx plugin is missing, so the CLI cannot drive BuildKit; using the engine's classic builder");
        await LoadBasesAsync(r, cancellationToken);

        var tag = $"slipway-build/{r.Definition.Name}:{Guid.NewGuid():N}";
        var args = new List<string> { "build", "--network=none", "-t", tag };
        if (buildKit) args.Add("--progress=plain");
        args.AddRange(EngineTools.CommonBuildFlags(r));
        // BuildKit reads SOURCE_DATE_EPOCH as a build arg: config and history times become the commit time.
        if (buildKit) args.AddRange(["--build-arg", $"SOURCE_DATE_EPOCH={r.SourceDateEpoch}"]);
        args.Add(r.Definition.ContextDirectory);
        var result = await EngineTools.RunLoggedAsync("docker", args, r, cancellationToken, env);
        if (!result.Succeeded) throw EngineTools.Failure(r, Name, result);
        try
        {
            var dir = Path.Combine(r.OutputDirectory, "saved");
            await SaveAsync(tag, dir, cancellationToken);
            return ReadSaved(dir);
        }
        finally
        {
            await ToolRunner.RunAsync(new ToolInvocation("docker", ["image", "rm", "--no-prune", tag]), CancellationToken.None);
        }
    }

    private static async Task LoadBasesAsync(DockerfileBuildRequest r, CancellationToken ct)
    {
        if (r.MappedBases.Count == 0) return;
        if (ToolRunner.Which("skopeo") is null)
            throw new InvalidOperationException($"image '{r.Definition.Name}': loading local bases into the Docker daemon needs skopeo; install it with: apt-get install -y skopeo");
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        foreach (var b in r.MappedBases)
        {
            r.Context.Log($"base {b.From} ← {b.Source}");
            var args = new List<string> { "copy", "--quiet" };
            if (!string.IsNullOrEmpty(host)) args.AddRange(["--dest-daemon-host", host]);
            args.AddRange([b.Source, $"docker-daemon:{b.EngineName}"]);
            var copy = await EngineTools.RunLoggedAsync("skopeo", args, r, ct);
            if (!copy.Succeeded) throw EngineTools.Failure(r, "docker", copy, $"loading local base {b.Source} into the daemon as {b.EngineName}");
        }
    }

    /// <summary>Streams <c>docker save</c> into <paramref name="dir"/>, entry by entry.</summary>
    private static async Task SaveAsync(string tag, string dir, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        await ToolRunner.RunWithStdoutAsync(new ToolInvocation("docker", ["save", tag]), (stdout, c) => ExtractAsync(stdout, dir, c), ct);
    }

    private static async Task ExtractAsync(Stream tar, string dir, CancellationToken ct)
    {
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            var rel = entry.Name.TrimStart('.', '/');
            var target = Path.GetFullPath(Path.Combine(dir, rel));
            if (!target.StartsWith(Path.GetFullPath(dir) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"docker save produced an entry outside its root: '{entry.Name}'");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await entry.DataStream.CopyToAsync(file, 1 << 17, ct);
        }
    }

    /// <summary>
    /// Reads a saved image through manifest.json, which old (docker-archive) and new (OCI layout) save formats
    /// both carry; layers are uncompressed tars whose digest is their diffID.
    /// </summary>
    internal static OciImage ReadSaved(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "manifest.json")));
        var entry = doc.RootElement.EnumerateArray().Single();
        var configBytes = File.ReadAllBytes(Path.Combine(dir, entry.GetProperty("Config").GetString()!));
        var config = OciJson.Deserialize<ImageConfig>(configBytes, "saved image config");
        var layerFiles = entry.GetProperty("Layers").EnumerateArray().Select(e => Path.Combine(dir, e.GetString()!)).ToList();
        if (layerFiles.Count != config.RootFs.DiffIds.Count)
            throw new InvalidDataException($"docker save output lists {layerFiles.Count} layers but its config has {config.RootFs.DiffIds.Count} diff_ids");
        var layers = layerFiles.Select((f, i) => (IBlob)new FileBlob(
            new Descriptor { MediaType = MediaTypes.OciLayer, Digest = config.RootFs.DiffIds[i], Size = new FileInfo(f).Length }, f)).ToList();
        var configBlob = new BytesBlob(MediaTypes.OciConfig, configBytes);
        var manifest = new ImageManifest { Config = configBlob.Descriptor, Layers = layers.Select(l => l.Descriptor).ToList() };
        return new OciImage(OciJson.Serialize(manifest), MediaTypes.OciManifest, configBlob, layers);
    }
}
