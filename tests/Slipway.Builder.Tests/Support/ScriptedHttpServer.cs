using System.Net;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Support;

/// <summary>A loopback HTTP server whose answers a test writes as a function (redirects, endless bodies).</summary>
public sealed class ScriptedHttpServer : HttpFixtureServer
{
    private readonly Func<HttpListenerContext, CancellationToken, Task> _answer;

    public ScriptedHttpServer(Func<HttpListenerContext, CancellationToken, Task> answer) : base(concurrent: true)
    {
        _answer = answer;
        Start();
    }

    public int Requests;

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref Requests);
        await _answer(context, Stopping);
    }
}
