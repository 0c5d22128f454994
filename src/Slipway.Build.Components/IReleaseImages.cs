using Slipway.Engine;
using Slipway.Images.Pipeline;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Release;
using Slipway.Release.Git;
using Slipway.Release.Listing;
using Slipway.Release.Manifests;

namespace Slipway.Build.Components;

/// <summary>
/// The release flow (docs/release-flow.md) as a build component next to <see cref="IPublishImages"/>: a build that
/// lists it (<c>class Build : SlipwayBuild, IPublishImages, IReleaseImages</c>) gets ListImages (each image's tags
/// with their commit marked [main]/[branch]/[unknown]), UpdateManifests and CheckManifests (manifests moved to and
/// checked against the newest main-built tags), <c>--ref</c> on BuildImages/PushImages (build a chosen commit
/// from a temporary worktree), and the CheckManifests job and <c>ref</c> input in its generated image CI. The
/// logic lives in Slipway.Release; these members only wire parameters to it.
/// </summary>
public interface IReleaseImages : IPublishImages
{
    [Parameter("ListImages: print JSON instead of the table")]
    bool Json => TryGetValue(() => Json);

    [Parameter("BuildImages/PushImages: build the images as they were at this commit, branch or tag (a temporary git worktree); 'latest' moves only when it is the tip of main")]
    string? Ref => TryGetValue(() => Ref);

    [Parameter("UpdateManifests/CheckManifests: manifest files to read (globs relative to the root; ** spans directories)")]
    string[] ManifestGlobs => TryGetValue(() => ManifestGlobs) ?? Glob.DefaultPatterns.Split(',');

    [Parameter("UpdateManifests: write tag@sha256:… instead of the tag alone")]
    bool PinDigest => TryGetValue(() => PinDigest);

    [Parameter("UpdateManifests: commit each image's change as 'Update <image> to <tag>'")]
    bool Commit => TryGetValue(() => Commit);

    [Parameter("Decide commits a shallow clone lacks with GitHub's compare API at this base URL (GitHub Enterprise); api.github.com for a github.com origin")]
    string? GithubApiUrl => TryGetValue(() => GithubApiUrl);

    [Parameter("Token for GitHub's compare API (GITHUB_TOKEN in Actions)"), Secret]
    string? GithubToken => TryGetValue(() => GithubToken);

    Target ListImages => _ => _
        .Description("Lists the tags at each image's destination, newest first: digest, version, commit (from the image's revision label) and [main]/[branch]/[unknown] (--json for scripts)")
        .Executes(async ct =>
        {
            if (await PlanImagesAsync(ct) is not { } plan) return;
            using var flow = ReleaseFlow();
            var images = flow.Images(plan);
            var tags = await flow.ListAsync(images, plan.Git.RemoteUrl, ct);
            var text = Json ? TagTable.Json(tags) : TagTable.Format(tags, images);
            foreach (var line in text.TrimEnd().Split('\n')) Log.Raw(line);
            ReportSummary($"{tags.Count} tags: {tags.Count(t => t.Mark == CommitMark.Main)} main, {tags.Count(t => t.Mark == CommitMark.Branch)} branch, {tags.Count(t => t.Mark == CommitMark.Unknown)} unknown");
        });

    Target UpdateManifests => _ => _
        .Description("Moves image references in the manifests (--manifest-globs) to the newest [main] tag of each image; prints the diff; --pin-digest, --commit")
        .Executes(async ct =>
        {
            if (await PlanImagesAsync(ct) is not { } plan) return;
            using var flow = ReleaseFlow();
            var files = Glob.Files(RootDirectory, ManifestGlobs);
            var updates = await flow.UpdateManifestsAsync(flow.Images(plan), plan.Git.RemoteUrl, files, PinDigest, Commit, ct);
            foreach (var line in updates.SelectMany(u => u.Files).Select(f => f.Diff).SelectMany(d => d.TrimEnd().Split('\n'))) Log.Raw(line);
            ReportSummary(updates.Count == 0 ? $"{files.Count} files, nothing to move" : string.Join(", ", updates.Select(u => $"{u.Image} → {u.Tag}")) + (Commit ? " (committed)" : ""));
        });

    Target CheckManifests => _ => _
        .Description("Fails when a manifest references a [branch] tag, a tag that does not exist, or a pinned digest its tag no longer has (file:line each)")
        .Executes(async ct =>
        {
            if (await PlanImagesAsync(ct) is not { } plan) return;
            using var flow = ReleaseFlow();
            var files = Glob.Files(RootDirectory, ManifestGlobs);
            var problems = await flow.CheckManifestsAsync(flow.Images(plan), plan.Git.RemoteUrl, files, ct);
            foreach (var warning in problems.Where(p => !p.IsError)) Log.Warn(warning.ToString());
            var errors = problems.Where(p => p.IsError).ToList();
            if (errors.Count > 0)
                throw new InvalidOperationException($"{errors.Count} manifest reference{(errors.Count == 1 ? "" : "s")} must not go to production:\n" + string.Join("\n", errors.Select(e => "  - " + e)));
            ReportSummary($"{files.Count} files checked");
        });

    /// <summary>The release flow over this build's root, main branch and registry credentials.</summary>
    ReleaseFlow ReleaseFlow() => new(new ReleaseOptions
    {
        Root = RootDirectory,
        MainBranch = MainBranch,
        GitHubApiUrl = GithubApiUrl is null ? null : new Uri(GithubApiUrl),
        GitHubToken = GithubToken,
        CacheDirectory = RootDirectory / ".nuke/temp/image-configs",
        RegistryClient = string.IsNullOrEmpty(RegistryPassword) ? new RegistryClientOptions() : new RegistryClientOptions
        {
            ExplicitCredentials = new Dictionary<string, RegistryCredential> { ["*"] = new(RegistryUser, RegistryPassword, null, "--registry-user/--registry-password") },
        },
        Log = Log.Info,
    });

    /// <summary>
    /// --ref: the pipeline builds from a temporary worktree at that commit, as that commit (sha7, time, revision;
    /// a branch only when it is the tip of main). Outputs stay under the real root: the report, and the embedded
    /// default's layouts. A build that re-implements ConfigurePipeline itself calls this first.
    /// </summary>
    ImagePipelineOptions IPublishImages.ConfigurePipeline(ImagePipelineOptions options) => ConfigureRef(options);

    /// <summary>The pipeline options for <c>--ref</c> (unchanged without it).</summary>
    ImagePipelineOptions ConfigureRef(ImagePipelineOptions options)
    {
        if (string.IsNullOrWhiteSpace(Ref)) return options;
        var repo = new GitRepo(RootDirectory);
        var (git, isTip) = RefCommit.ResolveAsync(repo, Ref, MainBranch, CancellationToken).GetAwaiter().GetResult();
        var worktree = GitWorktree.CreateAsync(repo, git.Sha, CancellationToken).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => worktree.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Log.Info($"--ref {Ref}: building commit {git.ShortSha} ({git.CreatedText}) from a worktree at {worktree.Path}; {(isTip ? $"it is the tip of {MainBranch}, so 'latest' moves" : "'latest' stays where it is")}");
        var local = options.Registry is null && (options.Context ?? ImageRouter.DefaultContext(options.Environment)) == ImageContext.Local;
        return options with
        {
            Root = worktree.Path,
            Git = git,
            ReportPath = options.ReportPath ?? RootDirectory / "artifacts/images.json",
            Registry = local ? "oci:" + (RootDirectory / "artifacts/images") : options.Registry,
        };
    }
}
