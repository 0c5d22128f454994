using Slipway.Engine.Output;

namespace Slipway.Engine.Extensions;

/// <summary>The table at the end of a run: every planned target with status, reason, duration and notes.</summary>
public sealed class WriteSummaryAttribute : BuildExtensionAttribute, IOnBuildFinished
{
    public void OnBuildFinished(BuildRun run)
    {
        Log.Raw("");
        foreach (var line in Summary.Render(run.Results, run.Elapsed)) Log.Raw(line);
    }
}
