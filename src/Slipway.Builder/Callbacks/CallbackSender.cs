using System.Net;
using System.Net.Http.Headers;
using Slipway.Tooling;

namespace Slipway.Builder.Callbacks;

public enum DeliveryOutcome { Delivered, Gone, GaveUp }

/// <summary>
/// Delivers signed callbacks: one webhook-id per message (kept across its retries), fresh timestamp and signature
/// per try, exponential backoff on network errors and non-2xx answers, stop at once on 410 Gone.
/// Delivery failures never fail the build: they are logged (redacted) and the outcome returned.
/// </summary>
public sealed class CallbackSender(HttpClient http, CallbackRetryPolicy? policy = null, Action<string>? log = null)
{
    private readonly CallbackRetryPolicy _policy = policy ?? new CallbackRetryPolicy();

    public Task<DeliveryOutcome> SendAsync(string url, Secret secret, CallbackPayload payload, CancellationToken cancellationToken) =>
        SendAsync(url, secret, null, payload, cancellationToken);

    /// <summary>
    /// Signed when a secret is given (Standard Webhooks); with a token (the single-purpose container's
    /// CALLBACK_TOKEN) it also goes as <c>Authorization: Bearer</c> and in the body, inside what is signed.
    /// </summary>
    public async Task<DeliveryOutcome> SendAsync(string url, Secret? secret, Secret? token, CallbackPayload payload, CancellationToken cancellationToken)
    {
        var signer = secret is null ? null : new WebhookSigner(secret);
        var id = $"msg_{payload.BuildId}_{payload.Sequence}";
        var body = payload.ToJson();
        if (token is not null) body = Contracts.SinglePurposeContainerContract.AddToBody(body, token);
        var delay = _policy.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("webhook-id", id);
                if (signer is not null)
                {
                    request.Headers.Add("webhook-timestamp", ts.ToString());
                    request.Headers.Add("webhook-signature", signer.Sign(id, ts, body));
                }
                if (token is not null) Contracts.SinglePurposeContainerContract.Authorize(request, token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_policy.RequestTimeout);
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode) return DeliveryOutcome.Delivered;
                if (response.StatusCode == HttpStatusCode.Gone)
                {
                    log?.Invoke($"callback {payload.Status} #{payload.Sequence}: receiver answered 410 Gone; not sending again");
                    return DeliveryOutcome.Gone;
                }
                problem = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e) { problem = e.Message; }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { problem = "timed out"; }
            if (attempt >= _policy.MaxAttempts)
            {
                log?.Invoke(Secrets.Redact($"callback {payload.Status} #{payload.Sequence} to {url} not delivered after {attempt} tries ({problem})"));
                return DeliveryOutcome.GaveUp;
            }
            log?.Invoke(Secrets.Redact($"callback {payload.Status} #{payload.Sequence}: {problem}; retry {attempt + 1}/{_policy.MaxAttempts} in {delay.TotalSeconds:0.#} s"));
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _policy.MaxDelay.Ticks));
        }
    }
}

public sealed record CallbackRetryPolicy
{
    public int MaxAttempts { get; init; } = 8;
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
