using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Slipway.Engine.Planning;

namespace Slipway.Engine;

/// <summary>
/// The data behind one target. References to other targets are names, or <see cref="Target"/> delegates that the
/// loader turns into names; the planner only ever sees names, so it can be tested with hand-made definitions.
/// </summary>
public sealed class TargetDefinition(string name) : ITargetDefinition
{
    public string Name { get; } = name;
    /// <summary>The build object, for references to component targets (null in hand-made definitions).</summary>
    internal object? Build { get; init; }
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
    public ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets) => DependsOn(Of(targets));
    public ITargetDefinition DependentFor<T>(params Func<T, Target>[] targets) => DependentFor(Of(targets));
    public ITargetDefinition After<T>(params Func<T, Target>[] targets) => After(Of(targets));
    public ITargetDefinition Before<T>(params Func<T, Target>[] targets) => Before(Of(targets));
    public ITargetDefinition Triggers<T>(params Func<T, Target>[] targets) => Triggers(Of(targets));
    public ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets) => TriggeredBy(Of(targets));

    public ITargetDefinition Inherit(params Target[] targets)
    {
        foreach (var t in targets) t(this);
        return this;
    }

    public ITargetDefinition Inherit<T>(params Expression<Func<T, Target>>[] targets)
    {
        var build = Component<T>();
        foreach (var e in targets)
        {
            var body = e.Body is UnaryExpression { NodeType: ExpressionType.Convert } u ? u.Operand : e.Body;
            if (body is not MemberExpression { Member: PropertyInfo { GetMethod: { } getter } property })
                throw new PlanningException($"Target '{Name}': Inherit<{typeof(T).Name}> takes a target property, e.g. x => x.{Name}, not '{e.Body}'");
            if (getter.IsAbstract)
                throw new PlanningException($"Target '{Name}': {typeof(T).Name}.{property.Name} has no default definition to inherit");
            CallNonVirtual(getter, build!)(this);
        }
        return this;
    }

    private T Component<T>() => Build is T build ? build
        : throw new PlanningException($"Target '{Name}' refers to targets of {typeof(T).Name}, which the build does not implement; add {typeof(T).Name} to the build class's base list");

    private Target[] Of<T>(Func<T, Target>[] targets)
    {
        var build = Component<T>();
        return targets.Select(t => t(build)).ToArray();
    }

    /// <summary>
    /// The getter's own body, not the most derived override: a class that re-implements a component's target
    /// still reaches the component's definition (what C# can't express as base(IComponent).Target).
    /// </summary>
    private static Target CallNonVirtual(MethodInfo getter, object build)
    {
        var method = new DynamicMethod($"Inherit_{getter.Name}", typeof(Target), [typeof(object)], typeof(TargetDefinition).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, getter.DeclaringType!);
        il.Emit(OpCodes.Call, getter);
        il.Emit(OpCodes.Ret);
        return ((Func<object, Target>)method.CreateDelegate(typeof(Func<object, Target>)))(build);
    }

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
