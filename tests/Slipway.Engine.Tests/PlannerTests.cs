using Slipway.Engine.Planning;

namespace Slipway.Engine.Tests;

public class PlannerTests
{
    private static TargetDefinition T(string name) => new(name);

    [Fact]
    public void Orders_dependencies_triggers_and_after_before()
    {
        var all = new List<TargetDefinition>
        {
            T("Push").DependsOn("Build"),
            T("Build").DependsOn("Restore").After("Clean"),
            T("Restore"),
            T("Clean").Before("Restore"),
            T("Notify").TriggeredBy("Push"),
            T("Unrelated"),
        };
        var plan = ExecutionPlanner.Plan(all, ["push"], null);
        Assert.Equal(["Restore", "Build", "Push", "Notify"], plan.Targets.Select(t => t.Name));
        var withClean = ExecutionPlanner.Plan(all, ["Push", "Clean"], null);
        Assert.Equal(["Clean", "Restore", "Build", "Push", "Notify"], withClean.Targets.Select(t => t.Name));
    }

    [Fact]
    public void DependentFor_adds_the_reverse_dependency()
    {
        var all = new List<TargetDefinition> { T("Test"), T("Lint").DependentFor("Test") };
        Assert.Equal(["Lint", "Test"], ExecutionPlanner.Plan(all, ["Test"], null).Targets.Select(t => t.Name));
    }

    [Fact]
    public void A_cycle_fails_naming_its_targets()
    {
        var all = new List<TargetDefinition> { T("A").DependsOn("B"), T("B").DependsOn("C"), T("C").DependsOn("A") };
        var e = Assert.Throws<PlanningException>(() => ExecutionPlanner.Plan(all, ["A"], null));
        Assert.Contains("cycle", e.Message);
        foreach (var n in new[] { "A", "B", "C" }) Assert.Contains(n, e.Message);
        Assert.Matches("[ABC] -> [ABC] -> [ABC] -> [ABC]", e.Message);
    }

    [Fact]
    public void Duplicate_names_fail_even_when_they_differ_only_in_case_or_dashes()
    {
        var e = Assert.Throws<PlanningException>(() => ExecutionPlanner.Plan([T("PushImages"), T("Push-images")], ["PushImages"], null));
        Assert.Contains("unique", e.Message);
    }

    [Fact]
    public void Names_match_ignoring_case_and_dashes_and_unknown_ones_list_the_available()
    {
        var all = new List<TargetDefinition> { T("PushImages"), T("Compile"), new TargetDefinition("Hidden") };
        all[2].Unlisted();
        Assert.Equal("PushImages", ExecutionPlanner.Plan(all, ["push-images"], null).Targets.Single().Name);
        var e = Assert.Throws<PlanningException>(() => ExecutionPlanner.Plan(all, ["Deploy"], null));
        Assert.Equal("Target 'Deploy' does not exist. Available targets are: Compile, PushImages", e.Message);
    }

    [Fact]
    public void Default_target_and_skip()
    {
        var all = new List<TargetDefinition> { T("Compile").DependsOn("Restore"), T("Restore") };
        var plan = ExecutionPlanner.Plan(all, [], "Compile", skip: ["restore"]);
        Assert.Equal("via --skip", plan.Targets.Single(t => t.Name == "Restore").SkipReason);
        var skipAll = ExecutionPlanner.Plan(all, [], "Compile", skip: []);
        Assert.NotNull(skipAll.Targets.Single(t => t.Name == "Restore").SkipReason);
        Assert.Null(skipAll.Targets.Single(t => t.Name == "Compile").SkipReason);
    }
}
