using System.Globalization;
using Slipway.Images.BaseImages;
using Slipway.Oci.Content;
using Slipway.Tooling;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>Everything an engine needs to build one Dockerfile image.</summary>
public sealed record DockerfileBuildRequest
{
    public required ImageDefinition Definition { get; init; }
    public required DockerfileInfo Dockerfile { get; init; }
    /// <summary>FROM images that resolve to local bases; the engine makes them visible under <see cref="MappedBase.EngineName"/>.</summary>
    public required IReadOnlyList<MappedBase> MappedBases { get; init; }
    /// <summary>True when every base is local, so the engine must not try a registry.</summary>
    public bool AllBasesLocal { get; init; }
    /// <summary>Empty directory the engine may write its OCI output into (under BuildContext.WorkDirectory).</summary>
    public required string OutputDirectory { get; init; }
    public required BuildContext Context { get; init; }
    public DockerfileMethodOptions Options { get; init; } = new();

    public string SourceDateEpoch => Context.SourceDate.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The Dockerfile path relative to the repo root, for messages.</summary>
    public string DisplayPath => Path.GetRelativePath(Context.Root, Definition.DefinitionFile).Replace('\\', '/');
}

/// <summary>One way to run a Dockerfile build: Buildx, the Docker engine's BuildKit, or buildah.</summary>
public interface IDockerfileEngine
{
    /// <summary>"buildx", "docker" or "buildah".</summary>
    string Name { get; }

    /// <summary>Null when usable here; otherwise why not and the install command. Cached per process.</summary>
    ToolchainProblem? Probe();

    /// <summary>Engine and mode as recorded in the input hash (e.g. "docker/classic"): outputs differ between modes.</summary>
    string Flavor => Name;

    Task<OciImage> BuildAsync(DockerfileBuildRequest request, CancellationToken cancellationToken);
}

/// <summary>Picks the engine: a forced one (which must be usable) or the first usable in auto order.</summary>
public static class DockerfileEngineSelector
{
    public static readonly string[] Choices = ["auto", "buildx", "docker", "buildah"];
    /// <summary>
    /// Auto order: the Docker engine (through BuildKit when the CLI has the buildx plugin), then daemonless buildah.
    /// Buildx's own OCI-output path is only taken when asked for (--dockerfile-engine buildx): Debian 12 ships no
    /// buildx plugin, so its arguments have never met the real CLI's parser here (docs/release-flow.md).
    /// </summary>
    public static readonly string[] AutoOrder = ["docker", "buildah"];

    /// <summary>The line that says which engine builds and, for auto, why the ones before it were passed over.</summary>
    public static string Describe(string? choice, string engine, IReadOnlyDictionary<string, ToolchainProblem?> probes)
    {
        if (choice is not (null or "" or "auto")) return $"{engine} (--dockerfile-engine {choice})";
        var passed = AutoOrder.TakeWhile(n => n != engine).Select(n => $"{n}: {probes.GetValueOrDefault(n)?.Reason ?? "not probed"}").ToList();
        return passed.Count == 0 ? $"{engine} (auto: first in {string.Join(", ", AutoOrder)})" : $"{engine} (auto; passed over {string.Join("; ", passed)})";
    }

    /// <summary>
    /// Pure planner: <paramref name="probes"/> maps engine name → its problem (null = usable).
    /// Returns the chosen engine name, or the problem that explains why none can run.
    /// </summary>
    public static (string? Engine, ToolchainProblem? Problem) Select(string choice, IReadOnlyDictionary<string, ToolchainProblem?> probes)
    {
        choice = string.IsNullOrWhiteSpace(choice) ? "auto" : choice.Trim().ToLowerInvariant();
        if (!Choices.Contains(choice))
            throw new ArgumentException($"--dockerfile-engine '{choice}' is not known. Available engines are: {string.Join(", ", Choices)}");
        if (choice != "auto")
            return probes.GetValueOrDefault(choice) is { } p
                ? (null, p with { Reason = $"--dockerfile-engine {choice} was requested but {p.Reason}" })
                : (choice, null);
        foreach (var name in AutoOrder)
            if (probes.TryGetValue(name, out var problem) && problem is null) return (name, null);
        var reasons = string.Join("; ", AutoOrder.Select(n => $"{n}: {probes.GetValueOrDefault(n)?.Reason ?? "not probed"}"));
        return (null, new ToolchainProblem($"no Dockerfile engine is usable ({reasons})", probes.GetValueOrDefault("buildah")?.InstallCommand ?? "apt-get install -y buildah"));
    }
}

internal static class EngineTools
{
    /// <summary>Runs a build tool, streaming its output into the build log; never throws on exit code.</summary>
    public static Task<ToolResult> RunLoggedAsync(string tool, IReadOnlyList<string> args, DockerfileBuildRequest r, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? env = null, string? cwd = null) =>
        ToolRunner.RunAsync(new ToolInvocation(tool, args)
        {
            OnLine = r.Context.Log,
            Environment = env,
            WorkingDirectory = cwd,
            TailLines = 50,
        }, ct);

    public static bool Answers(string tool, IReadOnlyList<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string?>? env = null)
    {
        if (ToolRunner.Which(tool) is null) return false;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return ToolRunner.RunAsync(new ToolInvocation(tool, args) { CaptureStandardOutput = true, Environment = env }, cts.Token).GetAwaiter().GetResult().Succeeded;
        }
        catch (Exception e) when (e is OperationCanceledException or ToolException) { return false; }
    }

    /// <summary>Fails the build with the image, the Dockerfile, the line (when the engine said) and the last lines.</summary>
    public static DockerfileBuildException Failure(DockerfileBuildRequest r, string engine, ToolResult result, string? what = null)
    {
        var line = BuildFailure.FindLine(result.Tail, r.Dockerfile);
        var instruction = line is null ? null : r.Dockerfile.Instructions.FirstOrDefault(i => i.Line == line);
        var at = line is null ? r.DisplayPath : $"{r.DisplayPath}:{line}" + (instruction is null ? "" : $" ({Shorten(instruction.Keyword + " " + instruction.Arguments)})");
        var tail = result.Tail.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, result.Tail.Select(l => "  | " + l));
        return new DockerfileBuildException(
            $"image '{r.Definition.Name}': {what ?? engine + " build"} failed at {at} with exit code {result.ExitCode}; last {result.Tail.Count} lines:{tail}",
            r.Definition.Name, r.Definition.DefinitionFile, line, result.Tail);
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";

    /// <summary>Build args, target and platform flags shared by every engine.</summary>
    public static List<string> CommonBuildFlags(DockerfileBuildRequest r)
    {
        var d = r.Definition;
        var args = new List<string> { "-f", d.DefinitionFile };
        foreach (var (k, v) in d.BuildArgs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            args.AddRange(["--build-arg", $"{k}={v}"]);
        if (!string.IsNullOrEmpty(d.Attribute)) args.AddRange(["--target", d.Attribute]);
        if (d.Platforms.Count == 1) args.AddRange(["--platform", d.Platforms[0]]);
        return args;
    }
}
