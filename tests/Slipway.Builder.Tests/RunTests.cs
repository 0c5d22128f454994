using Slipway.Builder.Callbacks;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;

namespace Slipway.Builder.Tests;

/// <summary><c>slipway builder run</c> as the builder container runs it: a child process configured by environment only.</summary>
[Collection(BuilderCollection.Name)]
public sealed class RunTests(BuilderServices services)
{
    private Dictionary<string, string> Env(string id, string repo, string secret, string callbackUrl, string workDir, string db) => new()
    {
        ["BUILD_JOB_ID"] = id,
        // The token arrives in the clone URL, as some platforms send it; it must be moved out before git runs.
        ["REPO_CLONE_URL"] = services.Git.UrlOf(repo).Replace("http://", $"http://x-access-token:{BuilderServices.GitToken}@"),
        ["REPO_REF"] = "main",
        ["TENANT"] = "acme",
        ["SERVICE"] = repo,
        ["CALLBACK_URL"] = callbackUrl,
        ["CALLBACK_SECRET"] = secret,
        ["BUILDER_REGISTRY"] = services.Registry.Host,
        ["BUILDER_POSTGRES"] = db,
        ["BUILDER_WORK_DIR"] = workDir,
        ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1",
        ["BUILDER_GIT_TOKEN_HOSTS"] = "127.0.0.1",
    };

    [Fact]
    public async Task Builds_pushes_by_digest_tags_the_next_version_and_calls_back_without_leaking_the_token()
    {
        var commit = await services.SampleRepoAsync("run-ok");
        var secret = WebhookSigner.NewSecret();
        await using var receiver = new CallbackReceiver(secret);
        using var work = new TempDir("runwork");
        var db = await services.Postgres.CreateDatabaseAsync();

        for (var n = 1; n <= 2; n++)
        {
            await using var run = BuilderProcess.Start(["builder", "run"], Env($"run-ok-{n}", "run-ok", secret, receiver.Url, work.Path, db));
            using var watching = new CancellationTokenSource();
            var cmdlines = Leaks.WatchCommandLinesAsync(run.Descendants, watching.Token);
            var exit = await run.WaitAsync(TimeSpan.FromMinutes(5));
            watching.Cancel();
            Assert.True(exit == 0, run.AllOutput);
            Assert.Contains($"{services.Registry.Host}/tenants/acme/run-ok:{n}", run.AllOutput);
            var seen = await cmdlines;
            Assert.Contains(seen, c => c.Contains("git") && c.Contains("fetch")); // the watcher did see the children
            Leaks.AssertAbsent(BuilderServices.GitToken, seen, "a child's command line");
            Leaks.AssertAbsent(BuilderServices.GitToken, run.Output, "the build log");
        }

        var calls = receiver.For("run-ok-1");
        Assert.Equal(["RUNNING", "SUCCEEDED"], calls.Select(c => c.Status));
        var done = calls[^1];
        Assert.Equal(1, done.Version);
        Assert.Equal(commit, done.Commit);
        Assert.Equal(await Skopeo.DigestAsync($"docker://{services.Registry.Host}/tenants/acme/run-ok:1"), done.Digest);
        Assert.Equal(2, receiver.For("run-ok-2")[^1].Version);
        Assert.Equal(await Skopeo.DigestAsync($"docker://{services.Registry.Host}/tenants/acme/run-ok:2"), await Skopeo.DigestAsync($"docker://{services.Registry.Host}/tenants/acme/run-ok:latest"));
        Assert.Empty(receiver.Rejections);
        Leaks.AssertAbsent(BuilderServices.GitToken, receiver.Bodies, "a callback body");
        Leaks.AssertAbsentInTree(BuilderServices.GitToken, services.Registry.StorageDirectory);
        Leaks.AssertAbsent(BuilderServices.GitToken, services.Git.RequestedUrls, "a requested URL");
        Assert.Empty(Directory.GetFileSystemEntries(work.Path)); // workspace, checkout and buildah storage are gone
    }

    [Fact]
    public async Task A_failing_build_reports_the_step_and_the_log_tail_as_final()
    {
        await services.Git.CreateRepositoryAsync("run-bad", new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\nCOPY missing.txt /x\n" });
        var secret = WebhookSigner.NewSecret();
        await using var receiver = new CallbackReceiver(secret);
        using var work = new TempDir("runwork");
        await using var run = BuilderProcess.Start(["builder", "run"], Env("run-bad-1", "run-bad", secret, receiver.Url, work.Path, await services.Postgres.CreateDatabaseAsync()));
        var exit = await run.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(exit == 1, $"exit {exit}: {run.AllOutput}");
        var failed = receiver.For("run-bad-1")[^1];
        Assert.Equal("FAILED", failed.Status);
        Assert.Equal("build", failed.FailedStep);
        Assert.True(failed.Final);
        Assert.NotEmpty(failed.LogTail!);
        Assert.True(failed.LogTail!.Count <= 50);
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    [Fact]
    public async Task Missing_configuration_is_one_line_naming_the_variable()
    {
        await using var run = BuilderProcess.Start(["builder", "run"], new Dictionary<string, string> { ["BUILD_JOB_ID"] = "x", ["REPO_CLONE_URL"] = "" });
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("REPO_CLONE_URL is not set; set it to the repository's https clone URL", run.AllOutput);
    }
}
