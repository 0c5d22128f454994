using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Release.Tests;

/// <summary>
/// Stands in for GitHub's REST API, which cannot be reached here: answers
/// <c>GET …/repos/{owner}/{repo}/compare/{base}...{head}</c> on loopback from a real git repository holding the
/// full history (as GitHub would), with the status values GitHub uses: identical, behind, ahead, diverged; 404
/// for a commit it does not have.
/// </summary>
public sealed class FakeGitHubApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _history;
    private readonly Task _loop;

    public FakeGitHubApi(string historyRepository)
    {
        _history = historyRepository;
        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }
    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            try { await AnswerAsync(ctx); }
            catch (Exception) { ctx.Response.StatusCode = 500; }
            finally { ctx.Response.Close(); }
        }
    }

    private async Task AnswerAsync(HttpListenerContext ctx)
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

    private static async Task Send(HttpListenerContext ctx, int status, string json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(json);
        ctx.Response.ContentLength64 = bytes.Length;
        await ctx.Response.OutputStream.WriteAsync(bytes);
    }

    public void Dispose()
    {
        // Close alone: Stop then Close unbinds twice, and the managed listener re-binds the port to unbind it again
        // ("Address already in use" when another process took the freed port in between).
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
