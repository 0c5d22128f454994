using Slipway.Engine;
using Slipway.Images.BaseImages;
using Slipway.Images.Methods;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Nix;
using Slipway.Bazel;
using Slipway.Source;
using Slipway.Images.Pipeline;
using System.Runtime.CompilerServices;

namespace Slipway.Build.Components;

/// <summary>
/// The image targets, as a build component: a build gets them by listing this interface
/// (<c>class Build : SlipwayBuild, IPublishImages</c>). They discover every image of the monorepo (--root), build
/// each with its method, publish by digest then tags to the destination the context picks. All logic lives in
/// Slipway.Images' ImagePipeline; these targets only wire parameters to it and share one instance per run (the
/// store of built images). A build adds its own prerequisites by re-implementing a target:
/// <c>Target IPublishImages.BaseImages => _ => _.Inherit&lt;IPublishImages&gt;(x => x.BaseImages).DependsOn(Setup);</c>
/// </summary>
public interface IPublishImages : ISlipwayBuild
{
    [Parameter("Where to push images: host[:port]/namespace, or oci:DIR for OCI layouts (wins over --context)")]
    string? Registry => TryGetValue(() => Registry);

    [Parameter("upstream (ghcr.io/<Org>), overlay (registry.gitlab.com/<Group>) or local (OCI layouts under artifacts/images). Default: local; upstream when GITHUB_ACTIONS=true, overlay when GITLAB_CI=true")]
    ImageContext? Context => TryGetValue(() => Context);

    [Parameter("Only these images (comma separated names), e.g. --images api,worker", Name = "Images")]
    string[]? ImageNames => TryGetValue(() => ImageNames);

    [Parameter("Dockerfile engine: auto (the Docker engine, then buildah; the choice is printed), docker, buildah, or buildx (asked for only)")]
    DockerfileEngineChoice DockerfileEngine => TryGetValue(() => DockerfileEngine, DockerfileEngineChoice.Auto);

    [Parameter("A missing toolchain fails the image instead of skipping it (default: on when CI=true)")]
    bool? Strict => TryGetValue(() => Strict);

    [Parameter("The branch whose builds also get the 'latest' tag")]
    string MainBranch => TryGetValue(() => MainBranch, "main");

    [Parameter("Blob transfers at once per image when pushing")]
    int Jobs => TryGetValue(() => Jobs, 4);

    [Parameter("User for --registry-password (otherwise docker/podman credentials and CI tokens are used)")]
    string? RegistryUser => TryGetValue(() => RegistryUser);

    [Parameter("Password or token for the destination registry"), Secret]
    string? RegistryPassword => TryGetValue(() => RegistryPassword);

    [Parameter("Publish Bazel images with 'bazel run //app:push' instead of Slipway's publisher")]
    bool BazelPush => TryGetValue(() => BazelPush);

    [Parameter("GitHub organisation: context upstream pushes to ghcr.io/<Org>")]
    string? Org => TryGetValue(() => Org);

    [Parameter("GitLab group: context overlay pushes to registry.gitlab.com/<Group>")]
    string? Group => TryGetValue(() => Group);

    [Parameter("Layer compression of published images: gzip (every registry and runtime reads it) or zstd (smaller, faster to unpack; containerd 1.5+, podman/buildah/skopeo 1.4+)")]
    ImageCompression Compression => TryGetValue(() => Compression, ImageCompression.Gzip);

    /// <summary>Debian packages a hosted CI runner installs before an image job (the image workflows' setup step).</summary>
    IReadOnlyList<string> CiRunnerPackages => ["buildah", "skopeo", "debootstrap"];

    /// <summary>Paths whose change rebuilds every image in CI (the build itself, its SDK pin, parameters, local bases).</summary>
    IReadOnlyList<string> CiSharedPaths => Ci.ImageCiContext.DefaultSharedPaths;

    /// <summary>Every build method the pipeline knows, each with its own options; each discovers its own images.</summary>
    IReadOnlyList<IImageMethod> ImageMethods() =>
    [
        new DockerfileMethod(new DockerfileMethodOptions
        {
            Engine = DockerfileEngine.ToString().ToLowerInvariant(),
            BaseImageMap = BaseImageCatalog.Load(RootDirectory).ToBaseImageMap(),
        }),
        new NixMethod(),
        new BazelMethod(new BazelMethodOptions { DelegatePush = BazelPush }),
        new SourceMethod(),
    ];

    /// <summary>What the targets share within one run (an interface has no fields of its own).</summary>
    private sealed class RunState
    {
        public ImagePipeline? Images;
        public Exception? SetupError;
    }

    private static readonly ConditionalWeakTable<IPublishImages, RunState> States = new();
    private RunState State => States.GetOrCreateValue(this);

    /// <summary>A build's last word on the pipeline options (the release flow's --ref builds from a worktree).</summary>
    ImagePipelineOptions ConfigurePipeline(ImagePipelineOptions options) => options;

    /// <summary>The planned images of this run, or null when the image settings failed in an earlier target.</summary>
    async Task<ImagePlan?> PlanImagesAsync(CancellationToken ct) => await PlannedImages(ct) is { } run ? await run.PlanAsync(ct) : null;

