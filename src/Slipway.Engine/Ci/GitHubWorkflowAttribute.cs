namespace Slipway.Engine.Ci;

/// <summary>Workflow events, as Nuke's <c>On = [GitHubActionsTrigger.Push]</c>.</summary>
public enum GitHubActionsTrigger { Push, PullRequest, WorkflowDispatch }

/// <summary>
/// What every GitHub Actions workflow declaration has, generated into <c>.github/workflows/&lt;name&gt;.yml</c>:
/// its triggers, runner, timeout, secrets and permissions. A subclass writes the jobs
/// (<see cref="GitHubActionsAttribute"/>: one job running targets; a build component may declare its own).
/// </summary>
public abstract class GitHubWorkflowAttribute(string name) : CiFileAttribute
{
    public string Name { get; } = name;
    /// <summary>Events without branch filters; <see cref="OnPushBranches"/> etc. add filtered ones.</summary>
    public GitHubActionsTrigger[] On { get; init; } = [];
    public string[] OnPushBranches { get; init; } = [];
    public string[] OnPullRequestBranches { get; init; } = [];
    public string RunsOn { get; init; } = "ubuntu-latest";
    public int TimeoutMinutes { get; init; } = 60;
    /// <summary>Secrets passed as environment variables (their names), e.g. GITHUB_TOKEN.</summary>
    public string[] ImportSecrets { get; init; } = [];
    /// <summary>Extra workflow permissions, e.g. "packages: write".</summary>
    public string[] Permissions { get; init; } = ["contents: read"];

    public override string RelativePath => $".github/workflows/{Name}.yml";

    /// <summary>A branch name as YAML: bare when it is plain, else single-quoted.</summary>
    protected static string Quote(string s) => s.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '/') ? s : $"'{s}'";
}
