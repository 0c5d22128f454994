using System.Net;
using Slipway.Testing;

namespace Slipway.Dashboard.Tests;

/// <summary>
/// A stand-in for the builder worker's read-only API (`slipway builder serve --http`), serving fixed JSON in the
/// documented shape (docs/builder.md): it answers /api/builds with the given builds, filtered like the worker.
/// </summary>
public sealed class FakeBuilderApi : HttpFixtureServer
{
    private readonly string _buildsJson;
    public string Url => Origin;

    public FakeBuilderApi(string buildsJson)
    {
        _buildsJson = buildsJson;
        Start();
    }

    protected override Task HandleAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        return path == "/api/builds"
            ? WriteAsync(context.Response, 200, Filter(context.Request.QueryString["status"]))
            : WriteAsync(context.Response, 404, "{\"error\":\"not found\"}");
    }

    private string Filter(string? status)
    {
        if (string.IsNullOrEmpty(status)) return _buildsJson;
        var all = System.Text.Json.JsonDocument.Parse(_buildsJson).RootElement.EnumerateArray();
        return "[" + string.Join(",", all.Where(b => b.GetProperty("status").GetString() == status).Select(b => b.GetRawText())) + "]";
    }
}
