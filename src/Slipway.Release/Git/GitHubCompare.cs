using Octokit;

namespace Slipway.Release.Git;

/// <summary>
/// Decides marks with GitHub's compare API (<c>GET /repos/{owner}/{repo}/compare/{main}...{sha}</c>): "behind" or
/// "identical" means the commit is in main's history, "ahead"/"diverged" that it is not, 404 that GitHub does not
/// know it either. Used for commits a shallow or partial clone cannot decide; at most
/// <paramref name="maxRequests"/> calls per run (the API is rate limited).
/// </summary>
public sealed class GitHubCompare(GitHubRepository repository, string mainBranch, Uri? apiUrl = null, string? token = null, int maxRequests = 200) : ICommitClassifier
{
    public async Task<IReadOnlyDictionary<string, CommitMark>> ClassifyAsync(IReadOnlyCollection<string> shas, CancellationToken ct)
    {
        var client = apiUrl is null
            ? new GitHubClient(new ProductHeaderValue("slipway"))
            : new GitHubClient(new ProductHeaderValue("slipway"), apiUrl);
        if (!string.IsNullOrEmpty(token))
        {
            Slipway.Tooling.Secrets.Register(token);
            client.Credentials = new Credentials(token);
        }
        var result = new Dictionary<string, CommitMark>(StringComparer.Ordinal);
        foreach (var sha in shas.Distinct(StringComparer.Ordinal).Take(maxRequests))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                // Octokit has no cancellation on this call; the loop checks between requests.
                var compare = await client.Repository.Commit.Compare(repository.Owner, repository.Name, mainBranch, sha);
                result[sha] = compare.Status is "behind" or "identical" ? CommitMark.Main : CommitMark.Branch;
            }
            catch (NotFoundException)
            {
                // GitHub does not know the commit either: it stays [unknown].
            }
        }
        return result;
    }
}

/// <summary>owner/name of a GitHub repository, from its origin URL.</summary>
public sealed record GitHubRepository(string Owner, string Name)
{
    /// <summary>The repository when <paramref name="sourceUrl"/> (as <c>GitInfo.SourceUrl</c> gives it) is on github.com.</summary>
    public static GitHubRepository? FromSourceUrl(string? sourceUrl)
    {
        if (sourceUrl is null || !Uri.TryCreate(sourceUrl, UriKind.Absolute, out var uri)) return null;
        if (!uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = uri.AbsolutePath.Trim('/').Split('/');
        return parts.Length == 2 ? new GitHubRepository(parts[0], parts[1]) : null;
    }
}

/// <summary>Asks each classifier in turn about the commits the earlier ones left undecided.</summary>
public sealed class ChainedClassifier(params ICommitClassifier[] classifiers) : ICommitClassifier
{
    public async Task<IReadOnlyDictionary<string, CommitMark>> ClassifyAsync(IReadOnlyCollection<string> shas, CancellationToken ct)
    {
        var result = new Dictionary<string, CommitMark>(StringComparer.Ordinal);
        foreach (var c in classifiers)
        {
            var open = shas.Where(s => !result.ContainsKey(s)).ToList();
            if (open.Count == 0) break;
            foreach (var (sha, mark) in await c.ClassifyAsync(open, ct)) result[sha] = mark;
        }
        return result;
    }
}
