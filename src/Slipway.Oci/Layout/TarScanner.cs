using System.Text;

namespace Slipway.Oci.Layout;

/// <summary>One member of a tar archive: where its data starts in the (uncompressed) archive stream.</summary>
internal sealed record TarMember(string Name, char Type, long DataOffset, long Size, string LinkName);

/// <summary>
/// Lists tar members with their data offsets, reading only headers (and seeking over data when it can), so an
/// archive's layers can be re-read later without extracting anything. Understands ustar, PAX path/size and GNU
/// long names.
/// </summary>
internal static class TarScanner
{
    public static IEnumerable<TarMember> Scan(Stream s, Action<TarMember, Stream>? onSmallMember = null, long smallLimit = 0)
    {
        var header = new byte[512];
        long pos = 0;
        string? nextName = null, nextLink = null;
        long? nextSize = null;
        while (true)
        {
            if (!ReadExactly(s, header)) yield break;
            pos += 512;
            if (header.All(b => b == 0)) yield break;
            var type = header[156] == 0 ? '0' : (char)header[156];
            var size = nextSize ?? ParseNumber(header.AsSpan(124, 12));
            var name = nextName ?? HeaderName(header);
            var link = nextLink ?? CString(header.AsSpan(157, 100));
            var dataOffset = pos;
            var padded = (size + 511) & ~511L;
            if (type is 'x' or 'L' or 'K' or 'g')
            {
                var data = new byte[size];
                if (!ReadExactly(s, data)) throw new InvalidDataException("tar archive ends inside an extended header");
                Skip(s, padded - size);
                pos += padded;
                if (type == 'L') nextName = CString(data);
                else if (type == 'K') nextLink = CString(data);
                else if (type == 'x') ParsePax(data, ref nextName, ref nextLink, ref nextSize);
                continue;
            }
            nextName = nextLink = null;
            nextSize = null;
            if (type is '1' or '2' or '3' or '4' or '5' or '6') { size = 0; padded = 0; }
            var member = new TarMember(name, type, dataOffset, size, link);
            if (onSmallMember is not null && type == '0' && size <= smallLimit)
            {
                var data = new byte[size];
                if (!ReadExactly(s, data)) throw new InvalidDataException($"tar archive ends inside '{name}'");
                onSmallMember(member, new MemoryStream(data, writable: false));
                Skip(s, padded - size);
            }
            else Skip(s, padded);
            pos += padded;
            yield return member;
        }
    }

    private static void ParsePax(byte[] data, ref string? name, ref string? link, ref long? size)
    {
        var text = Encoding.UTF8.GetString(data);
        var i = 0;
        while (i < text.Length)
        {
            var sp = text.IndexOf(' ', i);
            if (sp < 0) break;
            var len = int.Parse(text.AsSpan(i, sp - i));
            var record = text.Substring(sp + 1, len - (sp - i) - 2); // without the trailing newline
            var eq = record.IndexOf('=');
            var (k, v) = (record[..eq], record[(eq + 1)..]);
            if (k == "path") name = v;
            else if (k == "linkpath") link = v;
            else if (k == "size") size = long.Parse(v);
            i += len;
        }
    }

    private static string HeaderName(byte[] h)
    {
        var name = CString(h.AsSpan(0, 100));
        var ustar = h.AsSpan(257, 5).SequenceEqual("ustar"u8);
        if (ustar && h[345] != 0) name = CString(h.AsSpan(345, 155)) + "/" + name;
        return name;
    }

    private static string CString(ReadOnlySpan<byte> b)
    {
        var nul = b.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? b : b[..nul]);
    }

    private static long ParseNumber(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0) // GNU base-256
        {
            long v = field[0] & 0x7f;
            for (var i = 1; i < field.Length; i++) v = (v << 8) | field[i];
            return v;
        }
        long n = 0;
        foreach (var c in field)
        {
            if (c is (byte)' ' or 0) { if (n != 0) break; continue; }
            if (c is < (byte)'0' or > (byte)'7') throw new InvalidDataException("tar header has a malformed number field");
            n = n * 8 + (c - '0');
        }
        return n;
    }

    private static bool ReadExactly(Stream s, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = s.Read(buffer, read, buffer.Length - read);
            if (n == 0) return read == 0 && buffer.Length > 0 ? false : throw new InvalidDataException("tar archive is truncated");
            read += n;
        }
        return true;
    }

    public static void Skip(Stream s, long count)
    {
        if (count <= 0) return;
        if (s.CanSeek) { s.Seek(count, SeekOrigin.Current); return; }
        var buffer = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var n = s.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (n == 0) throw new InvalidDataException("tar archive is truncated");
            count -= n;
        }
    }
}

/// <summary>A read-only window of another stream (one archive member).</summary>
internal sealed class RangeStream(Stream inner, long length) : Stream
{
    private long _remaining = length;
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0) return 0;
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        if (n == 0) throw new InvalidDataException("archive ended inside a member");
        _remaining -= n;
        return n;
    }
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining <= 0) return 0;
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        if (n == 0) throw new InvalidDataException("archive ended inside a member");
        _remaining -= n;
        return n;
    }
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => length - _remaining; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
