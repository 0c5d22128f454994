using System.Text;
using Slipway.Release.Git;
using Slipway.Release.Listing;
using Slipway.Release.Manifests;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Release.Tests;

public class ReleaseFlowTests(ReleaseScenario s) : IClassFixture<ReleaseScenario>
{
    private ReleaseFlow Flow(string? root = null, Uri? github = null, bool fetch = true, List<string>? log = null) => new(new ReleaseOptions
    {
        Root = root ?? s.Repo.Root,
        Fetch = fetch,
        GitHubApiUrl = github,
        GitHubRepository = github is null ? null : new GitHubRepository("acme", "mono"),
        Log = line => log?.Add(line),
    });

    private async Task<IReadOnlyList<TagInfo>> ListAsync(string? root = null, Uri? github = null, List<string>? log = null)
    {
        using var flow = Flow(root, github, log: log);
        return await flow.ListAsync(flow.Images(await s.PlanAsync()), null, CancellationToken.None);
    }

    private static string Sha7(string sha) => sha[..7];

    [Fact]
    public async Task ListImages_marks_main_builds_and_the_squash_merged_branch_build_by_the_revision_in_the_config()
    {
        var tags = await ListAsync();
        var byTag = tags.ToDictionary(t => t.Tag);
        Assert.Equal(CommitMark.Main, byTag[$"v1.0.0-{Sha7(s.Main1)}"].Mark);
        Assert.Equal(CommitMark.Main, byTag[$"v1.0.0-{Sha7(s.Squash)}"].Mark);
        Assert.Equal(CommitMark.Branch, byTag[$"v1.0.0-{Sha7(s.Branch2)}"].Mark);
        Assert.Equal(s.Branch2, byTag[$"v1.0.0-{Sha7(s.Branch2)}"].Revision);
        Assert.Equal(s.Squash, byTag["latest"].Revision);
        Assert.Equal(byTag[$"v1.0.0-{Sha7(s.Squash)}"].Digest, byTag["latest"].Digest);
        Assert.Equal("1.0.0", byTag["latest"].Version);
        // Newest first: the squash merge (latest and its version tag), then the branch build, then the first main build.
        Assert.Equal(DateTimeOffset.Parse("2024-03-03T10:00:00Z"), tags[0].Created);
        Assert.Equal($"v1.0.0-{Sha7(s.Main1)}", tags[^1].Tag);

        var table = TagTable.Format(tags, []);
        Assert.Contains("[branch]", table);
        Assert.Matches($"v1.0.0-{Sha7(s.Branch2)} +[0-9a-f]{{12}} +1.0.0 +{Sha7(s.Branch2)} +2024-03-02 10:00 +\\[branch\\]", table);
        using var json = System.Text.Json.JsonDocument.Parse(TagTable.Json(tags));
        Assert.Contains(json.RootElement.GetProperty("tags").EnumerateArray(), t => t.GetProperty("mark").GetString() == "branch" && t.GetProperty("revision").GetString() == s.Branch2);
    }

    [Fact]
    public async Task A_shallow_clone_is_deepened_the_branch_commit_is_unknown_and_the_GitHub_compare_API_decides_it()
    {
        using var dir = new TempDir("release-clone");
        var clone = dir.Combine("mono");
        await ToolRunner.RunCheckedAsync(new ToolInvocation("git", ["clone", "-q", "--depth", "1", "--single-branch", "--branch", "main", "file://" + s.Repo.Root, clone]));
        var log = new List<string>();

        var local = (await ListAsync(clone, log: log)).ToDictionary(t => t.Tag);
        Assert.Contains(log, l => l.Contains("--unshallow", StringComparison.Ordinal));
        Assert.Equal(CommitMark.Main, local[$"v1.0.0-{Sha7(s.Main1)}"].Mark);   // only reachable after deepening
        Assert.Equal(CommitMark.Unknown, local[$"v1.0.0-{Sha7(s.Branch2)}"].Mark);

        using var github = new FakeGitHubApi(s.Repo.Root);
        var decided = (await ListAsync(clone, github.Url)).ToDictionary(t => t.Tag);
        Assert.Equal(CommitMark.Branch, decided[$"v1.0.0-{Sha7(s.Branch2)}"].Mark);
        Assert.Equal(CommitMark.Main, decided[$"v1.0.0-{Sha7(s.Squash)}"].Mark);
        // Only the commit git could not decide went to the API.
        Assert.Equal([$"/api/v3/repos/acme/mono/compare/main...{s.Branch2}"], github.Requests.ToArray());
    }

