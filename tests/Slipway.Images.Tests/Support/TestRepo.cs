using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Images.Tests.Support;

/// <summary>A temporary monorepo (what <c>--root</c> points at) with a real git history and fixed commit dates.</summary>
public sealed class TestRepo : IDisposable
{
    private readonly TempDir _dir = new("images-repo");

    public TestRepo(string branch = "main")
    {
        Git("init", "-q", "-b", branch);
    }

    public string Root => _dir.Path;

    public string Write(string relative, string content) => _dir.Write(relative, content);

    public string Git(params string[] args) => GitAt(DateTimeOffset.Parse("2024-01-02T03:04:05Z"), args);

    private string GitAt(DateTimeOffset date, params string[] args)
    {
        var stamp = date.ToString("yyyy-MM-ddTHH:mm:ssK");
        var result = ToolRunner.RunCheckedAsync(new ToolInvocation("git", ["-C", Root, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args])
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

    /// <summary>An image for <see cref="DirectoryImageMethod"/>: <c>containers/NAME/image.ini</c> + <c>rootfs/</c>.</summary>
    public void AddImage(string name, string? version = "1.2.3", string extraIni = "", string? prepareScript = null)
    {
        Write($"containers/{name}/image.ini", (version is null ? "" : $"version={version}\n") + extraIni);
        Write($"containers/{name}/rootfs/etc/{name}.conf", $"name={name}\n");
        Write($"containers/{name}/rootfs/usr/share/{name}/hello.txt", $"hello from {name}\n");
        if (prepareScript is not null) Write($"containers/{name}/prepare.sh", prepareScript);
    }

    public void Dispose() => _dir.Dispose();
}
