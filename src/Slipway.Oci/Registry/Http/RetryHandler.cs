using System.Net;
using System.Net.Sockets;

namespace Slipway.Oci.Registry.Http;

/// <summary>
/// Retries transient failures (408, 429, 5xx, connection resets) with exponential backoff, honouring
/// Retry-After. Only requests whose body can be replayed are retried here; streamed uploads are retried by the
/// upload flow, which restarts the upload session.
/// </summary>
public sealed class RetryHandler(int maxAttempts, TimeSpan baseDelay) : DelegatingHandler
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException or SocketException && e is not OperationCanceledException;

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
            var retryAfter = response.Headers.RetryAfter?.Delta;
            response.Dispose();
            await Task.Delay(Delay(attempt, retryAfter), cancellationToken);
        }
    }

    public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } ra && ra < TimeSpan.FromSeconds(30)) return ra;
        // Exponential with a little jitter so parallel transfers don't retry in lockstep.
        var ms = baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(ms, 10_000));
    }
}
