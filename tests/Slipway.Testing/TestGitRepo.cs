using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>
/// A temporary git repository with a real history whose commits carry the dates they are given (image tags and
/// labels derive from commit sha and time, so tests need both fixed). Suites add their own image helpers on top.
/// </summary>
public class TestGitRepo : IDisposable
{
    private readonly TempDir? _dir;

    /// <param name="path">An existing repository (a clone) to drive; null creates and initialises a temp one.</param>
    public TestGitRepo(string? path = null, string branch = "main", string prefix = "git-repo")
    {
        if (path is null)
        {
            _dir = new TempDir(prefix);
            Root = _dir.Path;
            Git("init", "-q", "-b", branch);
        }
        else Root = path;
        Git("config", "user.name", "Test");
        Git("config", "user.email", "test@example.com");
        Git("config", "commit.gpgsign", "false");
    }

    public static readonly DateTimeOffset DefaultDate = DateTimeOffset.Parse("2024-01-02T03:04:05Z");

    public string Root { get; }

    public string Write(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Git(params string[] args) => GitAt(DefaultDate, args);

    public string GitAt(DateTimeOffset date, params string[] args)
    {
        var stamp = date.ToString("yyyy-MM-ddTHH:mm:ssK");
        var result = ToolRunner.RunCheckedAsync(new ToolInvocation("git", ["-C", Root, .. args])
        {
            CaptureStandardOutput = true,
            Environment = new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = stamp, ["GIT_COMMITTER_DATE"] = stamp },
        }).GetAwaiter().GetResult();
        return result.StandardOutput.Trim();
    }

    /// <summary>Commits everything with author and committer date <paramref name="date"/>; returns the full sha.</summary>
    public string Commit(string message, DateTimeOffset date)
    {
        GitAt(date, "add", "-A");
        GitAt(date, "commit", "-q", "--allow-empty", "-m", message);
        return GitAt(date, "rev-parse", "HEAD");
    }

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
        if (_dir is not null) _dir.Dispose();
        else try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
