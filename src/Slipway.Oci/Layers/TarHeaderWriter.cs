using System.Text;

namespace Slipway.Oci.Layers;

/// <summary>
/// Writes ustar headers ourselves so that nothing non-deterministic slips in: no atime/ctime, no pids in PAX
/// names, no user or group names. Paths or link targets that don't fit ustar get a PAX header holding only
/// <c>path</c>/<c>linkpath</c>/<c>size</c>, named deterministically.
/// </summary>
internal static class TarHeaderWriter
{
    public const int BlockSize = 512;
    private const long MaxUstarSize = 0x1_FFFF_FFFFL; // 11 octal digits

    public static void WriteHeader(Stream output, string name, char typeFlag, long size, int mode, int uid, int gid, long mtime, string? linkName, int devMajor = 0, int devMinor = 0)
    {
        var pax = new List<(string Key, string Value)>();
        if (!TrySplitUstarName(name, out var prefix, out var shortName))
        {
            pax.Add(("path", name));
            shortName = Truncate(name, 100);
            prefix = "";
        }
        if (linkName is not null && Encoding.UTF8.GetByteCount(linkName) > 100)
        {
            pax.Add(("linkpath", linkName));
            linkName = Truncate(linkName, 100);
        }
        if (size > MaxUstarSize) pax.Add(("size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        if (pax.Count > 0)
        {
            var body = BuildPaxBody(pax);
            // The PAX header's own name: fixed pattern, no pid (unlike GNU tar's default "%d/PaxHeaders.%p/%f").
            var paxName = Truncate("PaxHeaders/" + shortName, 100);
            WriteRaw(output, paxName, "", 'x', body.Length, 0b110_100_100, 0, 0, mtime, null);
            output.Write(body);
            WritePadding(output, body.Length);
        }
        WriteRaw(output, shortName, prefix, typeFlag, size > MaxUstarSize ? 0 : size, mode, uid, gid, mtime, linkName, devMajor, devMinor);
    }

    public static void WritePadding(Stream output, long size)
    {
        var pad = (int)((BlockSize - size % BlockSize) % BlockSize);
        if (pad > 0) output.Write(stackalloc byte[pad]);
    }

    public static void WriteEnd(Stream output) => output.Write(new byte[BlockSize * 2]);

    private static byte[] BuildPaxBody(List<(string Key, string Value)> records)
    {
        var sb = new MemoryStream();
        foreach (var (key, value) in records)
        {
            // "%d %s=%s\n" where %d counts the whole record including itself.
            var payload = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3;
            var len = payload + 1;
            while (len.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + payload != len) len++;
            sb.Write(Encoding.UTF8.GetBytes($"{len} {key}={value}\n"));
        }
        return sb.ToArray();
    }

    private static bool TrySplitUstarName(string name, out string prefix, out string shortName)
    {
        prefix = "";
        shortName = name;
        if (Encoding.UTF8.GetByteCount(name) <= 100) return true;
        for (var i = name.Length - 1; i > 0; i--)
        {
            if (name[i] != '/') continue;
            var p = name[..i];
            var n = name[(i + 1)..];
            if (Encoding.UTF8.GetByteCount(p) <= 155 && Encoding.UTF8.GetByteCount(n) is > 0 and <= 100)
            {
                prefix = p;
                shortName = n;
                return true;
            }
        }
        return false;
    }

    private static string Truncate(string s, int bytes)
    {
        while (Encoding.UTF8.GetByteCount(s) > bytes) s = s[..^1];
        return s;
    }

    private static void WriteRaw(Stream output, string name, string prefix, char typeFlag, long size, int mode, int uid, int gid, long mtime, string? linkName, int devMajor = 0, int devMinor = 0)
    {
        Span<byte> h = stackalloc byte[BlockSize];
        h.Clear();
        Ascii(h[..100], name);
        Octal(h.Slice(100, 8), mode & 0xFFF);
        Octal(h.Slice(108, 8), uid);
        Octal(h.Slice(116, 8), gid);
        Octal(h.Slice(124, 12), size);
        Octal(h.Slice(136, 12), mtime);
        h.Slice(148, 8).Fill((byte)' ');
        h[156] = (byte)typeFlag;
        if (linkName is not null) Ascii(h.Slice(157, 100), linkName);
        "ustar\0"u8.CopyTo(h.Slice(257, 6));
        "00"u8.CopyTo(h.Slice(263, 2));
        // uname/gname stay empty: names are host-specific; numeric ids are what runtimes use.
        Octal(h.Slice(329, 8), devMajor);
        Octal(h.Slice(337, 8), devMinor);
        Ascii(h.Slice(345, 155), prefix);
        var sum = 0;
        foreach (var b in h) sum += b;
        Octal(h.Slice(148, 7), sum);
        h[155] = (byte)' ';
        output.Write(h);
    }

    private static void Ascii(Span<byte> field, string value) => Encoding.UTF8.GetBytes(value, field);

    private static void Octal(Span<byte> field, long value)
    {
        // NUL-terminated, zero-padded octal, as GNU tar and Go's archive/tar write it.
        var digits = field.Length - 1;
        for (var i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        field[digits] = 0;
    }
}
