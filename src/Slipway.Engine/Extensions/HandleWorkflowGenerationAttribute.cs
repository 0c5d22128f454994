using Slipway.Engine.Ci;

namespace Slipway.Engine.Extensions;

/// <summary>--generate-workflows: (re)writes the build's CI files (.github/workflows/*.yml, …) from its declarations; runs nothing.</summary>
public sealed class HandleWorkflowGenerationAttribute : BuildExtensionAttribute, IOnBuildCreated
{
    public override int Priority => 80;

    public void OnBuildCreated(BuildRun run)
    {
        if (!run.HasSwitch("generate-workflows")) return;
        var type = run.Build.GetType();
        var problems = CiFiles.Problems(type, run.Targets.Select(t => t.Name).ToList());
        if (problems.Count > 0)
        {
            foreach (var p in problems) Log.Error(p);
            run.Exit(1);
            return;
        }
        CiFiles.Write(run.Build, run.Build.BuildRepositoryDirectory);
        Log.Info($"Wrote {string.Join(", ", CiFiles.Of(type).Select(a => a.RelativePath))} from the build's declarations.");
        run.Exit(0);
    }
}
