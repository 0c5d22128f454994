using Slipway.Tooling;
using System.Net;
using System.Net.Sockets;

namespace Slipway.Testing;

/// <summary>
/// Ports for the servers tests start. Taken below the kernel's ephemeral range (32768+ here), so an outgoing
/// connection's source port never lands on one between "picked" and "bound", and reserved across the test
/// processes that run in parallel (one per suite) by a lock on a file per port held until this process exits.
/// </summary>
public static class FreePort
{
    private const int First = 20000, Last = 32000;
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "slipway-test-ports");
    private static readonly List<FileStream> Held = [];

    /// <summary>A loopback TCP port that is free now and that no other test process will be given.</summary>
    public static int Next()
    {
        Directory.CreateDirectory(LockDirectory);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            // A second process (or this one again) cannot take it while it is held.
            if (FileLock.TryTake(Path.Combine(LockDirectory, port.ToString())) is not { } reservation) continue;
            if (!CanBind(port)) { reservation.Dispose(); continue; }
            lock (Held) Held.Add(reservation);
            return port;
        }
        throw new InvalidOperationException($"no free loopback port in {First}-{Last} after 500 tries");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }
}
