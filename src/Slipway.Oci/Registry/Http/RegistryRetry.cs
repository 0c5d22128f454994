using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Retry;

namespace Slipway.Oci.Registry.Http;

/// <summary>
/// The one retry policy of the registry client (a Polly <see cref="ResiliencePipeline"/>): transient failures —
/// 408, 429, 5xx, connection resets — are tried again up to <see cref="RegistryClientOptions.MaxAttempts"/> times
/// with exponential backoff and jitter, honouring Retry-After. It is used at two levels, with the same rules:
/// <see cref="Handler"/> resends requests whose body can be replayed, and the push flow
/// (<see cref="RegistrySession"/>) retries a streamed upload as a whole, on a new upload session.
/// </summary>
public sealed class RegistryRetry
{
    private readonly ResiliencePipeline _pipeline;

    public RegistryRetry(int maxAttempts, TimeSpan baseDelay)
    {
        _pipeline = maxAttempts <= 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxAttempts - 1,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } e } => IsTransient(e),
                    { Result: HttpResponseMessage r } => IsTransient(r.StatusCode),
                    _ => false,
                }),
                // AttemptNumber counts from 0 for the first retry.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(baseDelay, args.AttemptNumber + 1,
                    args.Outcome.Result is HttpResponseMessage { Headers.RetryAfter: { } ra } ? ra.Delta ?? ra.Date - DateTimeOffset.UtcNow : null)),
                // A retried response is never read: free its connection before the next attempt.
                OnRetry = static args =>
                {
                    (args.Outcome.Result as IDisposable)?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public RegistryRetry(RegistryClientOptions options) : this(options.MaxAttempts, options.RetryBaseDelay) { }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails permanently, or the attempts are used up.</summary>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(attempt, cancellationToken);

    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> attempt, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(attempt, cancellationToken);

    /// <summary>The HTTP-level use: resends each replayable request (no body, or bytes in memory) under this policy.</summary>
    public DelegatingHandler Handler(HttpMessageHandler inner) => new RetryingHandler(this) { InnerHandler = inner };

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>
    /// Connection failures and transient registry answers are; a cancellation is not, nor is a blob whose bytes are
    /// wrong (an InvalidDataException anywhere inside).
    /// </summary>
    public static bool IsTransient(Exception e)
    {
        if (e is OperationCanceledException) return false;
        for (var x = e; x is not null; x = x.InnerException)
            if (x is InvalidDataException) return false;
        return e is RegistryException r ? r.IsTransient : e is HttpRequestException or IOException or SocketException;
    }

    /// <summary>Exponential with ±20 % jitter (parallel transfers don't retry in lockstep), capped at 10 s; Retry-After wins up to 30 s.</summary>
    public static TimeSpan Backoff(TimeSpan baseDelay, int attempt, TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } ra && ra >= TimeSpan.Zero && ra < TimeSpan.FromSeconds(30)) return ra;
        var ms = baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(ms, 10_000));
    }

    private sealed class RetryingHandler(RegistryRetry retry) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // A streamed body can be sent once only; the push flow retries those as a whole.
            if (request.Content is not (null or ByteArrayContent)) return await base.SendAsync(request, cancellationToken);
            var first = true;
            return await retry.ExecuteAsync(async ct =>
            {
                if (first)
                {
                    first = false;
                    return await base.SendAsync(request, ct);
                }
                // HttpClient refuses to send one request message twice: later attempts send a copy.
                using var copy = await Auth.AuthHandler.CloneAsync(request, ct);
                return await base.SendAsync(copy, ct);
            }, cancellationToken);
        }
    }
}
