using Slipway.Engine.Ci;

namespace Slipway.Engine.Extensions;

/// <summary>--generate-workflows: (re)writes .github/workflows/*.yml from the build's [GitHubActions] declarations; runs nothing.</summary>
public sealed class HandleWorkflowGenerationAttribute : BuildExtensionAttribute, IOnBuildCreated
{
    public override int Priority => 80;

    public void OnBuildCreated(BuildRun run)
    {
        if (!run.HasSwitch("generate-workflows")) return;
        var type = run.Build.GetType();
        var problems = GitHubActions.Problems(type, run.Targets.Select(t => t.Name).ToList());
        if (problems.Count > 0)
        {
            foreach (var p in problems) Log.Error(p);
            run.Exit(1);
            return;
        }
        var ci = (run.Build as SlipwayBuild)?.CiContext() ?? CiContext.Empty;
        GitHubActions.Write(run.Build.BuildRepositoryDirectory, type, ci);
        GitLabCI.Write(run.Build.BuildRepositoryDirectory, type, ci);
        Log.Info($"Wrote {string.Join(", ", GitHubActions.Of(type).Select(a => $".github/workflows/{a.Name}.yml").Concat(GitLabCI.Of(type) is null ? [] : [GitLabCIAttribute.FileName]))} from the [GitHubActions]/[GitLabCI] declarations.");
        run.Exit(0);
    }
}
