using Slipway.Engine.Execution;
using Slipway.Engine.Planning;

namespace Slipway.Engine.Tests;

public class TargetExecutorTests
{
    [Fact]
    public async Task Failure_stops_what_follows_but_assured_and_proceeding_targets_run()
    {
        var ran = new List<string>();
        var a = new TargetDefinition("A"); a.Executes(() => ran.Add("A"));
        var b = new TargetDefinition("B").DependsOn("A"); b.Executes(() => throw new InvalidOperationException("boom"));
        var c = new TargetDefinition("C").DependsOn("B"); c.Executes(() => ran.Add("C"));
        var d = new TargetDefinition("D").After("B").TriggeredBy("B"); d.AssuredAfterFailure().Executes(() => ran.Add("D"));
        var plan = ExecutionPlanner.Plan([a, b, c, d], ["C"], null);
        var executor = new TargetExecutor(plan);
        Assert.False(await executor.RunAsync(default));
        Assert.Equal(["A", "D"], ran);
        var status = executor.Results.ToDictionary(r => r.Name, r => r.Status);
        Assert.Equal(TargetStatus.Failed, status["B"]);
        Assert.Equal(TargetStatus.NotRun, status["C"]);
        Assert.Equal(TargetStatus.Succeeded, status["D"]);
    }

    [Fact]
    public async Task Conditions_skip_with_their_source_text_and_collectives_are_marked()
    {
        var flag = false;
        var a = new TargetDefinition("A"); a.OnlyWhenDynamic(() => flag).Executes(() => { });
        var group = new TargetDefinition("All").DependsOn("A");
        var executor = new TargetExecutor(ExecutionPlanner.Plan([a, group], ["All"], null));
        Assert.True(await executor.RunAsync(default));
        Assert.Equal("condition false: flag", executor.Results[0].Reason);
        Assert.Equal(TargetStatus.Collective, executor.Results[1].Status);
    }

