using System.Text;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Tests.Support;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

public sealed class CallbackTests
{
    private static readonly string SecretText = WebhookSigner.NewSecret();

    private static (string Id, string Ts, string Sig, byte[] Body) Signed(CallbackPayload p, long? ts = null, string? secret = null)
    {
        var body = p.ToJson();
        var t = ts ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = $"msg_{p.BuildId}_{p.Sequence}";
        return (id, t.ToString(), new WebhookSigner(new Secret(secret ?? SecretText)).Sign(id, t, body), body);
    }

    private static CallbackPayload Payload(long seq, string status = "RUNNING") => new() { BuildId = "b1", Status = status, Sequence = seq, Attempt = 1 };

    [Fact]
    public void Signature_matches_the_standard_webhooks_reference_vector()
    {
        // From the Standard Webhooks spec's examples (svix): secret, id, timestamp, body → signature.
        var signer = new WebhookSigner(new Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        var sig = signer.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"));
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", sig);
    }

    [Fact]
    public void Verifier_rejects_forged_stale_and_older_callbacks_and_reports_duplicates()
    {
        var verifier = new WebhookVerifier(new Secret(SecretText));
        var ok = Signed(Payload(2));
        Assert.False(verifier.Verify(ok.Id, ok.Ts, ok.Sig, ok.Body).Duplicate);
        Assert.True(verifier.Verify(ok.Id, ok.Ts, ok.Sig, ok.Body).Duplicate);

        var forged = Signed(Payload(3), secret: WebhookSigner.NewSecret());
        Assert.Contains("does not match", Assert.Throws<WebhookVerificationException>(() => verifier.Verify(forged.Id, forged.Ts, forged.Sig, forged.Body)).Message);
        var tampered = Signed(Payload(3));
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(tampered.Body).Replace("RUNNING", "SUCCEEDED"));
        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(tampered.Id, tampered.Ts, tampered.Sig, changed));
        var stale = Signed(Payload(4), ts: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds());
        Assert.Contains("stale or replayed", Assert.Throws<WebhookVerificationException>(() => verifier.Verify(stale.Id, stale.Ts, stale.Sig, stale.Body)).Message);
        var older = Signed(Payload(1));
        Assert.Contains("not newer", Assert.Throws<WebhookVerificationException>(() => verifier.Verify(older.Id, older.Ts, older.Sig, older.Body)).Message);
        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(null, ok.Ts, ok.Sig, ok.Body));
    }

    [Fact]
    public async Task Delivery_retries_while_the_receiver_is_down_and_stops_at_410()
    {
        await using var receiver = new CallbackReceiver(SecretText);
        receiver.Down = true;
        using var http = new HttpClient();
        var sender = new CallbackSender(http, new CallbackRetryPolicy { FirstDelay = TimeSpan.FromMilliseconds(100), MaxAttempts = 20 });
        var delivery = sender.SendAsync(receiver.Url, new Secret(SecretText), Payload(1), default);
        var until = DateTime.UtcNow.AddMinutes(1);
        while (receiver.Requests < 3)
        {
            Assert.True(DateTime.UtcNow < until, "three deliveries to the down receiver within a minute");
            await Task.Delay(20);
        }
        receiver.Down = false;
        Assert.Equal(DeliveryOutcome.Delivered, await delivery);
        Assert.Single(receiver.Accepted);

        receiver.Gone = true;
        var before = receiver.Requests;
        Assert.Equal(DeliveryOutcome.Gone, await sender.SendAsync(receiver.Url, new Secret(SecretText), Payload(2), default));
        Assert.Equal(before + 1, receiver.Requests);
    }

    [Fact]
    public void A_malformed_secret_is_one_line_with_the_fix()
    {
        var e = Assert.Throws<StepFailure>(() => new WebhookSigner(new Secret("whsec_not-base64!")));
        Assert.Contains("whsec_", e.Message);
        Assert.Contains("head -c 32 /dev/urandom", e.Message);
    }
}
