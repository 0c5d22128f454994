using System.Net;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Http;

namespace Slipway.Oci.Tests.Registry;

/// <summary>The one retry policy's rules, on plain callbacks (the wire behaviour is in RegistryFaultTests).</summary>
public class RegistryRetryTests
{
    private static readonly RegistryRetry Retry = new(maxAttempts: 4, TimeSpan.FromMilliseconds(1));

    private static async Task<int> AttemptsUntilThrown(Exception failure)
    {
        var attempts = 0;
        await Assert.ThrowsAnyAsync<Exception>(() => Retry.ExecuteAsync(_ => { attempts++; throw failure; }, default).AsTask());
        return attempts;
    }

    [Fact]
    public async Task Transient_failures_are_tried_max_attempts_times_and_permanent_ones_once()
    {
        Assert.Equal(4, await AttemptsUntilThrown(new RegistryException("503", HttpStatusCode.ServiceUnavailable)));
        Assert.Equal(4, await AttemptsUntilThrown(new HttpRequestException("connection reset")));
        Assert.Equal(4, await AttemptsUntilThrown(new IOException("reset by peer")));
        Assert.Equal(1, await AttemptsUntilThrown(new RegistryException("denied", HttpStatusCode.Forbidden)));
        Assert.Equal(1, await AttemptsUntilThrown(new HttpRequestException("x", new InvalidDataException("wrong digest"))));
        Assert.Equal(1, await AttemptsUntilThrown(new OperationCanceledException()));
    }

    [Fact]
    public async Task A_transient_response_is_retried_and_disposed_and_a_good_one_is_returned()
    {
        var responses = new List<HttpResponseMessage>();
        var bodies = new List<MemoryStream>();
        var result = await Retry.ExecuteAsync(_ =>
        {
            var body = new MemoryStream([1, 2, 3]);
            bodies.Add(body);
            var r = new HttpResponseMessage(responses.Count < 2 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK) { Content = new StreamContent(body) };
            if (responses.Count == 0) r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            responses.Add(r);
            return ValueTask.FromResult(r);
        }, default);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal(3, responses.Count);
        Assert.Equal([false, false, true], bodies.Select(b => b.CanRead)); // the retried ones were disposed
    }

    [Fact]
    public void Backoff_grows_is_capped_and_Retry_After_wins_below_30_s()
    {
        var b = TimeSpan.FromMilliseconds(100);
        Assert.InRange(RegistryRetry.Backoff(b, 1).TotalMilliseconds, 80, 120);
        Assert.InRange(RegistryRetry.Backoff(b, 3).TotalMilliseconds, 320, 480);
        Assert.Equal(10_000, RegistryRetry.Backoff(b, 30).TotalMilliseconds);
        Assert.Equal(TimeSpan.FromSeconds(2), RegistryRetry.Backoff(b, 1, TimeSpan.FromSeconds(2)));
        Assert.InRange(RegistryRetry.Backoff(b, 1, TimeSpan.FromMinutes(5)).TotalMilliseconds, 80, 120);
    }
}
