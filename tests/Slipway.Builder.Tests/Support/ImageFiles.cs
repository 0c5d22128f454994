using System.IO.Compression;
using System.Text;

namespace Slipway.Builder.Tests.Support;

/// <summary>Whether any layer of an OCI layout holds some bytes (layers gunzipped; a leak check, not a parser).</summary>
public static class ImageFiles
{
    public static bool Contains(string layout, string marker)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        foreach (var blob in Directory.EnumerateFiles(Path.Combine(layout, "blobs"), "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(blob);
            if (bytes.AsSpan().IndexOf(needle) >= 0) return true;
            if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) continue;
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gz.CopyTo(plain);
            if (plain.ToArray().AsSpan().IndexOf(needle) >= 0) return true;
        }
        return false;
    }
}
