namespace Slipway.Release.Git;

/// <summary>Where an image's commit stands relative to the main branch.</summary>
public enum CommitMark
{
    /// <summary>Reachable from the main branch: safe for production manifests.</summary>
    Main,
    /// <summary>Known, but not on main: an open or squash-merged branch whose commit main will never contain.</summary>
    Branch,
    /// <summary>Not in the local history even after fetching main, and no other source could decide.</summary>
    Unknown,
}

/// <summary>Decides the mark of commits; implementations answer for many at once (one git or API pass).</summary>
public interface ICommitClassifier
{
    /// <summary>A mark for each sha it can decide; shas it cannot decide are left out.</summary>
    Task<IReadOnlyDictionary<string, CommitMark>> ClassifyAsync(IReadOnlyCollection<string> shas, CancellationToken cancellationToken);
}

/// <summary>
/// Reachability from the main branch in the local git history. The main line is <c>origin/&lt;main&gt;</c> and the
/// local <c>&lt;main&gt;</c> branch (both when both exist: a commit on either was built from main). When commits are
/// missing or the clone is shallow (CI checkouts), main is fetched and deepened first.
/// </summary>
public sealed class GitMainLine(GitRepo repo, string mainBranch, Action<string>? log = null, bool fetch = true) : ICommitClassifier
{
    public async Task<IReadOnlyDictionary<string, CommitMark>> ClassifyAsync(IReadOnlyCollection<string> shas, CancellationToken ct)
    {
        var wanted = shas.Where(s => s.Length == 40).Distinct(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, CommitMark>(StringComparer.Ordinal);
        if (wanted.Count == 0) return result;

        var known = await KnownAsync(wanted, ct);
        if (fetch && await repo.HasRemoteAsync("origin", ct) && (known.Count < wanted.Count || await repo.IsShallowAsync(ct)))
        {
            await FetchMainAsync(ct);
            known = await KnownAsync(wanted, ct);
        }
        var mainRefs = await MainRefsAsync(ct);
        if (mainRefs.Count == 0)
            throw new ReleaseException($"neither '{mainBranch}' nor 'origin/{mainBranch}' exists in '{repo.Root}'; pass the main branch with --main-branch NAME");
        // One pass over main's history answers every commit at once (merge-base per tag would be one process each).
        var onMain = (await repo.CheckedAsync(ct, ["rev-list", .. mainRefs])).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var sha in wanted)
        {
            if (onMain.Contains(sha)) result[sha] = CommitMark.Main;
            else if (known.Contains(sha)) result[sha] = CommitMark.Branch;
        }
        return result;
    }

    private async Task<List<string>> MainRefsAsync(CancellationToken ct)
    {
        var refs = new List<string>();
        foreach (var r in new[] { $"refs/remotes/origin/{mainBranch}", $"refs/heads/{mainBranch}" })
            if (await repo.ResolveCommitAsync(r, ct) is not null) refs.Add(r);
        return refs;
    }

    /// <summary>The commits among <paramref name="shas"/> this clone has (one cat-file process for all).</summary>
    private async Task<HashSet<string>> KnownAsync(IReadOnlyList<string> shas, CancellationToken ct)
    {
        var r = await Slipway.Tooling.ToolRunner.RunAsync(new Slipway.Tooling.ToolInvocation("git", ["-C", repo.Root, "cat-file", "--batch-check"])
        {
            CaptureStandardOutput = true,
            StandardInput = string.Join('\n', shas) + "\n",
            Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
        }, ct);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length >= 2 && parts[1] == "commit") known.Add(parts[0]);
        }
        return known;
    }

    /// <summary>Fetches main (unshallowing a shallow clone) so that reachability is decided on its whole history.</summary>
    private async Task FetchMainAsync(CancellationToken ct)
    {
        var args = new List<string> { "fetch", "--quiet", "--no-tags" };
        if (await repo.IsShallowAsync(ct)) args.Add("--unshallow");
        args.AddRange(["origin", $"+refs/heads/{mainBranch}:refs/remotes/origin/{mainBranch}"]);
        log?.Invoke($"fetching {mainBranch} from origin to decide which images were built from it ({string.Join(' ', args.Skip(1))})");
        var r = await repo.RunAsync(ct, [.. args]);
        if (!r.Succeeded)
            log?.Invoke($"could not fetch {mainBranch} from origin ({string.Join(" ", r.Tail).Trim()}); commits missing locally are marked [unknown]");
    }
}
