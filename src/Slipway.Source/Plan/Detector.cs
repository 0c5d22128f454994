using Slipway.Source.Providers;
using Slipway.Tooling;

namespace Slipway.Source.Plan;

/// <summary>
/// Tries the providers in their documented order and applies the overrides (build/start command, Procfile web:).
/// The first provider that recognises the app plans it.
/// </summary>
public sealed class Detector(PackageMirrors mirrors)
{
    /// <summary>The documented order: language providers first (a Node app may also hold an index.html), then the fallbacks.</summary>
    public static IReadOnlyList<IProvider> Providers { get; } =
        [new NodeProvider(), new PythonProvider(), new GoProvider(), new RustProvider(), new DotnetProvider(), new StaticProvider(), new ShellProvider(), new ProcfileProvider()];

    public BuildPlan Detect(string appDirectory, string? buildCommand = null, string? startCommand = null, string? displayName = null)
    {
        var app = new AppFiles(appDirectory);
        var context = new PlanContext(mirrors) { StartCommand = startCommand };
        BuildPlan? plan = null;
        try
        {
            foreach (var provider in Providers)
                if ((plan = provider.Detect(app, context)) is not null) break;
        }
        catch (FormatException e) { throw new StepFailure("detect", FailureClass.Permanent, e.Message, inner: e); }
        if (plan is null)
            throw new StepFailure("detect", FailureClass.Permanent,
                $"no provider matches {displayName ?? appDirectory}; tried {string.Join("; ", Providers.Select(p => $"{p.Name} (looks for {p.LooksFor})"))}. Add one of those files, a Dockerfile, or pass --root-directory to the app's folder");
        if (plan.Provider != "procfile" && ProcfileProvider.WebCommand(app) is { } web)
            plan = plan with { Start = web, DecidedBy = [.. plan.DecidedBy, "Procfile"] };
        if (!string.IsNullOrWhiteSpace(buildCommand))
            plan = plan with { Build = [buildCommand], BuildBase = plan.BuildBase ?? BuildBaseFor(plan) };
        if (!string.IsNullOrWhiteSpace(startCommand))
            plan = plan with { Start = startCommand };
        return plan;
    }

    /// <summary>A build command on a plan without a build stage runs on the runtime base (static/shell apps).</summary>
    private static string BuildBaseFor(BuildPlan plan) => plan.RuntimeBase == "busybox" ? "busybox" : "debian";
}
