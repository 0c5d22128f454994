using Slipway.Build.Components.Ci;
using Slipway.Release.Ci;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Release.Tests;

/// <summary>
/// The generated CI files through the real parsers (GitHub's @actions/workflow-parser, GitLab's published CI
/// schema with ajv), and the generated change-picking script run by bash on a real git history.
/// </summary>
public class CiGenerationTests
{
    private static readonly ImageCiContext Context = new(
        [new CiImage("api", "dockerfile", ["containers/api/"]), new CiImage("worker-nix", "nix", ["containers/worker/", "flake.lock"])],
        ["build/", "global.json"], ["buildah", "skopeo"]);

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "build.sh")) && Directory.Exists(Path.Combine(d.FullName, "build"))) return d.FullName;
        throw new InvalidOperationException("build.sh not found above the test binaries");
    }

    /// <summary>A schema directory of the user's ($SLIPWAY_CI_SCHEMAS), else none: the copy bundled in gitlab-ci-local.</summary>
    private static string? SchemaDirectory() => Environment.GetEnvironmentVariable("SLIPWAY_CI_SCHEMAS");

    private static string ToolDirectory() => Path.Combine(RepoRoot(), ".nuke", "temp", "npm-tools");

    [Fact]
    public async Task Generated_workflow_and_gitlab_pipeline_pass_the_real_parsers_and_a_broken_one_does_not()
    {
        using var dir = new TempDir("ci-gen");
        var workflow = dir.Write("images.yml", new GitHubImageWorkflowAttribute("images") { OnPushBranches = ["main"], OnPullRequestBranches = ["main"], ImportSecrets = ["GITHUB_TOKEN"] }.Generate(Context));
        var gitlab = dir.Write(".gitlab-ci.yml", new GitLabCIAttribute().Generate(Context));
        Assert.Contains("cachix/install-nix-action", File.ReadAllText(workflow));
        Assert.Contains("sudo -n apt-get install -y -q --no-install-recommends $missing", File.ReadAllText(workflow));
        Assert.Contains("${CI_REGISTRY_IMAGE:+--registry \"$CI_REGISTRY_IMAGE\"}", File.ReadAllText(gitlab));

        var result = await CiValidation.RunAsync([workflow], gitlab, SchemaDirectory(), ToolDirectory(), _ => { }, CancellationToken.None);
        Assert.Empty(result.Problems);
        Assert.Contains(result.Notes, n => n.Contains("validated against GitLab's CI schema", StringComparison.Ordinal));

        // The same parsers refuse what GitHub and GitLab would refuse.
        File.WriteAllText(workflow, File.ReadAllText(workflow).Replace("fromJSON(needs.changes.outputs.images)", "fromJSON(needs.changes.outputs.images"));
        File.WriteAllText(gitlab, File.ReadAllText(gitlab).Replace("  rules:\n", "  rulez:\n"));
        var broken = await CiValidation.RunAsync([workflow], gitlab, SchemaDirectory(), ToolDirectory(), _ => { }, CancellationToken.None);
        Assert.Contains(broken.Problems, p => p.StartsWith(workflow, StringComparison.Ordinal) && p.Contains("Line: ", StringComparison.Ordinal));
        Assert.Contains(broken.Problems, p => p.StartsWith(gitlab, StringComparison.Ordinal) && p.Contains("rulez", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("containers/api/Dockerfile", "[\"api\"]")]
    [InlineData("flake.lock", "[\"worker-nix\"]")]
    [InlineData("build/Build.cs", "[\"api\",\"worker-nix\"]")]
    [InlineData("docs/readme.md", "[]")]
    [InlineData("containers/api-old/x", "[]")]
    public async Task The_changes_job_picks_the_images_whose_paths_changed(string changedFile, string expected)
    {
        using var dir = new TempDir("ci-pick");
        async Task<string> Git(params string[] args) =>
            (await ToolRunner.RunCheckedAsync(new ToolInvocation("git", ["-C", dir.Path, "-c", "user.name=t", "-c", "user.email=t@t", .. args]) { CaptureStandardOutput = true })).StandardOutput.Trim();
        await Git("init", "-q", "-b", "main");
        dir.Write("README.md", "x\n");
        await Git("add", "-A");
        await Git("commit", "-qm", "base");
        var before = await Git("rev-parse", "HEAD");
        dir.Write(changedFile, "changed\n");
        await Git("add", "-A");
        await Git("commit", "-qm", "change");

        var script = dir.Write("pick.sh", typeof(GitHubImageWorkflowAttribute)
            .GetMethod("PickScript", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.Invoke(null, [Context]) as string ?? "");
        var output = dir.Combine("github-output");
        await ToolRunner.RunCheckedAsync(new ToolInvocation("bash", [script])
        {
            WorkingDirectory = dir.Path,
            Environment = new Dictionary<string, string?> { ["EVENT"] = "push", ["BEFORE"] = before, ["PR_BASE"] = "", ["INPUT_IMAGES"] = "", ["GITHUB_OUTPUT"] = output },
        });
        Assert.Equal($"images={expected}", File.ReadAllText(output).Trim());
    }
}
