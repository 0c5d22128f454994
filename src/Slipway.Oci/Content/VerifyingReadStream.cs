using Slipway.Oci.Model;

namespace Slipway.Oci.Content;

/// <summary>
/// Passes bytes through while hashing them; at end of stream it throws when the size or digest differ from the
/// descriptor, so a corrupted blob never counts as read.
/// </summary>
public sealed class VerifyingReadStream(Stream inner, Descriptor expected) : Stream
{
    private readonly System.Security.Cryptography.IncrementalHash _hash = expected.Digest.CreateHasher();
    private long _read;
    private bool _verified;

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        return Account(buffer[..n]);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        return Account(buffer.Span[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            _read += data.Length;
            if (_read > expected.Size) throw new InvalidDataException($"blob {expected.Digest} is longer than its descriptor's {expected.Size} bytes");
            _hash.AppendData(data);
            return data.Length;
        }
        if (!_verified)
        {
            _verified = true;
            if (_read != expected.Size) throw new InvalidDataException($"blob {expected.Digest} ended after {_read} of {expected.Size} bytes");
            var actual = Digest.FromHash(expected.Digest.Algorithm, _hash.GetHashAndReset());
            if (actual != expected.Digest) throw new InvalidDataException($"blob content does not match its digest: expected {expected.Digest}, got {actual}; refusing it");
        }
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { inner.Dispose(); _hash.Dispose(); }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expected.Size;
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
