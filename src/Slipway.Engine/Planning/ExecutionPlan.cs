namespace Slipway.Engine.Planning;

/// <summary>A planning failure: a cycle, a duplicate, an unknown name. The message lists the valid choices.</summary>
public sealed class PlanningException(string message) : Exception(message);

/// <summary>One target in plan order; <see cref="Predecessors"/> are the planned targets that must finish first.</summary>
public sealed record PlannedTarget(TargetDefinition Definition, bool Requested, string? SkipReason, IReadOnlyList<string> Predecessors)
{
    public string Name => Definition.Name;
    /// <summary>Direct dependencies (DependsOn, and DependentFor declared on the other side).</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];
    /// <summary>Planned targets that trigger this one (Triggers, and TriggeredBy declared here).</summary>
    public IReadOnlyList<string> TriggeredBy { get; init; } = [];
}

/// <summary>
/// The targets one run executes, in order (what <c>--plan</c> prints): made by <see cref="ExecutionPlanner"/>, run by
/// <see cref="Execution.TargetExecutor"/>.
/// </summary>
public sealed record ExecutionPlan(IReadOnlyList<PlannedTarget> Targets)
{
    /// <summary>True once static conditions have been evaluated into <see cref="PlannedTarget.SkipReason"/>.</summary>
    public bool ConditionsEvaluated { get; init; }
}
