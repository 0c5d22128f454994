using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Release.Tests;

/// <summary>A temporary monorepo with a real git history; every commit gets the date it is given.</summary>
public sealed class TestMonorepo : IDisposable
{
    private readonly TempDir _dir = new("release-repo");

    public TestMonorepo(string? path = null)
    {
        Root = path ?? _dir.Path;
        if (path is null) Git("init", "-q", "-b", "main");
        Git("config", "user.name", "Test");
        Git("config", "user.email", "test@example.com");
        Git("config", "commit.gpgsign", "false");
    }

    public string Root { get; }

    public string Write(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Git(params string[] args) => GitAt(DateTimeOffset.Parse("2024-01-02T03:04:05Z"), args);

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

    public string Commit(string message, DateTimeOffset date)
    {
        GitAt(date, "add", "-A");
        GitAt(date, "commit", "-q", "--allow-empty", "-m", message);
        return GitAt(date, "rev-parse", "HEAD");
    }

    /// <summary>A Dockerfile image from scratch with busybox and a message file: cheap to build with buildah.</summary>
    public void AddImage(string name, string version, string message)
    {
        Write($"containers/{name}/Dockerfile", $"ARG CONTAINER_APP_VERSION={version}\nFROM scratch\nCOPY busybox /bin/busybox\nCOPY message.txt /etc/message.txt\nCMD [\"/bin/busybox\", \"cat\", \"/etc/message.txt\"]\n");
        var bin = Path.Combine(Root, $"containers/{name}/busybox");
        if (!File.Exists(bin)) File.Copy("/bin/busybox", bin);
        Write($"containers/{name}/message.txt", message + "\n");
    }

    public void Dispose()
    {
        if (Root == _dir.Path) _dir.Dispose();
        else try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
