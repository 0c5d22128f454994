using System.Net;
using System.Net.Sockets;

namespace Slipway.Oci.Registry.Http;

/// <summary>
/// Retries transient failures (408, 429, 5xx, connection resets) with exponential backoff and jitter, honouring
/// Retry-After. Only requests whose body can be replayed are retried here; streamed uploads are retried by the
/// push flow, which restarts the upload session.
/// </summary>
public sealed class RetryHandler(int maxAttempts, TimeSpan baseDelay) : DelegatingHandler
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Connection failures are; a blob whose bytes are wrong (InvalidDataException inside) is not.</summary>
    public static bool IsTransient(Exception e)
    {
        if (e is OperationCanceledException) return false;
        for (var x = e; x is not null; x = x.InnerException)
            if (x is InvalidDataException) return false;
        return e is HttpRequestException or IOException or SocketException;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var replayable = request.Content is null or ByteArrayContent;
        for (var attempt = 1; ; attempt++)
        {
            var last = !replayable || attempt >= maxAttempts;
            HttpResponseMessage response;
            try
            {
                using var attemptRequest = attempt == 1 ? null : await Auth.AuthHandler.CloneAsync(request, cancellationToken);
                response = await base.SendAsync(attemptRequest ?? request, cancellationToken);
            }
            catch (Exception e) when (!last && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Delay(attempt, null), cancellationToken);
                continue;
            }
            if (last || !IsTransient(response.StatusCode)) return response;
            var retryAfter = response.Headers.RetryAfter is { } ra ? ra.Delta ?? ra.Date - DateTimeOffset.UtcNow : null;
            response.Dispose();
            await Task.Delay(Delay(attempt, retryAfter), cancellationToken);
        }
    }

    public TimeSpan Delay(int attempt, TimeSpan? retryAfter) => Backoff(baseDelay, attempt, retryAfter);

    /// <summary>Exponential with ±20 % jitter (parallel transfers don't retry in lockstep), capped at 10 s; Retry-After wins up to 30 s.</summary>
    public static TimeSpan Backoff(TimeSpan baseDelay, int attempt, TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } ra && ra >= TimeSpan.Zero && ra < TimeSpan.FromSeconds(30)) return ra;
        var ms = baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(ms, 10_000));
    }
}
