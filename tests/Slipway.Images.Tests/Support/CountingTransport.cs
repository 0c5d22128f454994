using System.Collections.Concurrent;

namespace Slipway.Images.Tests.Support;

/// <summary>Sits between the registry client and the real registry and records every request it makes.</summary>
public sealed class CountingTransport : DelegatingHandler
{
    public ConcurrentQueue<string> Requests { get; } = new();

    public CountingTransport() => InnerHandler = new SocketsHttpHandler();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Blob upload requests (starting or committing an upload).</summary>
    public int BlobUploads => Requests.Count(r => r.Contains("/blobs/uploads/", StringComparison.Ordinal));
}
