using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary>A repository with a Dockerfile at its root directory is built from it (buildah, local bases).</summary>
public sealed class DockerfilePathTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    [Fact]
    public async Task A_repository_with_a_Dockerfile_builds_from_it_on_a_local_base_and_runs()
    {
        await fixture.BasesAsync("busybox");
        using var repo = new TempDir("srcdf");
        repo.Write("service/Dockerfile", "FROM busybox AS build\nCOPY message.txt /m\nRUN tr a-z A-Z < /m > /shout\nFROM busybox\nCOPY --from=build /shout /shout\nCMD [\"cat\", \"/shout\"]\n");
        repo.Write("service/message.txt", "hello from a dockerfile\n");
        foreach (var args in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["commit", "-q", "-m", "init"] })
            await ToolRunner.RunCheckedAsync(new ToolInvocation("git", ["-C", repo.Path, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]));
        var sha = (await ToolRunner.RunCheckedAsync(new ToolInvocation("git", ["-C", repo.Path, "rev-parse", "HEAD"]) { CaptureStandardOutput = true })).StandardOutput.Trim();
        var builder = new SourceImageBuilder(fixture.Options);
        var request = fixture.Request(repo.Path, output.WriteLine) with { RootDirectory = "service" };

        var outcome = await builder.BuildAsync(request, default);
        Assert.Equal("dockerfile service/Dockerfile (buildah)", outcome.Method);
        Assert.Equal("HELLO FROM A DOCKERFILE", (await fixture.RunAsync(outcome.Image)).Trim());
        var labels = SourceFixture.Config(outcome.Image).Config!.Labels!;
        Assert.Equal("dockerfile", labels["dev.slipway.source.provider"]);
        Assert.Equal(sha, labels["org.opencontainers.image.revision"]);
        Assert.Equal("2023-11-14T22:13:20Z", labels["org.opencontainers.image.created"]);
        Assert.Equal("dockerfile", outcome.Image.Manifest.Annotations!["dev.slipway.source.provider"]);

        var again = await builder.BuildAsync(fixture.Request(repo.Path, output.WriteLine) with { RootDirectory = "service" }, default);
        Assert.Equal(outcome.Image.Digest, again.Image.Digest);
    }

    [Fact]
    public async Task A_failing_Dockerfile_step_is_a_permanent_build_failure_with_its_last_lines()
    {
        await fixture.BasesAsync("busybox");
        using var repo = new TempDir("srcdfbad");
        repo.Write("Dockerfile", "FROM busybox\nRUN echo about to fail && exit 3\n");
        var e = await Assert.ThrowsAsync<StepFailure>(() => new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(repo.Path, output.WriteLine), default));
        output.WriteLine(e.Message);
        Assert.Equal("build", e.Step);
        Assert.Equal(FailureClass.Permanent, e.Class);
        Assert.Contains("Dockerfile:2", e.Message);
        Assert.Contains(e.LogTail, l => l.Contains("about to fail"));
    }

    [Fact]
    public async Task A_root_directory_outside_the_repository_is_refused()
    {
        using var repo = new TempDir("srcdfout");
        var e = await Assert.ThrowsAsync<StepFailure>(() => new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(repo.Path, output.WriteLine) with { RootDirectory = "../x" }, default));
        Assert.Contains("leaves the repository", e.Message);
    }
}
