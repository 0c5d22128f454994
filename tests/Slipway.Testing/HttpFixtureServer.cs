using System.Net;

namespace Slipway.Testing;

/// <summary>
/// The one home of the test HTTP fixtures' listener: an <see cref="HttpListener"/> on a reserved loopback port, an
/// accept loop, each request answered by <see cref="HandleAsync"/> (500 if it throws, the response always closed),
/// and a dispose that closes the listener once. Subclasses are the fakes and receivers the suites talk to.
/// </summary>
public abstract class HttpFixtureServer : IAsyncDisposable, IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _disposed;

    /// <param name="concurrent">Serve each request on its own task (watches, streamed git); else one at a time, in order.</param>
    protected HttpFixtureServer(bool concurrent = false)
    {
        Concurrent = concurrent;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
    }

    public int Port { get; }
    /// <summary>http://127.0.0.1:PORT, no trailing slash.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";
    private bool Concurrent { get; }

    /// <summary>Cancelled when the server is disposed (for handlers that stream until then).</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Starts listening; subclasses call it once their own fields are set (the loop may call them at once).</summary>
    protected void Start()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Answers one request. The response is closed afterwards; an exception answers 500.</summary>
    protected abstract Task HandleAsync(HttpListenerContext context);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; } // closed
            if (Concurrent) _ = Task.Run(() => ServeAsync(context));
            else await ServeAsync(context);
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        try { await HandleAsync(context); }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (Exception)
        {
            try { context.Response.StatusCode = 500; } catch (Exception) { } // headers already sent
        }
        finally
        {
            try { context.Response.Close(); } catch (Exception) { } // closed by the handler or by the client
        }
    }

    /// <summary>Writes a JSON (or other text) body with its status.</summary>
    protected static async Task WriteAsync(HttpListenerResponse response, int status, string body, string contentType = "application/json")
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    protected static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        return body.ToArray();
    }

    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        // Close alone: Stop then Close unbinds twice, and the managed listener re-binds the port to unbind it again
        // ("Address already in use" when another process took the freed port in between).
        _listener.Close();
        if (_loop is not null)
            try { await _loop.WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
        await DisposeCoreAsync();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
