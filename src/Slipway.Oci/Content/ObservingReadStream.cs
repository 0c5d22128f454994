namespace Slipway.Oci.Content;

/// <summary>
/// A read-only pass-through over a blob's stream that sees every read (the bytes, and how many were asked for;
/// an empty read with a non-empty ask is the end). The base of the streams that verify, length-check or report
/// blob bytes on their way through, so each of those is only its check.
/// </summary>
public abstract class ObservingReadStream(Stream inner, long length) : Stream
{
    /// <summary>Bytes read so far.</summary>
    protected long BytesRead { get; private set; }

    /// <summary>Called after each read with what it returned and the size of the buffer it was given.</summary>
    protected abstract void OnRead(ReadOnlySpan<byte> data, int asked);

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        BytesRead += n;
        OnRead(buffer[..n], buffer.Length);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        BytesRead += n;
        OnRead(buffer.Span[..n], buffer.Length);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
