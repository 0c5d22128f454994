using Slipway.Images.BaseImages;
using Slipway.Images.Methods;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Images.Pipeline;
using Slipway.Source.Imaging;
using Slipway.Source.Plan;
using Slipway.Tooling;

namespace Slipway.Source;

/// <summary>
/// The source engine: a repository with a Dockerfile at its root directory is built from it (buildah, local
/// bases); otherwise the providers detect the framework and a generated multi-stage build makes the image.
/// </summary>
public sealed class SourceImageBuilder(SourceBuilderOptions? options = null) : ISourceImageBuilder
{
    public SourceBuilderOptions Options { get; } = options ?? new SourceBuilderOptions();

    public async Task<SourceBuildOutcome> BuildAsync(SourceBuildRequest request, CancellationToken cancellationToken)
    {
        if (request.Platform is { } platform && !TargetPlatforms.IsHost(platform) && (request.ContextDirectory is not null || (!request.IgnoreDockerfile && File.Exists(Path.Combine(AppDirectory(request), request.DockerfilePath ?? "Dockerfile")))))
            throw new StepFailure("build", FailureClass.Permanent, $"Dockerfile builds are made for this machine's platform ({Slipway.Oci.Model.Platform.Current}) only, not {platform}; leave --platform out, or build the app without its Dockerfile (detected)");
        var appDir = AppDirectory(request);
        if (request.ContextDirectory is not null)
        {
            // BUILD_CONTEXT: `buildah bud -f DOCKERFILE_PATH CONTEXT` run at the repository root.
            var context = AppDirectory(request with { RootDirectory = request.ContextDirectory });
            // Resolved, not compared (PathContainment): a Dockerfile that is a symlink out of the checkout is refused too.
            var file = PathContainment.ResolveInside(request.Directory, request.DockerfilePath ?? Path.Combine(Path.GetRelativePath(PathContainment.RealPath(request.Directory), context), "Dockerfile"));
            if (file is null || !File.Exists(file))
                throw new StepFailure("detect", FailureClass.Permanent, $"the Dockerfile '{request.DockerfilePath ?? request.ContextDirectory + "/Dockerfile"}' does not exist in the repository; fix DOCKERFILE_PATH (relative to the repository when BUILD_CONTEXT is set)");
            return await BuildDockerfileAsync(request, context, file, cancellationToken);
        }
        var dockerfile = Path.Combine(appDir, request.DockerfilePath ?? "Dockerfile");
        // A Dockerfile that is a symlink out of the checkout would be read from the worker's disk.
        if (File.Exists(dockerfile) && PathContainment.ResolveInside(request.Directory, Path.GetRelativePath(Path.GetFullPath(request.Directory), dockerfile)) is null)
            throw new StepFailure("detect", FailureClass.Permanent, $"the Dockerfile '{request.DockerfilePath ?? "Dockerfile"}' is a symlink out of the repository; commit the Dockerfile itself");
        if (request.DockerfilePath is not null && !File.Exists(dockerfile))
            throw new StepFailure("detect", FailureClass.Permanent, $"the Dockerfile '{request.DockerfilePath}' does not exist in {Rel(request.Directory, appDir)}; fix the path or leave it out to detect the framework");
        if (!request.IgnoreDockerfile && File.Exists(dockerfile))
            return await BuildDockerfileAsync(request, appDir, dockerfile, cancellationToken);
        var plan = Plan(request, Options);
        request.Log($"plan: {plan.Provider}{(plan.Framework is null ? "" : " (" + plan.Framework + ")")}, start `{plan.Start}`");
        foreach (var note in plan.Notes ?? []) request.Log("note: " + note);
        var image = await new PlanImageBuilder(Options).BuildAsync(plan, appDir, request, cancellationToken);
        return new SourceBuildOutcome(image, $"source {plan.Provider}" + (plan.Framework is null ? "" : $" ({plan.Framework})"));
    }

    /// <summary>The build plan: the plan file when the request names one, else detection with the request's overrides.</summary>
    public static BuildPlan Plan(SourceBuildRequest request, SourceBuilderOptions options)
    {
        var appDir = AppDirectory(request);
        if (request.PlanFile is { } file)
        {
            if (!File.Exists(file)) throw new StepFailure("detect", FailureClass.Permanent, $"plan file '{file}' does not exist; write one with `slipway detect DIR > {Path.GetFileName(file)}`");
            try
            {
                var plan = BuildPlan.FromJson(File.ReadAllText(file), file);
                if (!string.IsNullOrWhiteSpace(request.BuildCommand)) plan = plan with { Build = [request.BuildCommand] };
                if (!string.IsNullOrWhiteSpace(request.StartCommand)) plan = plan with { Start = request.StartCommand };
                return plan;
            }
            catch (FormatException e) { throw new StepFailure("detect", FailureClass.Permanent, e.Message, inner: e); }
        }
        return new Detector(options.Mirrors).Detect(appDir, request.BuildCommand, request.StartCommand, Rel(Path.GetFullPath(request.Directory), appDir) is "." ? request.Directory : Rel(Path.GetFullPath(request.Directory), appDir), request.Platform, request.Variables);
    }

