using Slipway.Build.Components;
using Slipway.Build.Components.Ci;
using Slipway.Engine;
using Slipway.Engine.Ci;
using Slipway.Release.Ci;
using Slipway.Tooling;

/// <summary>
/// The image CI of this repository. The release flow itself (ListImages, UpdateManifests, CheckManifests, --ref;
/// docs/release-flow.md) comes from the IReleaseImages component (src/Slipway.Build.Components) that Build lists;
/// here are only the CI declarations it generates from and CheckWorkflows' validation of the generated files.
/// </summary>
[GitHubImageWorkflow("images", OnPushBranches = ["main"], OnPullRequestBranches = ["main"],
    PullRequestPushesBranchTags = true, ImportSecrets = ["GITHUB_TOKEN"], Permissions = ["contents: read", "packages: write"])]
[GitLabCI(MergeRequestsPushBranchTags = true)]
partial class Build
{
    [Parameter("CheckWorkflows: directory with GitLab's CI schema as gitlab-ci-YYYY-MM-DD.json (default: the copy bundled in the npm package gitlab-ci-local)")]
    readonly string? CiSchemas;

    /// <summary>
    /// What image builds need on a hosted runner: the [build] section of the one list, less what the runner has
    /// (git) or gets from its own step (Nix, from the Nix installer).
    /// </summary>
    IReadOnlyList<string> IPublishImages.CiRunnerPackages => MachinePackages.Names(SetupList.Build).Except(["nix-bin", "git"]).ToList();

    /// <summary>CheckWorkflows' second half: the generated files through GitHub's parser and GitLab's schema.</summary>
    async Task ValidateCiFiles(CancellationToken ct)
    {
        var root = BuildRepositoryDirectory;
        var files = CiFiles.Of(typeof(Build)).Select(a => CiFiles.PathFor(root, a)).Where(File.Exists).ToList();
        var workflows = files.Where(f => Path.GetFileName(f) != GitLabCIAttribute.FileName).ToList();
        var gitlab = files.FirstOrDefault(f => Path.GetFileName(f) == GitLabCIAttribute.FileName);
        var schemas = CiSchemas;
        var result = await CiValidation.RunAsync(workflows, gitlab, schemas, root / ".nuke/temp/npm-tools", Log.Info, ct);
        foreach (var note in result.Notes) (note.Contains("NOT") ? (Action<string>)Log.Warn : Log.Info)(note);
        if (result.Problems.Count > 0)
            throw new InvalidOperationException($"the generated CI files do not parse:\n" + string.Join("\n", result.Problems.Select(p => "  - " + Path.GetRelativePath(root, p.Split(':')[0]) + p[p.IndexOf(':')..])));
        ReportSummary($"{workflows.Count} workflows (GitHub's parser){(gitlab is null ? "" : result.Notes.Any(n => n.Contains("NOT")) ? ", .gitlab-ci.yml NOT validated (no schema)" : ", .gitlab-ci.yml (GitLab's schema)")}");
    }
}
