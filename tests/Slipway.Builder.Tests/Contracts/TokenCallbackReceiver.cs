using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Slipway.Builder.Callbacks;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Contracts;

/// <summary>
/// The single-purpose builder container's platform API on loopback: it accepts a callback only when
/// <c>Authorization: Bearer</c> and the body's <c>callbackToken</c> equal the CALLBACK_TOKEN it handed out (401
/// otherwise), and, when it also has a webhook secret, only with a valid Standard Webhooks signature.
/// </summary>
public sealed class TokenCallbackReceiver : HttpFixtureServer
{
    private readonly string _token;
    private readonly WebhookVerifier? _verifier;

    public TokenCallbackReceiver(string token, string? secret = null)
    {
        _token = token;
        _verifier = secret is null ? null : new WebhookVerifier(new Secret(secret));
        Start();
    }

    public string Url => $"{Origin}/api/build-jobs/callback";
    public ConcurrentQueue<JsonElement> Accepted { get; } = new();
    public ConcurrentQueue<string> Rejections { get; } = new();
    public ConcurrentQueue<string> Bodies { get; } = new();
    public int Signed;

    protected override async Task HandleAsync(HttpListenerContext c)
    {
        var body = await ReadBodyAsync(c.Request);
        Bodies.Enqueue(System.Text.Encoding.UTF8.GetString(body));
        using var doc = JsonDocument.Parse(body);
        var bearer = c.Request.Headers["Authorization"];
        var inBody = doc.RootElement.TryGetProperty("callbackToken", out var t) ? t.GetString() : null;
        if (bearer != "Bearer " + _token || inBody != _token)
        {
            Rejections.Enqueue($"token: header '{bearer}', body '{inBody}'");
            c.Response.StatusCode = 401;
            return;
        }
        if (_verifier is not null)
        {
            try
            {
                _verifier.Verify(c.Request.Headers["webhook-id"], c.Request.Headers["webhook-timestamp"], c.Request.Headers["webhook-signature"], body);
                Interlocked.Increment(ref Signed);
            }
            catch (WebhookVerificationException e)
            {
                Rejections.Enqueue(e.Message);
                c.Response.StatusCode = 400;
                return;
            }
        }
        Accepted.Enqueue(doc.RootElement.Clone());
        c.Response.StatusCode = 204;
    }

    public IReadOnlyList<string> Statuses(string buildId) =>
        Accepted.Where(p => p.GetProperty("buildId").GetString() == buildId).OrderBy(p => p.GetProperty("sequence").GetInt64()).Select(p => p.GetProperty("status").GetString()!).ToList();

    public JsonElement Last(string buildId) =>
        Accepted.Where(p => p.GetProperty("buildId").GetString() == buildId).OrderBy(p => p.GetProperty("sequence").GetInt64()).Last();
}
