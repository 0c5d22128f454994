using Slipway.Tooling;

namespace Slipway.Release.Git;

/// <summary>git at one directory, with a fixed pager and locale so that what we parse never changes.</summary>
public sealed class GitRepo(string root)
{
    public string Root { get; } = root;

    public async Task<ToolResult> RunAsync(CancellationToken ct, params string[] args) =>
        await ToolRunner.RunAsync(new ToolInvocation("git", ["-C", Root, .. args])
        {
            CaptureStandardOutput = true,
            Environment = new Dictionary<string, string?> { ["GIT_PAGER"] = "cat", ["LC_ALL"] = "C", ["GIT_TERMINAL_PROMPT"] = "0" },
        }, ct);

    public async Task<string> CheckedAsync(CancellationToken ct, params string[] args)
    {
        var r = await RunAsync(ct, args);
        if (!r.Succeeded)
            throw new ReleaseException($"'git {string.Join(' ', args)}' failed in '{Root}': {string.Join(" ", r.Tail).Trim()}");
        return r.StandardOutput.Trim();
    }

    /// <summary>The full sha <paramref name="reference"/> names as a commit, or null when it names none here.</summary>
    public async Task<string?> ResolveCommitAsync(string reference, CancellationToken ct)
    {
        var r = await RunAsync(ct, "rev-parse", "--verify", "--quiet", reference + "^{commit}");
        return r.Succeeded ? r.StandardOutput.Trim() : null;
    }

    public async Task<bool> HasRemoteAsync(string name, CancellationToken ct) => (await RunAsync(ct, "remote", "get-url", name)).Succeeded;

    public async Task<string?> RemoteUrlAsync(string name, CancellationToken ct) =>
        await RunAsync(ct, "remote", "get-url", name) is { Succeeded: true } r ? r.StandardOutput.Trim() : null;

    public async Task<bool> IsShallowAsync(CancellationToken ct) =>
        (await RunAsync(ct, "rev-parse", "--is-shallow-repository")).StandardOutput.Trim() == "true";
}
