using Slipway.Engine.Execution;
using Slipway.Engine.Extensions;
using Slipway.Engine.Parameters;
using Slipway.Engine.Planning;
using Slipway.Tooling;

namespace Slipway.Engine;

/// <summary>
/// Base class of a build: targets are <see cref="Target"/> properties, parameters are [Parameter] members.
/// <c>public static int Main() => Execute&lt;Build&gt;(x => x.Compile);</c> The run itself is
/// <see cref="BuildManager"/>'s (with <see cref="ParameterService"/> and <see cref="ExecutableTargetFactory"/>);
/// this class is what a build and its components see.
/// </summary>
[WriteSchema, HandleHelpRequests, HandleWorkflowGeneration, HandlePlanRequests, RecordBuildAttempts, WriteSummary]
public abstract class SlipwayBuild : ISlipwayBuild
{
    /// <summary>The monorepo the build operates on: --root, or the directory holding .nuke/.</summary>
    public AbsolutePath RootDirectory { get; internal set; } = new(Directory.GetCurrentDirectory());
    /// <summary>The repository that holds this build project (its own .nuke/).</summary>
    public AbsolutePath BuildRepositoryDirectory { get; internal set; } = new(Directory.GetCurrentDirectory());
    /// <summary>The directory of the build project itself (build/).</summary>
    public AbsolutePath BuildProjectDirectory => BuildRepositoryDirectory / "build";
    public static bool IsServerBuild => Slipway.Tooling.CiHost.IsServerBuild();
    public static bool IsLocalBuild => !IsServerBuild;
    /// <summary>Cancelled on Ctrl-C.</summary>
    public CancellationToken CancellationToken { get; internal set; }
    /// <summary>
    /// The targets this run executes (Nuke's ScheduledTargets): planned and not skipped before it starts. A target
    /// may start work that a later scheduled target waits for.
    /// </summary>
    public IReadOnlySet<string> ScheduledTargets { get; internal set; } = new HashSet<string>();

    /// <summary>Adds a note to the running target's row in the summary.</summary>
    public static void ReportSummary(string note) => TargetExecutor.Note(note);

    /// <summary>A tool required on PATH, for <c>Requires(Tool("buildah", "apt-get install -y buildah"))</c>.</summary>
    protected static ToolRequirement Tool(string name, string? installHint = null) => new(name, installHint);

    public static int Execute<T>(Func<T, Target> defaultTarget) where T : SlipwayBuild, new()
    {
        var args = Environment.GetCommandLineArgs().Skip(1).ToArray();
        Log.Install();
        try
        {
            return BuildManager.Run(new T(), args, defaultTarget is null ? null : (Func<SlipwayBuild, Target>)(b => defaultTarget((T)b)));
        }
        catch (Exception e) when (e is PlanningException or ParameterException)
        {
            Console.Error.WriteLine(Log.Color(Secrets.Redact(e.Message), "\u001b[31m"));
            return 1;
        }
        finally
        {
            Log.Flush();
        }
    }

    /// <summary>Values of [Parameter] properties declared on component interfaces (they have no field to hold them).</summary>
    private readonly Dictionary<(Type, string), object?> _componentValues = [];

    internal T ComponentParameter<T>(System.Linq.Expressions.Expression<Func<T>> parameter, T defaultValue)
    {
        var body = parameter.Body is System.Linq.Expressions.UnaryExpression { NodeType: System.Linq.Expressions.ExpressionType.Convert } u ? u.Operand : parameter.Body;
        if (body is not System.Linq.Expressions.MemberExpression { Member: var member })
            throw new ArgumentException($"TryGetValue takes the parameter property itself, e.g. TryGetValue(() => Registry), not '{parameter.Body}'");
        return _componentValues.TryGetValue((member.DeclaringType!, member.Name), out var value) && value is T t ? t : defaultValue;
    }

    internal void SetComponentParameter(Type component, string name, object? value) => _componentValues[(component, name)] = value;
}
