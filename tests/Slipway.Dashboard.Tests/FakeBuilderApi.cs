using System.Net;
using System.Text;
using Slipway.Testing;

namespace Slipway.Dashboard.Tests;

/// <summary>
/// A stand-in for the builder worker's read-only API (`slipway builder serve --http`), serving fixed JSON in the
/// documented shape (docs/builder.md): it answers /api/builds with the given builds, filtered like the worker.
/// </summary>
public sealed class FakeBuilderApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _buildsJson;
    public string Url { get; }

    public FakeBuilderApi(string buildsJson)
    {
        _buildsJson = buildsJson;
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            var path = context.Request.Url!.AbsolutePath;
            var status = context.Request.QueryString["status"];
            var body = path == "/api/builds" ? Filter(status) : "{\"error\":\"not found\"}";
            context.Response.StatusCode = path == "/api/builds" ? 200 : 404;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private string Filter(string? status)
    {
        if (string.IsNullOrEmpty(status)) return _buildsJson;
        var all = System.Text.Json.JsonDocument.Parse(_buildsJson).RootElement.EnumerateArray();
        return "[" + string.Join(",", all.Where(b => b.GetProperty("status").GetString() == status).Select(b => b.GetRawText())) + "]";
    }

    public void Dispose() => _listener.Close();
}
