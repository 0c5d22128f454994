using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Slipway.Tooling;

namespace Slipway.Builder.Callbacks;

public enum DeliveryOutcome { Delivered, Gone, GaveUp }

/// <summary>
/// Delivers signed callbacks: one webhook-id per message (kept across its retries), fresh timestamp and signature
/// per try, retried by a Polly pipeline (exponential backoff, the registry client's style) on network errors and
/// 408/429/5xx answers; stop at once on 410 Gone or any other answer. The receiver is the platform's, but the URL
/// may have come from a user: redirects are never followed (see <see cref="CreateHttpClient"/>) and a response
/// body is never read (headers only, at most a few KB of it drained). Delivery failures never fail the build:
/// they are logged (redacted) and the outcome returned.
/// </summary>
public sealed class CallbackSender(HttpClient http, CallbackRetryPolicy? policy = null, Action<string>? log = null)
{
    private readonly CallbackRetryPolicy _policy = policy ?? new CallbackRetryPolicy();

    /// <summary>The client callbacks must be sent with: no redirects, no cookies, small header limit.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxResponseHeadersLength = 16, // KB
        MaxResponseDrainSize = 4 * 1024,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

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
        var tries = 0;
        string problem = "";
        var pipeline = new ResiliencePipelineBuilder<HttpStatusCode?>()
            .AddRetry(new RetryStrategyOptions<HttpStatusCode?>
            {
                MaxRetryAttempts = Math.Max(0, _policy.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                Delay = _policy.FirstDelay,
                MaxDelay = _policy.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException } => true,
                    { Exception: OperationCanceledException } => !cancellationToken.IsCancellationRequested, // the per-try timeout
                    { Result: { } status } => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500,
                    _ => false,
                }),
                OnRetry = args =>
                {
                    problem = Problem(args.Outcome);
                    log?.Invoke(Secrets.Redact($"callback {payload.Status} #{payload.Sequence}: {problem}; retry {args.AttemptNumber + 2}/{_policy.MaxAttempts} in {args.RetryDelay.TotalSeconds:0.#} s"));
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        Outcome<HttpStatusCode?> outcome;
        try
        {
            outcome = await pipeline.ExecuteOutcomeAsync(async (context, _) =>
        {
            tries++;
            try { return Outcome.FromResult<HttpStatusCode?>(await TryOnceAsync(url, signer, token, id, body, context.CancellationToken)); }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return Outcome.FromException<HttpStatusCode?>(e);
            }
            }, resilience, 0);
        }
        finally { ResilienceContextPool.Shared.Return(resilience); }
        cancellationToken.ThrowIfCancellationRequested();

        if (outcome.Result is { } status && (int)status is >= 200 and < 300) return DeliveryOutcome.Delivered;
        if (outcome.Result == HttpStatusCode.Gone)
        {
            log?.Invoke($"callback {payload.Status} #{payload.Sequence}: receiver answered 410 Gone; not sending again");
            return DeliveryOutcome.Gone;
        }
        problem = Problem(outcome);
        log?.Invoke(Secrets.Redact($"callback {payload.Status} #{payload.Sequence} to {url} not delivered after {tries} tries ({problem})"));
        return DeliveryOutcome.GaveUp;
    }

    private static string Problem(Outcome<HttpStatusCode?> outcome) => outcome switch
    {
        { Exception: OperationCanceledException } => "timed out",
        { Exception: { } e } => e.Message,
        { Result: { } s } when (int)s is >= 300 and < 400 => $"HTTP {(int)s} (redirects are not followed)",
        { Result: { } s } => $"HTTP {(int)s}",
        _ => "no answer",
    };

    private async Task<HttpStatusCode> TryOnceAsync(string url, WebhookSigner? signer, Secret? token, string id, byte[] body, CancellationToken cancellationToken)
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
        // Headers only: the status is the whole answer; a receiver's body (or an endless one) is never read.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return response.StatusCode;
    }
}

public sealed record CallbackRetryPolicy
{
    public int MaxAttempts { get; init; } = 8;
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
