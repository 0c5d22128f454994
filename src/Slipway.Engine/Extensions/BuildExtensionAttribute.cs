using Slipway.Engine.Execution;

namespace Slipway.Engine;

// The build's life cycle, as Nuke's build extension interfaces. An extension is an attribute on the build class
// (derived from BuildExtensionAttribute; SlipwayBuild carries the built-in ones: schema, help, workflow generation,
// plan, --continue, summary), an attribute on a component interface the build implements, or the build class or
// one of its component interfaces implementing the interface itself.

/// <summary>Targets are loaded and parameters resolved (their errors are in <see cref="BuildRun.ParameterErrors"/>); nothing is planned yet.</summary>
public interface IOnBuildCreated { void OnBuildCreated(BuildRun run); }

/// <summary>The plan is made (<see cref="BuildRun.Plan"/>, static conditions evaluated); requirements are checked after this.</summary>
public interface IOnBuildInitialized { void OnBuildInitialized(BuildRun run); }

/// <summary>A target is about to run its actions (inside its log scope). Throwing fails the target.</summary>
public interface IOnTargetRunning { void OnTargetRunning(BuildRun run, TargetResult target); }

/// <summary>A target's actions all finished. Throwing fails the target.</summary>
public interface IOnTargetSucceeded { void OnTargetSucceeded(BuildRun run, TargetResult target); }

/// <summary>A target threw (<see cref="TargetResult.Error"/>).</summary>
public interface IOnTargetFailed { void OnTargetFailed(BuildRun run, TargetResult target); }

/// <summary>A target was skipped: static or dynamic condition, --skip, --continue (<see cref="TargetResult.Reason"/>).</summary>
public interface IOnTargetSkipped { void OnTargetSkipped(BuildRun run, TargetResult target); }

/// <summary>Every planned target has its final status (<see cref="BuildRun.Results"/>).</summary>
public interface IOnBuildFinished { void OnBuildFinished(BuildRun run); }

/// <summary>
/// Base of extension attributes on a build class or component interface. Within one stage, extensions run by
/// descending <see cref="Priority"/> (then by name), and the build object itself last.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = true)]
public abstract class BuildExtensionAttribute : Attribute
{
    public virtual int Priority => 0;
}