    [Fact]
    public async Task CheckManifests_fails_on_the_branch_tag_and_a_stale_digest_UpdateManifests_rewrites_only_the_image_lines_and_commits()
    {
        using var flow = Flow();
        var images = flow.Images(await s.PlanAsync());
        var branchTag = $"v1.0.0-{Sha7(s.Branch2)}";
        var mainTag = $"v1.0.0-{Sha7(s.Squash)}";
        var all = await flow.ListAsync(images, null, CancellationToken.None);
        var branchDigest = all.Single(t => t.Tag == branchTag).Digest;
        var mainDigest = all.Single(t => t.Tag == mainTag).Digest;
        var deployment = $"""
            # hello: the greeting service
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hello   # keep this name
            spec:
              template:
                spec:
                  containers:
                    - name: hello
                      image: "{s.HelloRepository}:{branchTag}"   # moved by UpdateManifests
                      args: [ "--port",   "8080" ]
                    - name: sidecar
                      image: registry.example.com/other/sidecar:1.2
            """.Replace("\n", "\r\n") + "\r\n";
        var pinned = $"- image: {s.HelloRepository}:{mainTag}@{branchDigest}\n";
        s.Repo.Write("deploy/hello.yaml", deployment);
        s.Repo.Write("k8s/pinned.yaml", pinned);
        s.Repo.Write("docs/not-a-manifest.yaml", $"image: {s.HelloRepository}:{branchTag}\n");
        s.Repo.Commit("manifests", DateTimeOffset.Parse("2024-03-04T10:00:00Z"));
        var files = Glob.Files(s.Repo.Root, Glob.DefaultPatterns.Split(','));
        Assert.Equal(["deploy/hello.yaml", "k8s/pinned.yaml"], files);

        var problems = await flow.CheckManifestsAsync(images, null, files, CancellationToken.None);
        var errors = problems.Where(p => p.IsError).Select(p => p.ToString()).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("deploy/hello.yaml:11: ", errors[0]);
        Assert.Contains($"built from commit {Sha7(s.Branch2)}, which is not on main", errors[0]);
        Assert.StartsWith("k8s/pinned.yaml:1: ", errors[1]);
        Assert.Contains("pinned digest is stale", errors[1]);

        var updates = await flow.UpdateManifestsAsync(images, null, files, pinDigest: false, commit: true, CancellationToken.None);
        var update = Assert.Single(updates);
        Assert.Equal(mainTag, update.Tag);
        Assert.Contains($"-          image: \"{s.HelloRepository}:{branchTag}\"   # moved by UpdateManifests", update.Files[0].Diff);
        Assert.Contains($"+          image: \"{s.HelloRepository}:{mainTag}\"   # moved by UpdateManifests", update.Files[0].Diff);
        // Byte-equal except the reference itself (CRLF line ends, comments, spacing all kept).
        Assert.Equal(Encoding.UTF8.GetBytes(deployment.Replace(branchTag, mainTag)), File.ReadAllBytes(Path.Combine(s.Repo.Root, "deploy/hello.yaml")));
        Assert.Equal($"- image: {s.HelloRepository}:{mainTag}@{mainDigest}\n", File.ReadAllText(Path.Combine(s.Repo.Root, "k8s/pinned.yaml")));
        Assert.Equal($"image: {s.HelloRepository}:{branchTag}\n", File.ReadAllText(Path.Combine(s.Repo.Root, "docs/not-a-manifest.yaml")));
        Assert.Equal($"Update hello to {mainTag}", s.Repo.Git("log", "-1", "--format=%s"));
        Assert.Equal("", s.Repo.Git("status", "--porcelain"));

        Assert.DoesNotContain(await flow.CheckManifestsAsync(images, null, files, CancellationToken.None), p => p.IsError);
        Assert.Empty(await flow.UpdateManifestsAsync(images, null, files, false, false, CancellationToken.None));
    }

    [Fact]
    public async Task Ref_of_an_old_main_commit_builds_that_commit_in_a_worktree_and_leaves_latest_alone()
    {
        var repo = new GitRepo(s.Repo.Root);
        var latestBefore = (await ListAsync()).Single(t => t.Tag == "latest").Digest;
        // An uncommitted change in the working tree must not leak into the --ref build.
        var message = Path.Combine(s.Repo.Root, "containers/hello/message.txt");
        var saved = File.ReadAllText(message);
        File.WriteAllText(message, "uncommitted\n");
        try
        {
            var (git, isTip) = await RefCommit.ResolveAsync(repo, Sha7(s.OldMain), "main", CancellationToken.None);
            Assert.False(isTip);
            Assert.Null(git.Branch);
            Assert.Equal(s.OldMain, git.Sha);
            Assert.Equal(DateTimeOffset.Parse("2024-01-01T10:00:00Z"), git.CommitTime);
            string worktreePath;
            await using (var worktree = await GitWorktree.CreateAsync(repo, git.Sha, CancellationToken.None))
            {
                worktreePath = worktree.Path;
                Assert.Equal("zero\n", File.ReadAllText(Path.Combine(worktree.Path, "containers/hello/message.txt")));
                await s.PushAsync(worktree.Path, git);
            }
            Assert.False(Directory.Exists(worktreePath));

            var tags = (await ListAsync()).ToDictionary(t => t.Tag);
            var rebuilt = tags[$"v1.0.0-{Sha7(s.OldMain)}"];
            Assert.Equal(s.OldMain, rebuilt.Revision);
            Assert.Equal(CommitMark.Main, rebuilt.Mark);
            Assert.Equal(DateTimeOffset.Parse("2024-01-01T10:00:00Z"), rebuilt.Created);
            Assert.Equal(latestBefore, tags["latest"].Digest);
            Assert.NotEqual(latestBefore, rebuilt.Digest);

            // The tip of main, named by branch, is the one --ref that moves latest.
            var (tip, tipIsMain) = await RefCommit.ResolveAsync(repo, "main", "main", CancellationToken.None);
            Assert.True(tipIsMain);
            Assert.Equal("main", tip.Branch);
        }
        finally
        {
            File.WriteAllText(message, saved);
        }
    }
}
