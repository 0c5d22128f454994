using System.Collections.Concurrent;
using System.Net;
using Slipway.Builder.Callbacks;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Support;

/// <summary>
/// The platform API's side of the callbacks on loopback: verifies each with the shipped <see cref="WebhookVerifier"/>
/// and records accepted payloads, raw bodies and rejections. <see cref="Down"/> answers 503 (receiver outage);
/// <see cref="Gone"/> answers 410.
/// </summary>
public sealed class CallbackReceiver : HttpFixtureServer
{
    public CallbackReceiver(string secret)
    {
        Secret = secret;
        Verifier = new WebhookVerifier(new Secret(secret));
        Start();
    }

    public string Secret { get; }
    public WebhookVerifier Verifier { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/build";
    public volatile bool Down;
    public volatile bool Gone;
    public int Requests;
    public ConcurrentQueue<CallbackPayload> Accepted { get; } = new();
    public ConcurrentQueue<string> Bodies { get; } = new();
    public ConcurrentQueue<string> Rejections { get; } = new();

    protected override async Task HandleAsync(HttpListenerContext c)
    {
        Interlocked.Increment(ref Requests);
        var body = await ReadBodyAsync(c.Request);
        Bodies.Enqueue(System.Text.Encoding.UTF8.GetString(body));
        if (Gone) c.Response.StatusCode = 410;
        else if (Down) c.Response.StatusCode = 503;
        else
        {
            try
            {
                var v = Verifier.Verify(c.Request.Headers["webhook-id"], c.Request.Headers["webhook-timestamp"], c.Request.Headers["webhook-signature"], body);
                if (!v.Duplicate) Accepted.Enqueue(v.Payload);
                c.Response.StatusCode = 204;
            }
            catch (WebhookVerificationException e)
            {
                Rejections.Enqueue(e.Message);
                c.Response.StatusCode = 400;
            }
        }
    }

    public IReadOnlyList<CallbackPayload> For(string buildId) => Accepted.Where(p => p.BuildId == buildId).OrderBy(p => p.Sequence).ToList();

    public async Task<CallbackPayload> WaitForAsync(string buildId, Func<CallbackPayload, bool> predicate, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (DateTime.UtcNow < until)
        {
            if (For(buildId).FirstOrDefault(predicate) is { } p) return p;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no matching callback for {buildId}; got: {string.Join(", ", For(buildId).Select(p => $"{p.Status}#{p.Sequence}"))}");
    }
}
