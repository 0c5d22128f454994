using Slipway.Engine.Output;

namespace Slipway.Engine.Extensions;

/// <summary>--plan: prints the plan in order and writes .nuke/temp/execution-plan.html; runs nothing.</summary>
public sealed class HandlePlanRequestsAttribute : BuildExtensionAttribute, IOnBuildInitialized
{
    public override int Priority => 100;

    public void OnBuildInitialized(BuildRun run)
    {
        if (!run.HasSwitch("plan")) return;
        foreach (var line in ExecutionPlanWriter.Text(run.Plan!)) Log.Raw(line);
        var html = run.TemporaryDirectory / "execution-plan.html";
        Directory.CreateDirectory(run.TemporaryDirectory);
        File.WriteAllText(html, ExecutionPlanWriter.Html(run.Targets, run.Plan!));
        Log.Raw($"Plan graph written to {Path.GetRelativePath(Directory.GetCurrentDirectory(), html)}");
        run.Exit(0);
    }
}
