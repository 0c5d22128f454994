using System.Collections.Concurrent;
using System.Net;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Support;

/// <summary>
/// A loopback HTTP front for a real server (here: docker-registry): forwards every request, records each request's
/// Authorization header, can demand Basic auth, and rewrites Location headers (to send an upload to another host).
/// </summary>
public sealed class ForwardingServer : HttpFixtureServer
{
    private static readonly HashSet<string> Hop = new(StringComparer.OrdinalIgnoreCase)
        { "Host", "Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Expect" };
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
    private readonly string _target;

    public ForwardingServer(string target, bool requireBasic = false) : base(concurrent: true)
    {
        _target = target.TrimEnd('/');
        RequireBasic = requireBasic;
        Start();
    }

    public bool RequireBasic { get; }
    /// <summary>Rewrites the Location of an answer (null: unchanged).</summary>
    public Func<string, string>? RewriteLocation { get; set; }
    /// <summary>"METHOD path → Authorization scheme or '-'", in order.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var auth = request.Headers["Authorization"];
        Seen.Enqueue($"{request.HttpMethod} {request.Url!.AbsolutePath} {(auth is null ? "-" : auth.Split(' ')[0])}");
        if (RequireBasic && auth is null)
        {
            context.Response.StatusCode = 401;
            context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"front\"");
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), _target + request.Url!.PathAndQuery);
        if (request.HasEntityBody)
        {
            var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            body.Position = 0;
            forward.Content = new StreamContent(body);
            if (request.ContentType is { } type) forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var name in request.Headers.AllKeys)
            if (name is not null && !Hop.Contains(name) && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                forward.Headers.TryAddWithoutValidation(name, request.Headers[name]);
        using var response = await _client.SendAsync(forward);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (Hop.Contains(name)) continue;
            var value = string.Join(",", values);
            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) && RewriteLocation is { } rewrite) value = rewrite(value);
            context.Response.AddHeader(name, value);
        }
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length > 0) await context.Response.OutputStream.WriteAsync(bytes);
    }
}
