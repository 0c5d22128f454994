using Slipway.Engine.Parameters;

namespace Slipway.Engine.Extensions;

/// <summary>--help / -h: targets with their direct dependencies, parameters with their values and sources; runs nothing.</summary>
public sealed class HandleHelpRequestsAttribute : BuildExtensionAttribute, IOnBuildCreated
{
    public override int Priority => 90;

    public void OnBuildCreated(BuildRun run)
    {
        if (!run.HasSwitch("help")) return;
        Print(run);
        run.Exit(0);
    }

    private static void Print(BuildRun run)
    {
        Log.Raw("Usage: ./build.sh [targets] [--parameter value] [--plan] [--skip [targets]] [--parallel N] [--root DIR] [--profile NAME] [--continue]");
        Log.Raw("");
        Log.Raw("Targets (with their direct dependencies):");
        Log.Raw("");
        var listed = run.Targets.Where(t => !t.IsUnlisted).ToList();
        var w = listed.Count == 0 ? 0 : listed.Max(t => t.Name.Length + (t.Name == run.DefaultTarget ? 10 : 0));
        foreach (var t in listed)
        {
            var name = t.Name + (t.Name == run.DefaultTarget ? " (default)" : "");
            var deps = t.DependsOnRefs.OfType<string>().ToList();
            Log.Raw($"  {name.PadRight(w)}  {t.DescriptionText}".TrimEnd());
            if (deps.Count > 0) Log.Raw($"  {"".PadRight(w)}  -> {string.Join(", ", deps)}");
        }
        Log.Raw("");
        Log.Raw("Parameters (first found: command line, environment, .nuke/parameters.<profile>.json, .nuke/parameters.json):");
        Log.Raw("");
        var pw = run.Parameters.Count == 0 ? 0 : run.Parameters.Max(p => ParameterResolver.ToKebab(p.Info.Name).Length + 2);
        foreach (var (info, value, source) in run.Parameters.OrderBy(p => p.Info.Name, StringComparer.Ordinal))
        {
            var shown = value switch
            {
                null => "(not set)",
                _ when info.IsSecret => "[REDACTED]",
                Array a => string.Join(",", a.Cast<object>()),
                _ => value.ToString(),
            };
            Log.Raw($"  {("--" + ParameterResolver.ToKebab(info.Name)).PadRight(pw)}  {info.Description}");
            Log.Raw($"  {"".PadRight(pw)}  = {shown}  [from {source}]");
        }
        Log.Raw("");
        Log.Raw("Switches: --help, --plan (print the plan, write .nuke/temp/execution-plan.html), --target, --skip [targets],");
        Log.Raw("          --verbosity quiet|minimal|normal|verbose, --no-logo, --root DIR, --profile NAME, --parallel N,");
        Log.Raw("          --continue (after a failure: skip what the last attempt of the same invocation finished),");
        Log.Raw("          --generate-workflows. NO_COLOR disables colours.");
    }
}