    [Fact]
    public async Task Independent_targets_run_at_the_same_time_with_parallel()
    {
        var gate = new TaskCompletionSource();
        var a = new TargetDefinition("A"); a.Executes(async () => await gate.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var b = new TargetDefinition("B"); b.Executes(() => gate.SetResult());
        var executor = new TargetExecutor(ExecutionPlanner.Plan([a, b], ["A", "B"], null), parallelism: 2);
        Assert.True(await executor.RunAsync(default)); // A only finishes because B ran while A waited
    }

    [Fact]
    public void Requirements_are_checked_before_anything_runs()
    {
        string? registry = null;
        var a = new TargetDefinition("Push");
        a.Requires(() => registry).Requires(new ToolRequirement("definitely-not-a-tool-xyz", "apt-get install -y xyz"));
        var problems = TargetExecutor.CheckRequirements(ExecutionPlanner.Plan([a], ["Push"], null));
        Assert.Contains(problems, p => p.Contains("--registry"));
        Assert.Contains(problems, p => p.Contains("apt-get install -y xyz"));
    }

    [Fact]
    public async Task Cancellation_aborts_the_running_target_and_still_runs_assured_ones()
    {
        using var cts = new CancellationTokenSource();
        var a = new TargetDefinition("Long"); a.Executes(async ct => { cts.Cancel(); await Task.Delay(10_000, ct); });
        var b = new TargetDefinition("Cleanup").TriggeredBy("Long"); b.AssuredAfterFailure().Executes(() => { });
        var executor = new TargetExecutor(ExecutionPlanner.Plan([a, b], ["Long"], null));
        Assert.False(await executor.RunAsync(cts.Token));
        Assert.Equal(TargetStatus.Aborted, executor.Results[0].Status);
        Assert.Equal(TargetStatus.Succeeded, executor.Results[1].Status);
    }

    [Fact]
    public async Task A_statically_skipped_target_still_runs_its_dependencies_unless_it_says_WhenSkipped_Skip()
    {
        // C -> B -> A, B's static condition is false: Nuke's default runs A and C; WhenSkipped(Skip) runs only C.
        async Task<List<string>> Run(DependencyBehavior? behavior)
        {
            var ran = new List<string>();
            TargetDefinition Def(string n) { var d = new TargetDefinition(n); d.Executes(() => ran.Add(n)); return d; }
            var a = Def("A");
            var b = Def("B").DependsOn("A"); b.OnlyWhenStatic(() => false);
            if (behavior is { } db) b.WhenSkipped(db);
            var c = Def("C").DependsOn("B");
            var executor = new TargetExecutor(ExecutionPlanner.Plan([a, b, c], ["C"], null));
            Assert.True(await executor.RunAsync(default));
            Assert.Equal((TargetStatus.Skipped, "condition false: false"), (executor.Results[1].Status, executor.Results[1].Reason));
            return ran;
        }
        Assert.Equal(["A", "C"], await Run(null));
        Assert.Equal(["A", "C"], await Run(DependencyBehavior.Execute));
        Assert.Equal(["C"], await Run(DependencyBehavior.Skip));
    }

    [Fact]
    public void A_skip_via_the_command_line_cascades_only_with_WhenSkipped_Skip()
    {
        var a = new TargetDefinition("A"); a.Executes(() => { });
        var b = new TargetDefinition("B").DependsOn("A"); b.Executes(() => { });
        var c = new TargetDefinition("C").DependsOn("B"); c.Executes(() => { });
        string? Reason(string name) => TargetExecutor.ApplyStaticConditions(ExecutionPlanner.Plan([a, b, c], ["C"], null, ["B"])).Targets.Single(t => t.Name == name).SkipReason;
        Assert.Null(Reason("A"));
        b.WhenSkipped(DependencyBehavior.Skip);
        Assert.Equal("only needed by skipped B", Reason("A"));
    }

    [Fact]
    public async Task A_static_skip_with_WhenSkipped_Skip_also_skips_what_only_the_skipped_target_needed()
    {
        var ran = new List<string>();
        TargetDefinition Def(string n) { var d = new TargetDefinition(n); d.Executes(() => { lock (ran) ran.Add(n); }); return d; }
        var restore = Def("Restore");
        var pack = Def("Pack").DependsOn("Restore");
        var sign = Def("Sign").TriggeredBy("Publish");
        var publish = Def("Publish").DependsOn("Pack", "Restore"); publish.OnlyWhenStatic(() => false == true).WhenSkipped(DependencyBehavior.Skip);
        var test = Def("Test").DependsOn("Restore");
        var plan = TargetExecutor.ApplyStaticConditions(ExecutionPlanner.Plan([restore, pack, sign, publish, test], ["Publish", "Test"], null));
        var reasons = plan.Targets.ToDictionary(t => t.Name, t => t.SkipReason);
        Assert.Equal("condition false: false == true", reasons["Publish"]);
        Assert.Equal("only needed by skipped Publish", reasons["Pack"]);
        Assert.Equal("only needed by skipped Publish", reasons["Sign"]);
        Assert.Null(reasons["Restore"]); // Test still needs it
        var executor = new TargetExecutor(plan);
        Assert.True(await executor.RunAsync(default));
        Assert.Equal(["Restore", "Test"], ran);
    }

    [Fact]
    public void Requirements_of_statically_skipped_targets_are_not_checked()
    {
        string? registry = null;
        var push = new TargetDefinition("Push");
        push.OnlyWhenStatic(() => registry != null).Requires(() => registry);
        Assert.Empty(TargetExecutor.CheckRequirements(ExecutionPlanner.Plan([push], ["Push"], null)));
    }

    [Fact]
    public async Task After_a_failure_the_rest_is_NotRun_with_the_failed_target_named()
    {
        var a = new TargetDefinition("A"); a.Executes(() => throw new InvalidOperationException("first line\nsecond"));
        var b = new TargetDefinition("B").After("A"); b.Executes(() => { });
        var executor = new TargetExecutor(ExecutionPlanner.Plan([a, b], ["A", "B"], null));
        Assert.False(await executor.RunAsync(default));
        Assert.Equal("first line", executor.Results[0].Reason);
        Assert.Equal((TargetStatus.NotRun, "A failed"), (executor.Results[1].Status, executor.Results[1].Reason));
        var table = Output.Summary.Render(executor.Results, TimeSpan.FromSeconds(1));
        Assert.Contains(table, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^B\s+NotRun\s+A failed$"));
        Assert.Equal("Build failed", table[^1][..12]);
    }
}
