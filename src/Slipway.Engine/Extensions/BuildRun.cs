using System.Diagnostics;
using Slipway.Engine.Execution;
using Slipway.Engine.Parameters;
using Slipway.Engine.Planning;

namespace Slipway.Engine;

/// <summary>A parameter as resolved for this run: its value (or default) and where the value came from.</summary>
public sealed record ResolvedParameter(ParameterInfo Info, object? Value, string Source);

/// <summary>One invocation of a build, as its extensions see it stage by stage.</summary>
public sealed class BuildRun
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    internal BuildRun(SlipwayBuild build, IReadOnlyList<string> positionals, IReadOnlyDictionary<string, List<string>> options)
    {
        Build = build;
        Positionals = positionals;
        Options = options;
    }

    public SlipwayBuild Build { get; }
    /// <summary>Target names as given on the command line.</summary>
    public IReadOnlyList<string> Positionals { get; }
    /// <summary>Every --option as given (kebab-case name → values), switches and parameters alike.</summary>
    public IReadOnlyDictionary<string, List<string>> Options { get; }
    public bool HasSwitch(string name) => Options.ContainsKey(name);

    /// <summary>Every target the build declares (its own and its components'), references resolved to names.</summary>
    public IReadOnlyList<TargetDefinition> Targets { get; internal set; } = [];
    public string? DefaultTarget { get; internal set; }
    public IReadOnlyList<ResolvedParameter> Parameters { get; internal set; } = [];
    /// <summary>Bad values found while resolving; the run stops on the first after <see cref="IOnBuildCreated"/> unless an extension ended it (--help shows them).</summary>
    public IReadOnlyList<ParameterException> ParameterErrors { get; internal set; } = [];

    /// <summary>From <see cref="IOnBuildInitialized"/> on; an extension may mark more targets skipped with <see cref="Skip"/>.</summary>
    public ExecutionPlan? Plan { get; private set; }
    /// <summary>From the first target hook on: every planned target's status so far.</summary>
    public IReadOnlyList<TargetResult> Results { get; internal set; } = [];
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The .nuke/temp directory of the build's repository.</summary>
    public AbsolutePath TemporaryDirectory => Build.BuildRepositoryDirectory / ".nuke" / "temp";

    public int? ExitCode { get; private set; }

    /// <summary>Ends the run after this extension with the exit code (a request fully handled: --help, --plan, …).</summary>
    public void Exit(int exitCode) => ExitCode = exitCode;

    internal void SetPlan(ExecutionPlan plan) => Plan = plan;

    /// <summary>Marks planned targets skipped before anything runs (a target already skipped keeps its reason).</summary>
    public void Skip(IEnumerable<string> targets, string reason)
    {
        if (Plan is null) throw new InvalidOperationException("targets can be skipped once the plan exists (IOnBuildInitialized)");
        var names = targets.ToHashSet(StringComparer.Ordinal);
        Plan = Plan with { Targets = Plan.Targets.Select(t => t.SkipReason is null && names.Contains(t.Name) ? t with { SkipReason = reason } : t).ToList() };
    }
}
