using System.Text;
using Slipway.Tooling;

namespace Slipway.Builder.Git;

/// <summary>The checked-out commit and its time (SOURCE_DATE_EPOCH for the build).</summary>
public sealed record CloneResult(string Directory, string Commit, DateTimeOffset CommitTime);

/// <summary>
/// Shallow clone of exactly one ref. The token reaches git only as an <c>http.extraHeader</c> passed through
/// GIT_CONFIG_COUNT/KEY/VALUE in git's environment: never in the URL, argv or <c>.git/config</c>
/// (the remote URL stored there is the credential-free one).
/// </summary>
public sealed class GitCloner(string git = "git")
{
    public async Task<CloneResult> CloneAsync(string url, string? gitRef, Secret? token, string directory, Action<string> log, CancellationToken cancellationToken)
    {
        var (cleanUrl, urlToken) = CloneUrl.Split(url);
        token ??= urlToken;
        Directory.CreateDirectory(directory);
        var env = new Dictionary<string, string?>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",          // never wait for a password
            ["GIT_ASKPASS"] = "/bin/false",
            ["GCM_INTERACTIVE"] = "never",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",    // a user's credential helper or url rewrites must not interfere
            ["GIT_CONFIG_COUNT"] = "0",
            // Transports a build may use; never ext:: (runs a command) or fd::, whatever a URL says.
            ["GIT_ALLOW_PROTOCOL"] = "https:http:file",
        };
        if (token is not null)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token.Reveal()));
            Secrets.Register(basic);
            env["GIT_CONFIG_COUNT"] = "1";
            env["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            env["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic;
        }
        // Validation refused these already (BuildSpecValidation); checked again where git gets them.
        if (gitRef is not null && Validation.RefName.Problem(gitRef) is { } problem)
            throw new StepFailure("clone", FailureClass.Permanent, $"ref '{gitRef}' {problem}: use a commit sha or a branch/tag name");
        if (cleanUrl.StartsWith('-')) throw new StepFailure("clone", FailureClass.Permanent, $"repo '{cleanUrl}' starts with '-': use https://host/owner/repo");
        var target = gitRef ?? "HEAD";
        log($"clone {cleanUrl} at {target}");
        // Three steps, not five: a git start costs a few ms on a quiet machine but a second under load. The remote
        // (read later for the image's source label) is recorded while the fetch, by URL, runs; the commit is read
        // while the checkout runs. Neither pair writes what the other reads. Every user value follows "--", so git
        // never reads one as an option (--upload-pack=… in a ref ran a command as the worker).
        await Git(["init", "-q", "--template=", "--", directory], null);
        await Task.WhenAll(
            Git(["-C", directory, "remote", "add", "--", "origin", cleanUrl], null),
            Git(["-C", directory, "fetch", "-q", "--depth", "1", "--no-tags", "--", cleanUrl, target], env));
        var checkout = Git(["-C", directory, "-c", "advice.detachedHead=false", "checkout", "-q", "FETCH_HEAD", "--"], null);
        var show = Git(["-C", directory, "show", "-s", "--format=%H %ct", "FETCH_HEAD", "--"], null, capture: true);
        await Task.WhenAll(checkout, show);
        var parts = (await show).StandardOutput.Trim().Split(' ');
        return new CloneResult(directory, parts[0], DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1])));

        async Task<ToolResult> Git(IReadOnlyList<string> args, Dictionary<string, string?>? environment, bool capture = false)
        {
            var result = await ToolRunner.RunAsync(new ToolInvocation(git, args)
            {
                Environment = environment ?? new Dictionary<string, string?> { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null" },
                OnLine = log,
                CaptureStandardOutput = capture,
            }, cancellationToken);
            if (!result.Succeeded)
            {
                var tail = result.Tail.ToList();
                var last = tail.LastOrDefault(l => l.Contains("fatal:") || l.Contains("error:")) ?? tail.LastOrDefault() ?? $"git exited with {result.ExitCode}";
                throw new StepFailure("clone", Classify(tail), $"git {args.First(a => a is "init" or "remote" or "fetch" or "checkout" or "log")} of {cleanUrl} at {target} failed: {last.Trim()}", tail);
            }
            return result;
        }
    }

    /// <summary>Network trouble and server errors may pass; a missing ref, a refused token or a bad URL will not.</summary>
    internal static FailureClass Classify(IReadOnlyList<string> tail)
    {
        var text = string.Join('\n', tail);
        string[] transient = ["Could not resolve host", "Failed to connect", "Connection refused", "Connection timed out", "timed out",
            "returned error: 50", "returned error: 429", "early EOF", "RPC failed", "Connection reset", "remote end hung up unexpectedly"];
        return transient.Any(t => text.Contains(t, StringComparison.OrdinalIgnoreCase)) ? FailureClass.Transient : FailureClass.Permanent;
    }
}
