using System.Runtime.CompilerServices;

namespace Slipway.Engine;

/// <summary>
/// The data behind one target. References to other targets are names, or <see cref="Target"/> delegates that the
/// loader turns into names; the planner only ever sees names, so it can be tested with hand-made definitions.
/// </summary>
public sealed class TargetDefinition(string name) : ITargetDefinition
{
    public string Name { get; } = name;
    public string? DescriptionText { get; private set; }
    public bool IsUnlisted { get; private set; }
    public bool IsProceedAfterFailure { get; private set; }
    public bool IsAssuredAfterFailure { get; private set; }
    public DependencyBehavior DependencyBehavior { get; private set; } = DependencyBehavior.Execute;
    public List<object> DependsOnRefs { get; } = [];
    public List<object> DependentForRefs { get; } = [];
    public List<object> AfterRefs { get; } = [];
    public List<object> BeforeRefs { get; } = [];
    public List<object> TriggersRefs { get; } = [];
    public List<object> TriggeredByRefs { get; } = [];
    public List<(Func<bool> Condition, string Text)> StaticConditions { get; } = [];
    public List<(Func<bool> Condition, string Text)> DynamicConditions { get; } = [];
    public List<(Func<bool> Holds, string Text, bool IsParameter)> Requirements { get; } = [];
    public List<ToolRequirement> ToolRequirements { get; } = [];
    public List<Func<CancellationToken, Task>> Actions { get; } = [];

    /// <summary>A target with no actions only groups others (Nuke's "Collective").</summary>
    public bool IsCollective => Actions.Count == 0;

    // Name-based helpers for hand-made definitions (tests, generated targets).
    public TargetDefinition DependsOn(params string[] names) { DependsOnRefs.AddRange(names); return this; }
    public TargetDefinition After(params string[] names) { AfterRefs.AddRange(names); return this; }
    public TargetDefinition Before(params string[] names) { BeforeRefs.AddRange(names); return this; }
    public TargetDefinition Triggers(params string[] names) { TriggersRefs.AddRange(names); return this; }
    public TargetDefinition TriggeredBy(params string[] names) { TriggeredByRefs.AddRange(names); return this; }
    public TargetDefinition DependentFor(params string[] names) { DependentForRefs.AddRange(names); return this; }

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnRefs.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForRefs.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterRefs.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeRefs.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersRefs.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByRefs.AddRange(targets); return this; }
    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null) { StaticConditions.Add((condition, Clean(text))); return this; }
    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null) { DynamicConditions.Add((condition, Clean(text))); return this; }

    public ITargetDefinition Requires<T>(Func<T?> parameter, [CallerArgumentExpression(nameof(parameter))] string? text = null)
    {
        Requirements.Add((() => parameter() is { } v && (v is not string s || s.Length > 0) && (v is not Array a || a.Length > 0), Clean(text), true));
        return this;
    }

    public ITargetDefinition Requires(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null) { Requirements.Add((condition, Clean(text), false)); return this; }
    public ITargetDefinition Requires(ToolRequirement tool) { ToolRequirements.Add(tool); return this; }
    public ITargetDefinition WhenSkipped(DependencyBehavior dependencyBehavior) { DependencyBehavior = dependencyBehavior; return this; }
    public ITargetDefinition ProceedAfterFailure() { IsProceedAfterFailure = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { IsAssuredAfterFailure = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }
    public ITargetDefinition Executes(Action action) { Actions.Add(_ => { action(); return Task.CompletedTask; }); return this; }
    public ITargetDefinition Executes(Func<Task> action) { Actions.Add(_ => action()); return this; }
    public ITargetDefinition Executes(Func<CancellationToken, Task> action) { Actions.Add(action); return this; }

    /// <summary>"() => IsServerBuild" → "IsServerBuild": the condition's own source, as the skip reason.</summary>
    private static string Clean(string? text)
    {
        var t = (text ?? "condition").Trim();
        if (t.StartsWith("() =>", StringComparison.Ordinal)) t = t[5..].Trim();
        return t;
    }

    public override string ToString() => Name;
}
