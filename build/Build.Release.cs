using Slipway.Engine;
using Slipway.Engine.Ci;
using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Images.Pipeline;
using Slipway.Build.Components;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Release;
using Slipway.Release.Ci;
using Slipway.Tooling;
using Slipway.Release.Git;
using Slipway.Release.Listing;
using Slipway.Release.Manifests;

/// <summary>
/// The release flow (docs/release-flow.md): what is at each image's destination and from which commit
/// ([main]/[branch]/[unknown]), rebuilds at a chosen commit (--ref), manifests moved to and checked against the
/// newest main-built tags. The logic lives in src/Slipway.Release; these declarations only wire parameters to it.
/// </summary>
[GitHubActions("images", ImageMatrix = true, OnPushBranches = ["main"], OnPullRequestBranches = ["main"],
    PullRequestPushesBranchTags = true, ImportSecrets = ["GITHUB_TOKEN"], Permissions = ["contents: read", "packages: write"])]
[GitLabCI(MergeRequestsPushBranchTags = true)]
partial class Build
{
    [Parameter("ListImages: print JSON instead of the table")]
    readonly bool Json;

    [Parameter("BuildImages/PushImages: build the images as they were at this commit, branch or tag (a temporary git worktree); 'latest' moves only when it is the tip of main")]
    readonly string? Ref;

    [Parameter("UpdateManifests/CheckManifests: manifest files to read (globs relative to the root; ** spans directories)")]
    readonly string[] ManifestGlobs = Glob.DefaultPatterns.Split(',');

    [Parameter("UpdateManifests: write tag@sha256:… instead of the tag alone")]
    readonly bool PinDigest;

    [Parameter("UpdateManifests: commit each image's change as 'Update <image> to <tag>'")]
    readonly bool Commit;

    [Parameter("Decide commits a shallow clone lacks with GitHub's compare API at this base URL (GitHub Enterprise); api.github.com for a github.com origin")]
    readonly string? GithubApiUrl;

    [Parameter("Token for GitHub's compare API (GITHUB_TOKEN in Actions)"), Secret]
    readonly string? GithubToken;

    Target ListImages => _ => _
        .Description("Lists the tags at each image's destination, newest first: digest, version, commit (from the image's revision label) and [main]/[branch]/[unknown] (--json for scripts)")
        .Executes(async ct =>
        {
            if (await ImageComponent.PlanImagesAsync(ct) is not { } plan) return;
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
            if (await ImageComponent.PlanImagesAsync(ct) is not { } plan) return;
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
            if (await ImageComponent.PlanImagesAsync(ct) is not { } plan) return;
            using var flow = ReleaseFlow();
            var files = Glob.Files(RootDirectory, ManifestGlobs);
            var problems = await flow.CheckManifestsAsync(flow.Images(plan), plan.Git.RemoteUrl, files, ct);
            foreach (var warning in problems.Where(p => !p.IsError)) Log.Warn(warning.ToString());
            var errors = problems.Where(p => p.IsError).ToList();
            if (errors.Count > 0)
                throw new InvalidOperationException($"{errors.Count} manifest reference{(errors.Count == 1 ? "" : "s")} must not go to production:\n" + string.Join("\n", errors.Select(e => "  - " + e)));
            ReportSummary($"{files.Count} files checked");
        });

    [Parameter("CheckWorkflows: directory with GitLab's CI schema as gitlab-ci-YYYY-MM-DD.json (default: the copy bundled in the npm package gitlab-ci-local)")]
    readonly string? CiSchemas;

    /// <summary>The images CI builds (this repository's, not --root's) and the paths each is rebuilt for.</summary>
    public override CiContext CiContext() =>
        // What image builds need on a hosted runner: the [build] section of the one list, less what the runner has
        // (git) or gets from its own step (Nix, from the Nix installer).
        ImageCiContext.For(this, BuildRepositoryDirectory.Path, MachinePackages.Names(SetupList.Build).Except(["nix-bin", "git"]).ToList(), ct: CancellationToken);

    /// <summary>CheckWorkflows' second half: the generated files through GitHub's parser and GitLab's schema.</summary>
    async Task ValidateCiFiles(CancellationToken ct)
    {
        var root = BuildRepositoryDirectory;
        var workflows = GitHubActions.Of(typeof(Build)).Select(a => GitHubActions.PathFor(root, a)).Where(File.Exists).ToList();
        var gitlab = GitLabCI.Of(typeof(Build)) is null ? null : GitLabCI.PathFor(root);
        var schemas = CiSchemas;
        var result = await CiValidation.RunAsync(workflows, gitlab, schemas, root / ".nuke/temp/npm-tools", Log.Info, ct);
        foreach (var note in result.Notes) (note.Contains("NOT") ? (Action<string>)Log.Warn : Log.Info)(note);
        if (result.Problems.Count > 0)
            throw new InvalidOperationException($"the generated CI files do not parse:\n" + string.Join("\n", result.Problems.Select(p => "  - " + Path.GetRelativePath(root, p.Split(':')[0]) + p[p.IndexOf(':')..])));
        ReportSummary($"{workflows.Count} workflows (GitHub's parser){(gitlab is null ? "" : result.Notes.Any(n => n.Contains("NOT")) ? ", .gitlab-ci.yml NOT validated (no schema)" : ", .gitlab-ci.yml (GitLab's schema)")}");
    }

    /// <summary>The image component's parameters and plan (its members are reached through the interface).</summary>
    IPublishImages ImageComponent => this;

    ReleaseFlow ReleaseFlow() => new(new ReleaseOptions
    {
        Root = RootDirectory,
        MainBranch = ImageComponent.MainBranch,
        GitHubApiUrl = GithubApiUrl is null ? null : new Uri(GithubApiUrl),
        GitHubToken = GithubToken,
        CacheDirectory = RootDirectory / ".nuke/temp/image-configs",
        RegistryClient = string.IsNullOrEmpty(ImageComponent.RegistryPassword) ? new RegistryClientOptions() : new RegistryClientOptions
        {
            ExplicitCredentials = new Dictionary<string, RegistryCredential> { ["*"] = new(ImageComponent.RegistryUser, ImageComponent.RegistryPassword, null, "--registry-user/--registry-password") },
        },
        Log = Log.Info,
    });

    /// <summary>
    /// --ref: the pipeline builds from a temporary worktree at that commit, as that commit (sha7, time, revision;
    /// a branch only when it is the tip of main). Outputs stay under the real root: the report, and the embedded
    /// default's layouts.
    /// </summary>
    ImagePipelineOptions IPublishImages.ConfigurePipeline(ImagePipelineOptions options)
    {
        if (string.IsNullOrWhiteSpace(Ref)) return options;
        var repo = new GitRepo(RootDirectory);
        var mainBranch = ImageComponent.MainBranch;
        var (git, isTip) = RefCommit.ResolveAsync(repo, Ref, mainBranch, CancellationToken.None).GetAwaiter().GetResult();
        var worktree = GitWorktree.CreateAsync(repo, git.Sha, CancellationToken.None).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => worktree.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Log.Info($"--ref {Ref}: building commit {git.ShortSha} ({git.CreatedText}) from a worktree at {worktree.Path}; {(isTip ? $"it is the tip of {mainBranch}, so 'latest' moves" : "'latest' stays where it is")}");
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
