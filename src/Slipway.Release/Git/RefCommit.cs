using System.Globalization;
using Slipway.Images.Discovery;

namespace Slipway.Release.Git;

/// <summary>
/// What <c>--ref &lt;sha|branch|tag&gt;</c> builds: that commit's sha, time and the source URL, and a branch that
/// gives <c>latest</c> only when the commit is the tip of main (a rebuild of an old main commit never moves
/// <c>latest</c> backwards).
/// </summary>
public static class RefCommit
{
    public static async Task<(GitInfo Git, bool IsMainTip)> ResolveAsync(GitRepo repo, string reference, string mainBranch, CancellationToken ct)
    {
        var sha = await repo.ResolveCommitAsync(reference, ct)
            ?? await repo.ResolveCommitAsync($"origin/{reference}", ct)
            ?? throw new ReleaseException($"--ref '{reference}' names no commit in '{repo.Root}'; give a sha, a branch or a tag that exists there (git fetch first if it is only on the remote)");
        var time = DateTimeOffset.Parse(await repo.CheckedAsync(ct, "log", "-1", "--format=%cI", sha), CultureInfo.InvariantCulture);
        // The tip of main is origin's when there is an origin (CI), else the local branch.
        var tip = await repo.ResolveCommitAsync($"refs/remotes/origin/{mainBranch}", ct) ?? await repo.ResolveCommitAsync($"refs/heads/{mainBranch}", ct);
        var isTip = tip == sha;
        var remote = await repo.RemoteUrlAsync("origin", ct);
        // A branch name that is not main is kept for the report; a sha or tag builds with no branch.
        string? branch = isTip ? mainBranch
            : await repo.ResolveCommitAsync($"refs/heads/{reference}", ct) is not null && reference != mainBranch ? reference : null;
        return (new GitInfo(sha, time, branch, GitInfo.SourceUrl(remote)), isTip);
    }
}
