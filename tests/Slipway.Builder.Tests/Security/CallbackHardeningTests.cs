using Slipway.Builder.Callbacks;
using Slipway.Builder.Tests.Support;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Security;

/// <summary>Callbacks go where the platform listens and nowhere else (issue 17): no redirects, no unbounded reading.</summary>
public sealed class CallbackHardeningTests
{
    private static readonly string SecretText = WebhookSigner.NewSecret();
    private static readonly CallbackRetryPolicy Quick = new() { FirstDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 3, RequestTimeout = TimeSpan.FromSeconds(20) };

    private static CallbackPayload Payload(long seq) => new() { BuildId = "cb-hostile", Status = "RUNNING", Sequence = seq, Attempt = 1 };

    [Fact]
    public async Task A_redirect_would_carry_the_signed_callback_to_another_host_and_is_never_followed()
    {
        await using var target = new CallbackReceiver(SecretText);
        await using var redirecting = new ScriptedHttpServer((c, _) =>
        {
            c.Response.StatusCode = 307; // keeps method and body: the signed payload would be re-posted to the target
            c.Response.RedirectLocation = target.Url;
            return Task.CompletedTask;
        });
        var url = redirecting.Origin + "/hooks";

        // The attack: a default HttpClient follows it, and the internal target gets the signed payload.
        using (var naive = new HttpClient())
        using (var response = await naive.PostAsync(url, new StringContent("{}")))
            Assert.True(Volatile.Read(ref target.Requests) >= 1, "a default client should follow the redirect");
        var reached = Volatile.Read(ref target.Requests);
        var asked = Volatile.Read(ref redirecting.Requests);

        using var http = CallbackSender.CreateHttpClient();
        var log = new List<string>();
        var outcome = await new CallbackSender(http, Quick, log.Add).SendAsync(url, new Secret(SecretText), Payload(1), default);
        Assert.Equal(DeliveryOutcome.GaveUp, outcome);
        Assert.Equal(reached, Volatile.Read(ref target.Requests)); // still only the naive client's
        Assert.Equal(asked + 1, Volatile.Read(ref redirecting.Requests)); // a redirect is an answer, not retried
        Assert.Contains(log, l => l.Contains("HTTP 307 (redirects are not followed)"));
    }

    [Fact]
    public async Task An_endless_response_body_is_never_read()
    {
        long written = 0;
        await using var endless = new ScriptedHttpServer(async (c, stop) =>
        {
            c.Response.StatusCode = 200;
            c.Response.SendChunked = true;
            var chunk = new byte[64 * 1024];
            try
            {
                while (!stop.IsCancellationRequested && written < (1L << 30))
                {
                    await c.Response.OutputStream.WriteAsync(chunk, stop);
                    Interlocked.Add(ref written, chunk.Length);
                    // Paced (~10 MB/s): unpaced, loopback delivers the whole GiB bound in under the naive client's
                    // 2 s on a quiet machine, and the attack below would seem to end.
                    await Task.Delay(5, stop);
                }
            }
            catch (Exception) { /* the client hung up: what we want */ }
        });

        // The attack: reading the body as the sender did (the default completion option) never ends; here it is cut at 2 s.
        using (var naive = new HttpClient())
        using (var cut = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => naive.PostAsync(endless.Origin + "/hooks", new StringContent("{}"), cut.Token));

        using var http = CallbackSender.CreateHttpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        Assert.Equal(DeliveryOutcome.Delivered, await new CallbackSender(http, Quick).SendAsync(endless.Origin + "/hooks", new Secret(SecretText), Payload(2), deadline.Token));
    }
}
