using System.Reflection;
using Slipway.Engine.Execution;

namespace Slipway.Engine;

/// <summary>The extensions of one build, in the order they run; raises each stage on every one that implements it.</summary>
internal sealed class BuildExtensions(BuildRun run, IReadOnlyList<object> extensions)
{
    public BuildRun Run { get; } = run;

    public static IReadOnlyList<object> Of(SlipwayBuild build)
    {
        var type = build.GetType();
        var attributes = type.GetCustomAttributes<BuildExtensionAttribute>(inherit: true)
            .Concat(type.GetInterfaces().SelectMany(i => i.GetCustomAttributes<BuildExtensionAttribute>(inherit: false)));
        return [.. attributes.OrderByDescending(a => a.Priority).ThenBy(a => a.GetType().Name, StringComparer.Ordinal), build];
    }

    /// <summary>Raises a build stage; stops early once an extension ended the run (<see cref="BuildRun.Exit"/>).</summary>
    public void Raise<T>(Action<T> stage) where T : class
    {
        foreach (var e in extensions.OfType<T>())
        {
            stage(e);
            if (Run.ExitCode is not null) return;
        }
    }

    public void TargetRunning(TargetResult t) { foreach (var e in extensions.OfType<IOnTargetRunning>()) e.OnTargetRunning(Run, t); }
    public void TargetSucceeded(TargetResult t) { foreach (var e in extensions.OfType<IOnTargetSucceeded>()) e.OnTargetSucceeded(Run, t); }
    public void TargetFailed(TargetResult t) { foreach (var e in extensions.OfType<IOnTargetFailed>()) e.OnTargetFailed(Run, t); }
    public void TargetSkipped(TargetResult t) { foreach (var e in extensions.OfType<IOnTargetSkipped>()) e.OnTargetSkipped(Run, t); }
}
