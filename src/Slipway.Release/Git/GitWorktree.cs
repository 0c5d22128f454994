namespace Slipway.Release.Git;

/// <summary>
/// A temporary detached worktree at one commit (<c>git worktree add --detach</c>) so a <c>--ref</c> build sees
/// exactly that commit's files and nothing of the working tree. Removed (and pruned) on dispose.
/// </summary>
public sealed class GitWorktree : IAsyncDisposable
{
    private readonly GitRepo _repo;

    private GitWorktree(GitRepo repo, string path, string sha)
    {
        _repo = repo;
        Path = path;
        Sha = sha;
    }

    public string Path { get; }
    public string Sha { get; }

    public static async Task<GitWorktree> CreateAsync(GitRepo repo, string sha, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"slipway-ref-{sha[..7]}-{Guid.NewGuid():N}"[..40]);
        await repo.CheckedAsync(ct, "worktree", "add", "--quiet", "--detach", path, sha);
        return new GitWorktree(repo, path, sha);
    }

    public async ValueTask DisposeAsync()
    {
        await _repo.RunAsync(CancellationToken.None, "worktree", "remove", "--force", Path);
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        await _repo.RunAsync(CancellationToken.None, "worktree", "prune");
    }
}
