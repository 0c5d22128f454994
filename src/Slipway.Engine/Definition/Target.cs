using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Slipway.Engine;

/// <summary>A target, declared as a property: <c>Target Compile => _ => _.DependsOn(Clean).Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition _);

/// <summary>The fluent surface of a target declaration, as Nuke users know it.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);
    ITargetDefinition DependsOn(params Target[] targets);
    ITargetDefinition DependentFor(params Target[] targets);
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);
    // The same, naming targets of a component interface the build implements: DependsOn<ICompile>(x => x.Compile).
    ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets);
    ITargetDefinition DependentFor<T>(params Func<T, Target>[] targets);
    ITargetDefinition After<T>(params Func<T, Target>[] targets);
    ITargetDefinition Before<T>(params Func<T, Target>[] targets);
    ITargetDefinition Triggers<T>(params Func<T, Target>[] targets);
    ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets);
    /// <summary>Applies other definitions to this one, as if their calls were written here.</summary>
    ITargetDefinition Inherit(params Target[] targets);
    /// <summary>
    /// Applies a component's own (default) definition of a target, even when the build re-implements it:
    /// <c>Target IPublish.Publish => _ => _.Inherit&lt;IPublish&gt;(x => x.Publish).DependsOn(Setup);</c>
    /// </summary>
    ITargetDefinition Inherit<T>(params Expression<Func<T, Target>>[] targets);
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);
    /// <summary>A parameter that must have a value, e.g. <c>Requires(() => Registry)</c>.</summary>
    ITargetDefinition Requires<T>(Func<T?> parameter, [CallerArgumentExpression(nameof(parameter))] string? text = null);
    /// <summary>A condition that must hold before anything runs.</summary>
    ITargetDefinition Requires(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null);
    /// <summary>A tool that must be on PATH, e.g. <c>Requires(Tool("buildah"))</c>.</summary>
    ITargetDefinition Requires(ToolRequirement tool);
    /// <summary>
    /// What happens to this target's dependencies and triggered targets when it is skipped (static condition or
    /// --skip): <see cref="DependencyBehavior.Execute"/> (the default, as in Nuke) runs them anyway;
    /// <see cref="DependencyBehavior.Skip"/> skips every one that nothing else still running needs.
    /// </summary>
    ITargetDefinition WhenSkipped(DependencyBehavior dependencyBehavior);
    ITargetDefinition ProceedAfterFailure();
    ITargetDefinition AssuredAfterFailure();
    ITargetDefinition Unlisted();
    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}

/// <summary>What a skipped target means for its dependencies (<see cref="ITargetDefinition.WhenSkipped"/>).</summary>
public enum DependencyBehavior
{
    /// <summary>Dependencies still run (Nuke's default).</summary>
    Execute,
    /// <summary>Dependencies (and triggered targets) that only skipped targets need are skipped too.</summary>
    Skip,
}

/// <summary>A tool required on PATH, with the command that installs it.</summary>
public sealed record ToolRequirement(string Name, string? InstallHint = null);
