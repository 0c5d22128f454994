using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slipway.Oci.Tests.Registry;

/// <summary>
/// A loopback HTTP/1.1 proxy in front of the real registry that injects faults: for the first N requests
/// matching a rule it answers with a status (503, 429 with Retry-After, 413) or resets the connection, and passes
/// everything else through untouched. One request per connection (it forces <c>Connection: close</c>), which
/// keeps it small and lets a reset hit exactly one request. Records every request line it sees.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly List<Rule> _rules = [];
    private readonly CancellationTokenSource _stop = new();

    public FaultProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Host => $"127.0.0.1:{Port}";
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>What a rule does to a matching request: a status answer, or a reset (RST) before any answer.</summary>
    public sealed record Fault(int Status = 0, bool Reset = false, string? RetryAfter = null);

    private sealed class Rule(Func<string, string, long, bool> match, Fault fault, int times)
    {
        public Func<string, string, long, bool> Match { get; } = match;
        public Fault Fault { get; } = fault;
        public int Left = times;
        public int Hits;
    }

    /// <summary>Fails the first <paramref name="times"/> requests whose method and path match; returns a counter of hits.</summary>
    public Func<int> Inject(string method, string pathContains, Fault fault, int times) =>
        Inject((m, p, _) => m == method && p.Contains(pathContains, StringComparison.Ordinal), fault, times);

    /// <summary>Fails the first <paramref name="times"/> requests the predicate (method, path, Content-Length) picks.</summary>
    public Func<int> Inject(Func<string, string, long, bool> match, Fault fault, int times)
    {
        var rule = new Rule(match, fault, times);
        lock (_rules) _rules.Add(rule);
        return () => Volatile.Read(ref rule.Hits);
    }

    /// <summary>Extra header lines added to upstream responses (e.g. a registry that asks for a minimum chunk size).</summary>
    public Func<string, string, string?>? ExtraResponseHeaders { get; set; }

    public int Count(string method, string pathContains) =>
        Requests.Count(r => r.StartsWith(method + " ", StringComparison.Ordinal) && r.Contains(pathContains, StringComparison.Ordinal));

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(Socket client)
    {
        using var _ = client;
        try
        {
            await using var down = new NetworkStream(client, ownsSocket: false);
            var head = await ReadHeadAsync(down);
            if (head is null) return;
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var (method, path) = (parts[0], parts[1]);
            Requests.Enqueue($"{method} {path}");
            var contentLength = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(p => long.Parse(p[1].Trim())).FirstOrDefault();

            Rule? hit = null;
            lock (_rules)
                foreach (var r in _rules)
                    if (r.Left > 0 && r.Match(method, path, contentLength)) { r.Left--; r.Hits++; hit = r; break; }
            if (hit is not null)
            {
                if (hit.Fault.Reset)
                {
                    // Take part of the body so the client is mid-upload, then RST.
                    await DrainAsync(down, Math.Min(contentLength, 64 * 1024));
                    client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    return;
                }
                await DrainAsync(down, contentLength);
                var body = $$"""{"errors":[{"code":"INJECTED","message":"fault injected by the test proxy"}]}""";
                var response = $"HTTP/1.1 {hit.Fault.Status} Injected\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n"
                               + (hit.Fault.RetryAfter is { } ra ? $"Retry-After: {ra}\r\n" : "") + "\r\n" + body;
                await down.WriteAsync(Encoding.ASCII.GetBytes(response));
                return;
            }

            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort);
            await using var up = upstream.GetStream();
            var rewritten = string.Join("\r\n", lines.Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))) + "\r\nConnection: close\r\n\r\n";
            await up.WriteAsync(Encoding.ASCII.GetBytes(rewritten));
            await CopyExactlyAsync(down, up, contentLength);
            if (ExtraResponseHeaders?.Invoke(method, path) is { } extra && await ReadHeadAsync(up) is { } responseHead)
                await down.WriteAsync(Encoding.ASCII.GetBytes(responseHead + "\r\n" + extra.TrimEnd() + "\r\n\r\n"));
            await up.CopyToAsync(down);
        }
        catch (IOException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private static async Task<string?> ReadHeadAsync(Stream s)
    {
        var buffer = new List<byte>(1024);
        var one = new byte[1];
        while (true)
        {
            if (await s.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            var n = buffer.Count;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n')
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, n - 4);
        }
    }

    private static async Task DrainAsync(Stream s, long count)
    {
        var buf = new byte[64 * 1024];
        while (count > 0)
        {
            var n = await s.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, count)));
            if (n == 0) return;
            count -= n;
        }
    }

    private static async Task CopyExactlyAsync(Stream from, Stream to, long count)
    {
        var buf = new byte[256 * 1024];
        while (count > 0)
        {
            var n = await from.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, count)));
            if (n == 0) throw new IOException("client closed mid-body");
            await to.WriteAsync(buf.AsMemory(0, n));
            count -= n;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
