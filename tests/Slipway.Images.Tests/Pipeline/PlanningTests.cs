using Slipway.Images.Discovery;
using Slipway.Images.Pipeline;
using Slipway.Images.Tests.Support;

namespace Slipway.Images.Tests.Pipeline;

/// <summary>Planning on a real temporary monorepo: validation before any build, filters, git, routing.</summary>
public class PlanningTests
{
    private static readonly DateTimeOffset Date = DateTimeOffset.Parse("2024-03-04T05:06:07Z");

    [Fact]
    public async Task Invalid_names_and_versions_stop_the_run_before_any_build()
    {
        using var repo = new TestRepo();
        repo.AddImage("good");
        repo.AddImage("Bad_Name");
        repo.AddImage("badversion", version: "1.2");
        repo.Commit("init", Date);
        var method = new DirectoryImageMethod();
        await using var pipeline = Pipelines.Create(repo, method);

        var e = await Assert.ThrowsAsync<ImagePlanException>(() => pipeline.PushAsync());
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("containers/Bad_Name/image.ini") && p.Contains("'Bad_Name' is not a valid repository name"));
        Assert.Contains(e.Problems, p => p.Contains("containers/badversion/image.ini") && p.Contains("version '1.2' is not X.Y.Z"));
        Assert.Equal(0, method.Builds);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "artifacts", "images")));
    }

    [Fact]
    public async Task Tag_suffix_that_makes_an_invalid_tag_is_reported_with_its_file()
    {
        using var repo = new TestRepo();
        repo.AddImage("api", extraIni: "suffix=-bad!suffix\n");
        repo.Commit("init", Date);
        await using var pipeline = Pipelines.Create(repo, new DirectoryImageMethod());
        var e = await Assert.ThrowsAsync<ImagePlanException>(() => pipeline.PlanAsync());
        Assert.Contains("containers/api/image.ini", e.Message);
        Assert.Contains("is not a valid tag", e.Message);
    }

    [Fact]
    public async Task Images_filter_names_the_available_images_on_a_miss()
    {
        using var repo = new TestRepo();
        repo.AddImage("api");
        repo.AddImage("worker");
        repo.Commit("init", Date);
        await using var pipeline = Pipelines.Create(repo, new DirectoryImageMethod(), images: ["api", "nope"]);
        var e = await Assert.ThrowsAsync<ImageCatalogException>(() => pipeline.PlanAsync());
        Assert.Contains("Unknown image 'nope' in --images. Available images are: api, worker", e.Message);

        await using var filtered = Pipelines.Create(repo, new DirectoryImageMethod(), images: ["worker"]);
        Assert.Equal(["worker"], (await filtered.PlanAsync()).Images.Select(i => i.Name));
    }

    [Fact]
    public async Task Plan_table_shows_method_version_definition_tags_and_destination()
    {
        using var repo = new TestRepo();
        repo.AddImage("api");
        repo.AddImage("noversion", version: null);
        var sha = repo.Commit("init", Date);
        await using var pipeline = Pipelines.Create(repo, new DirectoryImageMethod());
        var plan = await pipeline.PlanAsync();
        var table = ImagePipeline.FormatTable(plan);
        Assert.Contains($"v1.2.3-{sha[..7]}, latest", table);
        Assert.Contains("containers/api/image.ini", table);
        Assert.Contains("oci:artifacts/images/api", table);
        Assert.Contains("0.0.0 (none declared)", table);
        Assert.Contains(plan.Notes, n => n.Contains("'noversion' declares no version") && n.Contains($"v0.0.0-{sha[..7]}"));
    }

    [Fact]
    public async Task Git_info_reads_sha_commit_time_branch_and_strips_remote_credentials()
    {
        using var repo = new TestRepo();
        repo.AddImage("api");
        var sha = repo.Commit("init", DateTimeOffset.Parse("2024-03-04T05:06:07+02:00"));
        repo.Git("remote", "add", "origin", "https://x-access-token:ghs_secret123@github.com/acme/mono.git");
        var git = await GitInfo.ReadAsync(repo.Root, new Dictionary<string, string?>());
        Assert.Equal(sha, git.Sha);
        Assert.Equal(sha[..7], git.ShortSha);
        Assert.Equal("2024-03-04T03:06:07Z", git.CreatedText);
        Assert.Equal("main", git.Branch);
        Assert.Equal("https://github.com/acme/mono", git.RemoteUrl);

        // CI checks out a detached HEAD and names the branch in its variables.
        repo.Git("checkout", "-q", "--detach");
        Assert.Equal("main", (await GitInfo.ReadAsync(repo.Root, new Dictionary<string, string?> { ["GITHUB_REF_NAME"] = "main" })).Branch);
        Assert.Equal("feat", (await GitInfo.ReadAsync(repo.Root, new Dictionary<string, string?> { ["CI_COMMIT_BRANCH"] = "feat" })).Branch);
        Assert.Null((await GitInfo.ReadAsync(repo.Root, new Dictionary<string, string?>())).Branch);
    }

    [Theory]
    [InlineData("https://user:token@gitlab.example.com/group/sub/repo.git", "https://gitlab.example.com/group/sub/repo")]
    [InlineData("git@github.com:acme/mono.git", "https://github.com/acme/mono")]
    [InlineData("ssh://git@github.com/acme/mono.git", "https://github.com/acme/mono")]
    [InlineData("https://github.com/acme/mono", "https://github.com/acme/mono")]
    [InlineData("https://git.example.com:8443/a/b.git", "https://git.example.com:8443/a/b")]
    [InlineData("/srv/git/mono.git", null)]
    public void Source_url_never_keeps_credentials(string remote, string? expected) => Assert.Equal(expected, GitInfo.SourceUrl(remote));

    [Fact]
    public async Task No_commit_is_a_clear_error_in_strict_mode_and_a_placeholder_otherwise()
    {
        using var repo = new TestRepo();
        repo.AddImage("api");
        var e = await Assert.ThrowsAsync<GitInfoException>(() => GitInfo.ReadAsync(repo.Root, new Dictionary<string, string?>()));
        Assert.Contains("git add -A && git commit", e.Message);

        await using var strict = Pipelines.Create(repo, new DirectoryImageMethod(), strict: true);
        var pe = await Assert.ThrowsAsync<ImagePlanException>(() => strict.PlanAsync());
        Assert.Contains("has no commit yet", pe.Message);

        await using var lenient = Pipelines.Create(repo, new DirectoryImageMethod(), strict: false);
        var plan = await lenient.PlanAsync();
        Assert.Equal(["v1.2.3-0000000"], plan.Images.Single().Tags);
        Assert.Contains(plan.Notes, n => n.Contains("placeholder commit 0000000"));

        using var plain = new Slipway.Testing.TempDir("nogit");
        var ne = await Assert.ThrowsAsync<GitInfoException>(() => GitInfo.ReadAsync(plain.Path, new Dictionary<string, string?>()));
        Assert.Contains("git init && git add -A && git commit", ne.Message);
    }

    [Fact]
    public async Task Strict_defaults_to_on_in_CI_and_a_missing_toolchain_fails_only_then()
    {
        using var repo = new TestRepo();
        repo.AddImage("api", extraIni: "tool=definitely-not-installed-tool\n");
        repo.AddImage("ok");
        repo.Commit("init", Date);

        await using (var lenient = Pipelines.Create(repo, new DirectoryImageMethod()))
        {
            var results = await lenient.PushAsync();
            var api = results.Single(r => r.Image.Name == "api");
            Assert.Equal(ImageStatus.Skipped, api.Status);
            Assert.Contains("apt-get install -y definitely-not-installed-tool", api.Reason);
            Assert.Equal(ImageStatus.Pushed, results.Single(r => r.Image.Name == "ok").Status);
            lenient.ThrowIfFailed();
        }
        await using (var ci = Pipelines.Create(repo, new DirectoryImageMethod(), environment: new Dictionary<string, string?> { ["CI"] = "true" }, registry: "oci:out"))
        {
            var results = await ci.PushAsync();
            Assert.Equal(ImageStatus.Failed, results.Single(r => r.Image.Name == "api").Status);
            var e = Assert.Throws<ImagePipelineException>(ci.ThrowIfFailed);
            Assert.Contains("image 'api' (containers/api/image.ini) cannot be built", e.Message);
            Assert.Contains("--strict", e.Message);
        }
    }
}
