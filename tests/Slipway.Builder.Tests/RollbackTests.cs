using Slipway.Builder.Store;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;

namespace Slipway.Builder.Tests;

/// <summary><c>slipway builder rollback</c> against a real registry: latest moves to the chosen version's digest.</summary>
[Collection(BuilderCollection.Name)]
public sealed class RollbackTests(BuilderServices services)
{
    [Fact]
    public async Task Rollback_points_latest_at_the_chosen_versions_digest_in_the_store_and_the_registry()
    {
        var db = await services.Postgres.CreateDatabaseAsync();
        using var work = new TempDir("rbwork");
        var repo = $"docker://{services.Registry.Host}/tenants/acme/rb-web";
        foreach (var (n, content) in new[] { (1, "first"), (2, "second") })
        {
            await services.SampleRepoAsync("rb-web", content); // a new commit, a new digest
            await using var run = BuilderProcess.Start(["builder", "run"], new Dictionary<string, string>
            {
                ["BUILD_JOB_ID"] = $"rb-{n}", ["REPO_CLONE_URL"] = services.Git.UrlOf("rb-web"), ["GITHUB_TOKEN"] = BuilderServices.GitToken,
                ["TENANT"] = "acme", ["SERVICE"] = "rb-web", ["BUILDER_REGISTRY"] = services.Registry.Host, ["BUILDER_POSTGRES"] = db,
                ["BUILDER_WORK_DIR"] = work.Path,
                ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1", ["BUILDER_GIT_TOKEN_HOSTS"] = "127.0.0.1", // the test git server is http on loopback
            });
            Assert.True(await run.WaitAsync(TimeSpan.FromMinutes(5)) == 0, run.AllOutput);
        }
        var (one, two) = (await Skopeo.DigestAsync($"{repo}:1"), await Skopeo.DigestAsync($"{repo}:2"));
        Assert.NotEqual(one, two);
        Assert.Equal(two, await Skopeo.DigestAsync($"{repo}:latest"));

        await using (var rollback = BuilderProcess.Start(["builder", "rollback", "--postgres", db, "--registry", services.Registry.Host, "acme", "rb-web", "1"]))
        {
            Assert.True(await rollback.WaitAsync(TimeSpan.FromMinutes(2)) == 0, rollback.AllOutput);
            Assert.Contains($"acme/rb-web: latest is version 1 ({services.Registry.Host}/tenants/acme/rb-web:1, {one})", rollback.AllOutput);
        }
        Assert.Equal(one, await Skopeo.DigestAsync($"{repo}:latest"));
        Assert.Equal(two, await Skopeo.DigestAsync($"{repo}:2")); // the other versions stay where they are
        await using (var store = await BuildStore.OpenAsync(db, default))
            Assert.Equal(1, Assert.Single(await store.VersionsAsync("acme", "rb-web", default), v => v.Latest).Version);

        // A version that does not exist: one line, exit 1, latest untouched.
        await using (var missing = BuilderProcess.Start(["builder", "rollback", "--postgres", db, "--registry", services.Registry.Host, "acme", "rb-web", "9"]))
        {
            Assert.Equal(1, await missing.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("rollback failed:", missing.AllOutput);
        }
        Assert.Equal(one, await Skopeo.DigestAsync($"{repo}:latest"));
    }
}
