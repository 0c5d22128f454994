using System.Globalization;
using Slipway.Tooling;

namespace Slipway.Images.Discovery;

/// <summary>
/// The commit an image build is made from: its full sha (revision annotation), short sha (tags), commit time
/// (created annotation, SOURCE_DATE_EPOCH), branch (decides <c>latest</c>) and a credential-free remote URL
/// (source annotation).
/// </summary>
public sealed record GitInfo(string Sha, DateTimeOffset CommitTime, string? Branch, string? RemoteUrl)
{
    public const string NoCommitSha = "0000000000000000000000000000000000000000";

    public string ShortSha => Sha[..7];

    /// <summary>True when this is the placeholder for a directory with no git history.</summary>
    public bool IsPlaceholder => Sha == NoCommitSha;

    /// <summary>Stands in when the monorepo has no git history (non-strict runs only).</summary>
    public static GitInfo Placeholder(string? remote = null) => new(NoCommitSha, DateTimeOffset.UnixEpoch, null, remote);

    /// <summary>Created/commit time in the RFC 3339 UTC form OCI annotations and configs use.</summary>
    public string CreatedText => CommitTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the commit at <paramref name="root"/>. Throws <see cref="GitInfoException"/> (with the fix) when
    /// git is missing, the directory is not a repository, or it has no commit yet.
    /// </summary>
    public static async Task<GitInfo> ReadAsync(string root, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        string? Env(string name) => environment is not null ? environment.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);
        if (ToolRunner.Which("git") is null)
            throw new GitInfoException("git is not installed, so images cannot be tagged with a commit; install it with: apt-get install -y git");

        async Task<ToolResult> Git(params string[] args) =>
            await ToolRunner.RunAsync(new ToolInvocation("git", ["-C", root, .. args])
            {
                CaptureStandardOutput = true,
                // A user's pager or locale must not change what we parse.
                Environment = new Dictionary<string, string?> { ["GIT_PAGER"] = "cat", ["LC_ALL"] = "C" },
            }, cancellationToken);

        var log = await Git("log", "-1", "--format=%H%n%cI");
        if (!log.Succeeded)
        {
            var why = string.Join(" ", log.Tail);
            if (why.Contains("not a git repository", StringComparison.OrdinalIgnoreCase))
                throw new GitInfoException($"'{root}' is not a git repository, so images cannot be tagged with a commit; fix it with: git init && git add -A && git commit -m 'initial commit'");
            if (why.Contains("does not have any commits", StringComparison.OrdinalIgnoreCase) || why.Contains("bad default revision", StringComparison.OrdinalIgnoreCase))
                throw new GitInfoException($"the git repository at '{root}' has no commit yet, so images cannot be tagged with one; fix it with: git add -A && git commit -m 'initial commit'");
            throw new GitInfoException($"'git log -1' failed in '{root}': {why}");
        }
        var lines = log.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2 || lines[0].Length < 40 || !DateTimeOffset.TryParse(lines[1], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new GitInfoException($"unexpected output from 'git log -1 --format=%H%n%cI' in '{root}': {log.StandardOutput.Trim()}");

        string? branch = null;
        var head = await Git("rev-parse", "--abbrev-ref", "HEAD");
        if (head.Succeeded) branch = head.StandardOutput.Trim();
        // CI systems check out a detached HEAD; they name the branch in their own variables.
        if (branch is null or "" or "HEAD")
            branch = FirstNonEmpty(Env("GITHUB_REF_NAME"), Env("CI_COMMIT_BRANCH"), Env("CI_COMMIT_REF_NAME"));

        string? remote = null;
        var origin = await Git("remote", "get-url", "origin");
        if (origin.Succeeded) remote = origin.StandardOutput.Trim();
        else
        {
            var remotes = await Git("remote");
            var first = remotes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (first is not null && (await Git("remote", "get-url", first)) is { Succeeded: true } r) remote = r.StandardOutput.Trim();
        }
        return new GitInfo(lines[0], time, branch, SourceUrl(remote));
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>
    /// A remote as a browsable https URL without credentials: <c>https://user:token@host/o/r.git</c> and
    /// <c>git@host:o/r.git</c> both become <c>https://host/o/r</c>. Local paths and unknown forms give null.
    /// </summary>
    public static string? SourceUrl(string? remote)
    {
        if (string.IsNullOrWhiteSpace(remote)) return null;
        remote = remote.Trim();
        string host, path;
        if (Uri.TryCreate(remote, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git" && !string.IsNullOrEmpty(uri.Host))
        {
            // Never keep userinfo: it is where CI puts tokens (https://x-access-token:TOKEN@github.com/...).
            host = uri.Scheme is "https" or "http" && !uri.IsDefaultPort ? $"{uri.Host}:{uri.Port}" : uri.Host;
            path = uri.AbsolutePath;
            if (uri.Scheme == "http") return Finish("http", host, path);
        }
        else if (System.Text.RegularExpressions.Regex.Match(remote, "^(?:[^@/]+@)?([A-Za-z0-9.-]+):(?!//)(.+)$") is { Success: true } scp)
        {
            host = scp.Groups[1].Value;
            path = "/" + scp.Groups[2].Value.TrimStart('/');
        }
        else return null;
        return Finish("https", host, path);

        static string Finish(string scheme, string host, string path)
        {
            path = path.TrimEnd('/');
            if (path.EndsWith(".git", StringComparison.Ordinal)) path = path[..^4];
            return $"{scheme}://{host}{path}";
        }
    }
}

/// <summary>The commit could not be read; the message names the fix.</summary>
public sealed class GitInfoException(string message) : Exception(message);
