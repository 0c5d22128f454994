using System.IO.Compression;
using System.Text;

namespace Slipway.Builder.Tests.Support;

/// <summary>Looks for a secret where it must never be: texts, files (a checkout's .git), registry blobs (gunzipped layers too).</summary>
public static class Leaks
{
    public static void AssertAbsent(string secret, IEnumerable<string> texts, string what)
    {
        foreach (var t in texts) Assert.False(t.Contains(secret, StringComparison.Ordinal), $"the token leaked into {what}: {t}");
    }

    public static void AssertAbsentInTree(string secret, string directory)
    {
        if (!Directory.Exists(directory)) return;
        var needle = Encoding.UTF8.GetBytes(secret);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(bytes.AsSpan().IndexOf(needle) >= 0, $"the token leaked into {file}");
            if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            {
                using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gz.CopyTo(plain);
                Assert.False(plain.ToArray().AsSpan().IndexOf(needle) >= 0, $"the token leaked into layer {file}");
            }
        }
    }

    /// <summary>Samples /proc/PID/cmdline of a process's descendants until cancelled; returns every command line seen.</summary>
    public static async Task<List<string>> WatchCommandLinesAsync(Func<IReadOnlyList<int>> pids, CancellationToken ct)
    {
        var seen = new List<string>();
        while (!ct.IsCancellationRequested)
        {
            foreach (var pid in pids())
            {
                try { seen.Add(File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            try { await Task.Delay(20, ct); } catch (OperationCanceledException) { }
        }
        return seen;
    }
}
