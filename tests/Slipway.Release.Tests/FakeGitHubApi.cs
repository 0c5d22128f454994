using System.Collections.Concurrent;
using System.Net;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Release.Tests;

/// <summary>
/// Stands in for GitHub's REST API, which cannot be reached here: answers
/// <c>GET …/repos/{owner}/{repo}/compare/{base}...{head}</c> on loopback from a real git repository holding the
/// full history (as GitHub would), with the status values GitHub uses: identical, behind, ahead, diverged; 404
/// for a commit it does not have.
/// </summary>
public sealed class FakeGitHubApi : HttpFixtureServer
{
    private readonly string _history;

    public FakeGitHubApi(string historyRepository)
    {
        _history = historyRepository;
        Url = new Uri(Origin + "/");
        Start();
    }

    public Uri Url { get; }
    public ConcurrentQueue<string> Requests { get; } = new();

    protected override async Task HandleAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath;
        Requests.Enqueue(path);
        var at = path.IndexOf("/repos/", StringComparison.Ordinal);
        var parts = at < 0 ? [] : path[(at + "/repos/".Length)..].Split('/', 4);
        if (parts.Length != 4 || parts[2] != "compare" || !parts[3].Contains("..."))
        {
            await Send(ctx, 404, """{"message":"Not Found"}""");
            return;
        }
        var range = Uri.UnescapeDataString(parts[3]).Split("...");
        var (baseRef, head) = (range[0], range[1]);
        if (!await Git("cat-file", "-e", head + "^{commit}"))
        {
            await Send(ctx, 404, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest/commits/commits#compare-two-commits"}""");
            return;
        }
        var status = await Git("merge-base", "--is-ancestor", head, baseRef)
            ? (await Git("merge-base", "--is-ancestor", baseRef, head) ? "identical" : "behind")
            : await Git("merge-base", "--is-ancestor", baseRef, head) ? "ahead" : "diverged";
        var api = $"{Url}api/v3/repos/{parts[0]}/{parts[1]}";
        await Send(ctx, 200, $$"""
            {"url":"{{api}}/compare/{{baseRef}}...{{head}}","html_url":"https://github.com/{{parts[0]}}/{{parts[1]}}/compare/{{baseRef}}...{{head}}",
             "permalink_url":"","diff_url":"","patch_url":"","status":"{{status}}","ahead_by":0,"behind_by":0,"total_commits":0,
             "base_commit":null,"merge_base_commit":null,"commits":[],"files":[]}
            """);
    }

    private async Task<bool> Git(params string[] args) =>
        (await ToolRunner.RunAsync(new ToolInvocation("git", ["-C", _history, .. args]))).Succeeded;

    private static Task Send(HttpListenerContext ctx, int status, string json) =>
        WriteAsync(ctx.Response, status, json, "application/json; charset=utf-8");
}
