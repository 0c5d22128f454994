using System.Collections.Concurrent;
using System.Net;

namespace Slipway.Oci.Tests.Registry;

/// <summary>
/// Sits between our client and the real registry: records every request, and can fail the first N requests
/// that match a predicate (a fault injector in front of the real registry, not a fake registry).
/// </summary>
public sealed class RecordingTransport : DelegatingHandler
{
    public ConcurrentQueue<string> Requests { get; } = new();
    public Func<HttpRequestMessage, bool>? FailWhen { get; set; }
    public HttpStatusCode FailWith { get; set; } = HttpStatusCode.ServiceUnavailable;
    public int FailuresLeft;
    public int Injected;

    public RecordingTransport() => InnerHandler = new SocketsHttpHandler();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}{request.RequestUri.Query}");
        if (FailWhen?.Invoke(request) == true && Interlocked.Decrement(ref FailuresLeft) >= 0)
        {
            Interlocked.Increment(ref Injected);
            return new HttpResponseMessage(FailWith) { RequestMessage = request, Content = new StringContent("injected") };
        }
        return await base.SendAsync(request, cancellationToken);
    }

    public int Count(string method, string pathContains) =>
        Requests.Count(r => r.StartsWith(method + " ", StringComparison.Ordinal) && r.Contains(pathContains, StringComparison.Ordinal));
}