    /// <summary>SOURCE_DATE_EPOCH for a checkout: its commit time, the Unix epoch outside git.</summary>
    public static async Task<DateTimeOffset> CommitTimeAsync(string directory, CancellationToken ct) =>
        (await SourceLabels.GitAsync(directory, ct))?.CommitTime ?? DateTimeOffset.UnixEpoch;

    /// <summary>The directory the app lives in: the checkout plus the root directory, which must stay inside it.</summary>
    public static string AppDirectory(SourceBuildRequest request)
    {
        var repo = Path.GetFullPath(request.Directory);
        if (!Directory.Exists(repo))
            throw new StepFailure("detect", FailureClass.Permanent, $"the source directory '{request.Directory}' does not exist");
        if (string.IsNullOrEmpty(request.RootDirectory)) return repo;
        // Resolved, not compared: a root directory that is (or passes through) a symlink out of the checkout would put
        // the worker's files into the image. The build then works on the real path, so no link is followed later.
        var real = PathContainment.ResolveInside(repo, request.RootDirectory)
            ?? throw new StepFailure("detect", FailureClass.Permanent, $"root directory '{request.RootDirectory}' leaves the repository (after resolving symlinks); give a real directory inside it, e.g. apps/web");
        // Under the checkout's own path (the worker's, which may itself sit below a link), with no tenant link left in it.
        var full = Path.GetFullPath(Path.Combine(repo, Path.GetRelativePath(PathContainment.RealPath(repo), real)));
        if (!Directory.Exists(full))
            throw new StepFailure("detect", FailureClass.Permanent, $"root directory '{request.RootDirectory}' does not exist in the repository; give an existing subdirectory");
        return full;
    }

    private async Task<SourceBuildOutcome> BuildDockerfileAsync(SourceBuildRequest request, string appDir, string dockerfile, CancellationToken ct)
    {
        var repo = Path.GetFullPath(request.Directory);
        ImageDefinition definition;
        try
        {
            definition = DockerfileMethod.Define(repo, appDir, dockerfile, "app");
            if (request.BuildArgs is { Count: > 0 } given)
            {
                var merged = new SortedDictionary<string, string>(definition.BuildArgs.ToDictionary(), StringComparer.Ordinal);
                foreach (var (k, v) in given) merged[k] = v;
                definition = definition with { BuildArgs = merged };
            }
        }
        catch (FormatException e) { throw new StepFailure("detect", FailureClass.Permanent, e.Message, inner: e); }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in BaseImageCatalog.Load(repo).ToBaseImageMap()) map[k] = v;
        foreach (var (k, v) in SourceBases.Catalog(Options.BaseDirectory).ToBaseImageMap()) map[k] = v;
        foreach (var (k, v) in Options.BaseImageMap) map[k] = v;
        var context = new BuildContext
        {
            Root = repo,
            WorkDirectory = request.WorkDirectory,
            Log = request.Log,
            SourceDate = request.SourceDate,
        };
        // The step sandbox wraps buildah's RUN steps. With DOCKER_HOST the operator chose a Docker engine (a dind
        // sidecar), whose own containers run the steps: the sandbox does not apply there (generated builds stay on buildah).
        var sandbox = Options.DockerfileEngine == "buildah" ? Options.Sandbox : Slipway.Images.Sandbox.StepSandboxOptions.Off;
        var method = new DockerfileMethod(new DockerfileMethodOptions { Engine = Options.DockerfileEngine, BaseImageMap = map, BuildahRoot = Options.BuildahRoot, Sandbox = sandbox });
        Directory.CreateDirectory(request.WorkDirectory);
        try
        {
            var image = await method.BuildAsync(definition, context, ct);
            // The same OCI labels as a detected build (created, revision, source, provider), also on the manifest.
            var created = request.SourceDate.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            image = await MetadataStamper.StampAsync(image, await SourceLabels.ForAsync(request, "dockerfile", created, ct), created, ct);
            return new SourceBuildOutcome(image, $"dockerfile {Rel(repo, dockerfile)} ({Options.DockerfileEngine})");
        }
        catch (DockerfileBuildException e)
        {
            throw new StepFailure("build", FailureClass.Permanent, e.Message.Split('\n')[0].TrimEnd(), e.Tail, e);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("buildah is not installed") || e.Message.Contains("Docker daemon"))
        {
            throw new StepFailure("build", FailureClass.Permanent, e.Message, inner: e);
        }
    }

    internal static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
