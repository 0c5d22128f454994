using System.Globalization;
using System.Text;

namespace Slipway.Oci.Layers;

/// <summary>
/// Writes POSIX ustar headers ourselves so every byte is under our control: no uname/gname, no atime/ctime,
/// no pids in PAX header names. A PAX 'x' record is added only for what ustar cannot hold (long or
/// non-ASCII-splittable paths, sizes ≥ 8 GiB, large ids) and carries only those keys.
/// </summary>
internal static class TarHeaderWriter
{
    public const int Block = 512;

    public static void WriteHeader(LayerSink sink, string name, char type, int mode, int uid, int gid, long size, long mtime,
        string linkName = "", int devMajor = 0, int devMinor = 0)
    {
        var pax = new List<(string Key, string Value)>();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] prefix = [], shortName = nameBytes;
        if (nameBytes.Length > 100 && !TrySplit(nameBytes, out prefix, out shortName))
        {
            pax.Add(("path", name));
            shortName = Truncate(nameBytes, 100);
            prefix = [];
        }
        var linkBytes = Encoding.UTF8.GetBytes(linkName);
        if (linkBytes.Length > 100) { pax.Add(("linkpath", linkName)); linkBytes = Truncate(linkBytes, 100); }
        if (size > 0x1_FFFF_FFFFL) pax.Add(("size", size.ToString(CultureInfo.InvariantCulture)));
        if (uid > 0x1F_FFFF) pax.Add(("uid", uid.ToString(CultureInfo.InvariantCulture)));
        if (gid > 0x1F_FFFF) pax.Add(("gid", gid.ToString(CultureInfo.InvariantCulture)));
        if (mtime > 0x1_FFFF_FFFFL) pax.Add(("mtime", mtime.ToString(CultureInfo.InvariantCulture)));

        if (pax.Count > 0)
        {
            var records = new MemoryStream();
            foreach (var (k, v) in pax) records.Write(PaxRecord(k, v));
            var baseName = name.TrimEnd('/');
            baseName = baseName[(baseName.LastIndexOf('/') + 1)..];
            var paxName = Truncate(Encoding.UTF8.GetBytes("PaxHeaders.0/" + baseName), 100);
            sink.Write(Header(paxName, [], 'x', 420, 0, 0, records.Length, mtime, [], 0, 0));
            sink.Write(records.GetBuffer().AsSpan(0, (int)records.Length));
            WritePadding(sink, records.Length);
        }
        sink.Write(Header(shortName, prefix, type, mode, Math.Min(uid, 0x1F_FFFF), Math.Min(gid, 0x1F_FFFF),
            Math.Min(size, 0x1_FFFF_FFFFL), Math.Min(mtime, 0x1_FFFF_FFFFL), linkBytes, devMajor, devMinor));
    }

    public static void WritePadding(LayerSink sink, long size)
    {
        var rest = (int)(size % Block);
        if (rest != 0) sink.Write(new byte[Block - rest]);
    }

    public static void WriteEnd(LayerSink sink) => sink.Write(new byte[Block * 2]);

    private static byte[] PaxRecord(string key, string value)
    {
        // "%d %s=%s\n" where %d counts the whole record including its own digits.
        var body = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3; // ' ', '=', '\n'
        var len = body + 1;
        while (len != body + len.ToString(CultureInfo.InvariantCulture).Length) len = body + len.ToString(CultureInfo.InvariantCulture).Length;
        return Encoding.UTF8.GetBytes($"{len} {key}={value}\n");
    }

    private static bool TrySplit(byte[] name, out byte[] prefix, out byte[] rest)
    {
        // ustar: prefix (≤155) + '/' + name (≤100), split at a slash.
        for (var i = Math.Min(name.Length - 1, 155); i > 0; i--)
        {
            if (name[i] != (byte)'/') continue;
            if (name.Length - i - 1 > 100 || name.Length - i - 1 == 0) break;
            prefix = name[..i];
            rest = name[(i + 1)..];
            return true;
        }
        prefix = [];
        rest = name;
        return false;
    }

    private static byte[] Truncate(byte[] b, int max) => b.Length <= max ? b : b[..max];

    private static byte[] Header(byte[] name, byte[] prefix, char type, int mode, int uid, int gid, long size, long mtime, byte[] link, int devMajor, int devMinor)
    {
        var h = new byte[Block];
        name.CopyTo(h, 0);
        Octal(h, 100, 8, mode);
        Octal(h, 108, 8, uid);
        Octal(h, 116, 8, gid);
        Octal(h, 124, 12, size);
        Octal(h, 136, 12, mtime);
        h[156] = (byte)type;
        link.CopyTo(h, 157);
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        if (type is '3' or '4')
        {
            Octal(h, 329, 8, devMajor);
            Octal(h, 337, 8, devMinor);
        }
        prefix.CopyTo(h, 345);
        // Checksum: sum of all bytes with the checksum field as spaces; "%06o\0 ".
        for (var i = 148; i < 156; i++) h[i] = (byte)' ';
        var sum = 0;
        foreach (var b in h) sum += b;
        var s = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(s).CopyTo(h, 148);
        h[154] = 0;
        h[155] = (byte)' ';
        return h;
    }

    private static void Octal(byte[] h, int offset, int width, long value)
    {
        // width-1 octal digits, zero padded, NUL terminated (what GNU tar and Go write).
        var s = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(s).CopyTo(h, offset);
        h[offset + width - 1] = 0;
    }
}