    /// <summary>Created on first use, after BaseImages may have built the local bases the map points at.</summary>
    private ImagePipeline ImageRun => State.Images ??= new ImagePipeline(ConfigurePipeline(new ImagePipelineOptions
    {
        Root = RootDirectory,
        Methods = ImageMethods(),
        Registry = Registry,
        Context = Context,
        Images = ImageNames,
        Strict = Strict,
        MainBranch = MainBranch,
        Jobs = Jobs,
        RegistryUser = RegistryUser,
        RegistryPassword = RegistryPassword,
        Compression = Compression,
        Org = Org,
        Group = Group,
        FileHashCachePath = RootDirectory / ".nuke/temp/input-file-hashes.tsv",
        Log = (level, line) =>
        {
            switch (level)
            {
                case ImageLogLevel.Error: Log.Error(line); break;
                case ImageLogLevel.Warning: Log.Warn(line); break;
                case ImageLogLevel.Debug: Log.Debug(line); break;
                default: Log.Info(line); break;
            }
        },
    }));

    /// <summary>
    /// The run's pipeline, planned. A settings error (bad name, tag, parameters file, base catalog) fails the
    /// first image target that meets it; later ones skip quietly instead of repeating the same message.
    /// </summary>
    private async Task<ImagePipeline?> PlannedImages(CancellationToken ct)
    {
        if (State.SetupError is not null)
        {
            Log.Warn($"skipped: the image settings failed in an earlier target ({State.SetupError.Message.Split('\n')[0]})");
            ReportSummary("skipped: image settings failed earlier");
            return null;
        }
        try
        {
            await ImageRun.PlanAsync(ct);
            return ImageRun;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            State.SetupError = e;
            throw;
        }
    }

    Target Images => _ => _
        .Description("Lists every image: method, version, definition file, the tags it would get and its destination")
        .Executes(async ct =>
        {
            if (await PlannedImages(ct) is null) return;
            var plan = await ImageRun.PlanAsync(ct);
            foreach (var line in ImagePipeline.FormatTable(plan).TrimEnd().Split('\n')) Log.Raw(line);
            ReportSummary($"{plan.Images.Count} images");
        });

    Target BaseImages => _ => _
        .Description("Builds the local bases of containers/base-images.yml from Debian packages into artifacts/base-images (FROM debian:… etc. then resolve offline)")
        .ProceedAfterFailure()
        .Executes(async ct =>
        {
            var catalog = BaseImageCatalog.Load(RootDirectory);
            if (catalog.Bases.Count == 0) { ReportSummary($"no {BaseImageCatalog.RelativePath}"); return; }
            if (!RootThroughSudo.IsRoot)
            {
                // debootstrap and chroot need root: a CI runner's user with password-less sudo runs this target as root.
                await RootThroughSudo.RunTargetAsync("BaseImages", RootDirectory, [catalog.OutputDirectory, RootDirectory / ".nuke/temp"],
                    $"debootstrap and chroot build the bases of {BaseImageCatalog.RelativePath}", Log.Info, ct);
                ReportSummary("built as root through sudo -n");
                return;
            }
            var date = await BaseImageCatalog.LastChangedAsync(RootDirectory, ct);
            var results = await new BaseImageBuilder(catalog).BuildAllAsync(null, new BaseImageBuildOptions { SourceDate = date, Log = Log.Info }, ct);
            foreach (var r in results) ReportSummary($"{r.Name}: {(r.UpToDate ? "up to date" : $"built {r.Digest.Short} in {r.Duration.TotalSeconds:0}s")}");
        });

    Target BuildDockerfileImages => _ => _
        .Description("Builds the Dockerfile images (containers/*/Dockerfile, app/Dockerfile) that are not already at their destination")
        .DependsOn(BaseImages)
        .ProceedAfterFailure()
        .Executes(ct => BuildMethod("dockerfile", ct));

    Target BuildNixImages => _ => _
        .Description("Builds the Nix images (containers/*/default.nix, flake.nix packages) that are not already at their destination")
        .ProceedAfterFailure()
        .Executes(ct => BuildMethod("nix", ct));

    Target BuildBazelImages => _ => _
        .Description("Builds the Bazel images (rules_img targets) that are not already at their destination")
        .ProceedAfterFailure()
        .Executes(ct => BuildMethod("bazel", ct));

    Target BuildImages => _ => _
        .Description("Builds every image that needs it (a failing image fails the run; the others still build)")
        .DependsOn(BuildDockerfileImages, BuildNixImages, BuildBazelImages)
        .ProceedAfterFailure()
        .Executes(async ct =>
        {
            // Methods without a target of their own build here; the per-method targets already ran.
            if (await PlannedImages(ct) is null) return;
            var results = await ImageRun.BuildAsync(null, ct);
            foreach (var line in ImagePipeline.SummaryLines(results)) ReportSummary(line);
            ImageRun.ThrowNewFailures();
        });

    Target PushImages => _ => _
        .Description("Publishes every built image by digest, then its vX.Y.Z-sha7 and latest tags; writes artifacts/images.json")
        .DependsOn(BuildImages)
        .Executes(async ct =>
        {
            if (await PlannedImages(ct) is null) return;
            var results = await ImageRun.PushAsync(ct);
            foreach (var line in ImagePipeline.SummaryLines(results)) ReportSummary(line);
            Log.Info($"Report: {Path.GetRelativePath(RootDirectory, ImageRun.ReportPath)}");
            ImageRun.ThrowNewFailures();
        });

    private async Task BuildMethod(string method, CancellationToken ct)
    {
        if (await PlannedImages(ct) is null) return;
        var results = await ImageRun.BuildAsync(method, ct);
        foreach (var line in ImagePipeline.SummaryLines(results)) ReportSummary(line);
        ImageRun.ThrowNewFailures();
    }
}
