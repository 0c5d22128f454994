using Npgsql;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Executors;
using Slipway.Builder.Model;
using Slipway.Builder.Running;
using Slipway.Builder.Store;
using Slipway.Builder.Tests.Support;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

/// <summary>
/// Every failure path ends the build FAILED with its callback (issue 17): faults injected into one attempt run by
/// the real coordinator against real PostgreSQL and a real callback receiver. Before, an executor that threw or a
/// store write that failed left the build RUNNING with no callback.
/// </summary>
[Collection(BuilderCollection.Name)]
public sealed class CoordinatorFailureTests(BuilderServices services)
{
    private readonly string _secret = WebhookSigner.NewSecret();

    /// <summary>Fault injection, not a stand-in: an executor doing what the test tells it.</summary>
    private sealed class ScriptedExecutor(Func<BuildSpec, Action<string>, CancellationToken, Task<BuildResult>> run) : IExecutor
    {
        public string Name => "scripted";
        public Task<BuildResult> RunAsync(BuildSpec spec, Action<string> log, CancellationToken cancellationToken) => run(spec, log, cancellationToken);
    }

    private BuildSpec Spec(string id, CallbackReceiver receiver) => new()
    {
        BuildId = id, RepoCloneUrl = "https://git.example/acme/web.git", Ref = "main", Tenant = "acme", Service = "web",
        CallbackUrl = receiver.Url, CallbackSecret = new Secret(_secret),
    };

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task An_executor_that_throws_a_store_write_that_fails_and_a_step_past_its_deadline_all_end_FAILED_with_a_callback()
    {
        var db = await services.Postgres.CreateDatabaseAsync();
        await using var store = await BuildStore.OpenAsync(db, default);
        await using var receiver = new CallbackReceiver(_secret);
        using var http = new HttpClient();
        var lines = new List<string>();
        BuildCoordinator Coordinator(IExecutor e, TimeSpan? timeout = null) => new(e, store, services.Registry.Host, new CallbackSender(http), "test", timeout);

        // 1. The executor throws (a bug).
        var throws = new ScriptedExecutor((_, _, _) => throw new InvalidOperationException("injected executor bug"));
        var r1 = Assert.IsType<BuildResult.Failed>(await Coordinator(throws).RunAsync(Spec("throw-1", receiver), 3, lines.Add, default));
        Assert.Equal(("worker", FailureClass.Permanent, true), (r1.Step, r1.Class, r1.Final));
        var cb1 = await receiver.WaitForAsync("throw-1", p => p.Status == "FAILED", TimeSpan.FromMinutes(1));
        Assert.Contains("injected executor bug", cb1.Error);
        Assert.Equal(BuildStatus.Failed, (await store.GetAsync("throw-1", default))!.Status);

        // 2. The build succeeds but recording its version fails (the versions table is gone): no RUNNING left behind.
        var digest = "sha256:" + new string('b', 64);
        var breaksStore = new ScriptedExecutor(async (spec, _, _) =>
        {
            await ExecAsync(db, "alter table versions rename to versions_away");
            return new BuildResult.Succeeded(spec.BuildId, new PublishedImage($"{services.Registry.Host}/tenants/acme/web", null, digest), "c0ffee");
        });
        try
        {
            var r2 = Assert.IsType<BuildResult.Failed>(await Coordinator(breaksStore).RunAsync(Spec("store-1", receiver), 3, lines.Add, default));
            Assert.Equal("worker", r2.Step);
            Assert.Contains("versions", r2.Message);
        }
        finally { await ExecAsync(db, "alter table versions_away rename to versions"); }
        await receiver.WaitForAsync("store-1", p => p.Status == "FAILED", TimeSpan.FromMinutes(1));
        Assert.Equal(BuildStatus.Failed, (await store.GetAsync("store-1", default))!.Status);

        // 3. A step that never ends: cancelled at the deadline, FAILED as timeout.
        var hangs = new ScriptedExecutor(async (spec, log, ct) =>
        {
            log("step started\0with a NUL and " + new string('x', 10_000));
            await Task.Delay(Timeout.Infinite, ct);
            return new BuildResult.Failed(spec.BuildId, "build", FailureClass.Permanent, "unreachable", []);
        });
        var r3 = Assert.IsType<BuildResult.Failed>(await Coordinator(hangs, TimeSpan.FromSeconds(1)).RunAsync(Spec("hang-1", receiver), 3, lines.Add, default));
        Assert.Equal(("timeout", true), (r3.Step, r3.Final));
        var cb3 = await receiver.WaitForAsync("hang-1", p => p.Status == "FAILED", TimeSpan.FromMinutes(1));
        Assert.Equal("timeout", cb3.FailedStep);
        var stored = (await store.GetAsync("hang-1", default))!;
        Assert.Equal((BuildStatus.Failed, "timeout"), (stored.Status, stored.FailedStep));
        // Its log line was cleaned (NUL) and cut, in the store and in the callback.
        Assert.Contains(stored.LogTail, l => l.StartsWith("step started\uFFFDwith a NUL") && l.Length < LogLines.MaxLineChars + 100);
        Assert.Contains(cb3.LogTail!, l => l.StartsWith("step started\uFFFDwith a NUL") && l.Length < LogLines.MaxLineChars + 100);
        Assert.All(lines, l => Assert.DoesNotContain('\0', l));
    }

    [Fact]
    public void Log_lines_are_cleaned_and_cut_and_the_tail_is_capped_in_lines_and_bytes()
    {
        Assert.Equal("a\uFFFDb\tc", LogLines.Clean("a\0b\tc"));
        Assert.Equal("x\uFFFDy", LogLines.Clean("x\uD800y")); // a lone surrogate is not valid UTF-8 either
        Assert.Equal("ok 😀", LogLines.Clean("ok 😀"));
        var cut = LogLines.Clean(new string('z', 50_000));
        Assert.StartsWith(new string('z', LogLines.MaxLineChars), cut);
        Assert.EndsWith("(48000 more characters cut)", cut);
        var tail = LogLines.Tail(Enumerable.Range(0, 500).Select(i => i + new string('y', 1500)));
        Assert.True(tail.Count <= LogLines.TailLines);
        Assert.True(tail.Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1) <= LogLines.TailBytes);
        Assert.StartsWith("499", tail[^1]);
        Assert.Equal(TimeSpan.FromMinutes(90), Durations.TryParse("1h30m"));
        Assert.Equal(TimeSpan.FromSeconds(45), Durations.TryParse("45"));
        Assert.Null(Durations.TryParse("soon"));
        Assert.Equal("30m", Durations.Format(BuildCoordinator.DefaultBuildTimeout));
    }
}
