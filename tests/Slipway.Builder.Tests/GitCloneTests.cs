using Slipway.Builder.Git;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

[Collection(BuilderCollection.Name)]
public sealed class GitCloneTests(BuilderServices services)
{
    [Fact]
    public async Task Clones_exactly_the_ref_with_the_token_in_a_header_only()
    {
        var first = await services.SampleRepoAsync("clone-a", "one");
        var second = await services.Git.AddCommitAsync("clone-a", new Dictionary<string, string> { ["hello.txt"] = "two\n" });
        using var dir = new TempDir("clone");
        var lines = new List<string>();
        var result = await new GitCloner().CloneAsync(services.Git.UrlOf("clone-a"), first, new Secret(BuilderServices.GitToken), dir.Combine("src"), lines.Add, default);

        Assert.Equal(first, result.Commit);
        Assert.Equal("one\n", File.ReadAllText(dir.Combine("src", "hello.txt")));
        var config = File.ReadAllText(dir.Combine("src", ".git", "config"));
        Assert.DoesNotContain(BuilderServices.GitToken, config);
        Assert.DoesNotContain("extraHeader", config, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(services.Git.RequestedUrls, u => u.Contains(BuilderServices.GitToken));
        Assert.DoesNotContain(lines, l => l.Contains(BuilderServices.GitToken));
        // Shallow: the one commit only, not its newer sibling nor history.
        var count = await ToolRunner.RunCheckedAsync(new ToolInvocation("git", ["-C", dir.Combine("src"), "rev-list", "--count", "--all"]) { CaptureStandardOutput = true });
        Assert.Equal("1", count.StandardOutput.Trim());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Credentials_in_the_clone_url_are_moved_out_before_git_runs()
    {
        await services.SampleRepoAsync("clone-b");
        var url = services.Git.UrlOf("clone-b").Replace("http://", $"http://x-access-token:{BuilderServices.GitToken}@");
        using var dir = new TempDir("clone");
        var result = await new GitCloner().CloneAsync(url, "main", null, dir.Combine("src"), _ => { }, default);
        Assert.Equal(40, result.Commit.Length);
        Assert.DoesNotContain(BuilderServices.GitToken, File.ReadAllText(dir.Combine("src", ".git", "config")));
        Assert.Equal((services.Git.UrlOf("clone-b"), BuilderServices.GitToken), (CloneUrl.Split(url).Url, CloneUrl.Split(url).Token!.Reveal()));
    }

    [Fact]
    public async Task Without_the_token_the_server_refuses_and_the_failure_is_permanent_and_redacted()
    {
        await services.SampleRepoAsync("clone-c");
        using var dir = new TempDir("clone");
        var e = await Assert.ThrowsAsync<StepFailure>(() => new GitCloner().CloneAsync(services.Git.UrlOf("clone-c"), "main", new Secret("ghs_wrong_token_value"), dir.Combine("src"), _ => { }, default));
        Assert.Equal("clone", e.Step);
        Assert.Equal(FailureClass.Permanent, e.Class);
        Assert.DoesNotContain("ghs_wrong_token_value", e.Message + string.Join('\n', e.LogTail));
        Assert.NotEmpty(services.Git.Refusals);
    }

    [Fact]
    public async Task A_missing_ref_is_permanent_and_a_server_outage_is_transient()
    {
        await services.SampleRepoAsync("clone-d");
        using var dir = new TempDir("clone");
        var missing = await Assert.ThrowsAsync<StepFailure>(() => new GitCloner().CloneAsync(services.Git.UrlOf("clone-d"), "no-such-branch", new Secret(BuilderServices.GitToken), dir.Combine("a"), _ => { }, default));
        Assert.Equal(FailureClass.Permanent, missing.Class);
        Assert.Contains("no-such-branch", missing.Message);
        var down = await Assert.ThrowsAsync<StepFailure>(() => new GitCloner().CloneAsync($"http://127.0.0.1:{FreePort.Next()}/gone.git", "main", null, dir.Combine("b"), _ => { }, default));
        Assert.Equal(FailureClass.Transient, down.Class);
    }
}
