using Slipway.Builder.Store;
using Slipway.Builder.Tests.Support;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

[Collection(BuilderCollection.Name)]
public sealed class StoreTests(BuilderServices services)
{
    [Fact]
    public async Task Migrations_apply_once_even_when_workers_start_together()
    {
        var conn = await services.Postgres.CreateDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => BuildStore.OpenAsync(conn, default)));
        foreach (var s in stores) await s.DisposeAsync();
        await using var again = await BuildStore.OpenAsync(conn, default);
        Assert.True(await again.PingAsync(default));
    }

    [Fact]
    public async Task Concurrent_allocation_gives_each_build_one_number_without_gaps()
    {
        await using var store = await BuildStore.OpenAsync(await services.Postgres.CreateDatabaseAsync(), default);
        var builds = Enumerable.Range(1, 30).Select(i => $"b{i}").ToList();
        foreach (var b in builds) await store.EnsureAsync(b, "acme", "web", "https://example.com/r.git", null, 3, default);
        // Every build allocates twice at once (a redelivery racing the original): still one number per build.
        var versions = await Task.WhenAll(builds.Concat(builds).Select(b => Task.Run(() =>
            store.AllocateVersionAsync(b, "acme", "web", "sha256:" + new string('a', 64), "c0ffee", n => $"r/acme/web:{n}", default))));
        var byBuild = versions.GroupBy(v => v.BuildId).ToDictionary(g => g.Key, g => g.Select(v => v.Version).Distinct().ToList());
        Assert.All(byBuild.Values, v => Assert.Single(v));
        Assert.Equal(Enumerable.Range(1, 30), byBuild.Values.Select(v => v[0]).Order());
        var history = await store.VersionsAsync("acme", "web", default);
        Assert.Equal(30, history.Count);
        Assert.True(history[0].Latest);
        Assert.Equal(30, history[0].Version);
    }

    [Fact]
    public async Task Rollback_points_latest_at_an_existing_version_and_names_the_valid_ones_otherwise()
    {
        await using var store = await BuildStore.OpenAsync(await services.Postgres.CreateDatabaseAsync(), default);
        foreach (var i in new[] { 1, 2, 3 })
        {
            await store.EnsureAsync($"r{i}", "t", "api", "https://example.com/r.git", null, 3, default);
            await store.AllocateVersionAsync($"r{i}", "t", "api", "sha256:" + new string((char)('a' + i), 64), null, n => $"img:{n}", default);
        }
        await store.SetLatestAsync("t", "api", 2, default);
        var versions = await store.VersionsAsync("t", "api", default);
        Assert.Equal(2, versions.Single(v => v.Latest).Version);
        var e = await Assert.ThrowsAsync<StepFailure>(() => store.SetLatestAsync("t", "api", 7, default));
        Assert.Equal("t/api has no version 7; valid versions: 1, 2, 3", e.Message);
        // A new build after a rollback still gets the next number (numbers are never reused).
        await store.EnsureAsync("r4", "t", "api", "https://example.com/r.git", null, 3, default);
        Assert.Equal(4, (await store.AllocateVersionAsync("r4", "t", "api", "sha256:" + new string('f', 64), null, n => $"img:{n}", default)).Version);
    }

    [Fact]
    public async Task Claim_reports_success_and_an_already_allocated_version()
    {
        await using var store = await BuildStore.OpenAsync(await services.Postgres.CreateDatabaseAsync(), default);
        await store.EnsureAsync("x", "t", "s", "https://example.com/r.git", "main", 3, default);
        var first = await store.ClaimAsync("x", 1, "w1", default);
        Assert.Equal(BuildStatus.Running, first.Build.Status);
        Assert.Null(first.Allocated);
        await store.AllocateVersionAsync("x", "t", "s", "sha256:" + new string('b', 64), "abc", n => $"img:{n}", default);
        var second = await store.ClaimAsync("x", 1, "w2", default);
        Assert.Equal(1, second.Allocated!.Version);
        await store.MarkSucceededAsync("x", 1, "img:1", "sha256:" + new string('b', 64), "abc", 1, default);
        var third = await store.ClaimAsync("x", 2, "w3", default);
        Assert.Equal(BuildStatus.Succeeded, third.Build.Status);
        Assert.Equal(1, third.Build.Attempt);
    }
}
