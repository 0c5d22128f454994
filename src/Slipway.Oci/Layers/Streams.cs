using System.Security.Cryptography;

namespace Slipway.Oci.Layers;

/// <summary>Base for the sinks below: they only accept writes.</summary>
internal abstract class WriteOnlyStream : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Write-only stream that hashes and counts what passes through to <c>inner</c> (which it does not own).</summary>
internal sealed class HashingWriteStream(Stream inner, IncrementalHash hash) : WriteOnlyStream
{
    private long _length;
    public override long Length => _length;
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        _length += buffer.Length;
        inner.Write(buffer);
    }
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        hash.AppendData(buffer.Span);
        _length += buffer.Length;
        await inner.WriteAsync(buffer, ct);
    }
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override void Flush() => inner.Flush();
    public override long Position { get => _length; set => throw new NotSupportedException(); }
}

/// <summary>Forwards writes without owning the inner stream: the "no compression" compressor.</summary>
internal sealed class PassThroughStream(Stream inner) : WriteOnlyStream
{
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
    public override void Flush() => inner.Flush();
}

/// <summary>A write-only sink that discards bytes: computing digests without storing a layer.</summary>
internal sealed class NullWriteStream : WriteOnlyStream
{
    public override void Write(ReadOnlySpan<byte> buffer) { }
    public override void Write(byte[] buffer, int offset, int count) { }
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => ValueTask.CompletedTask;
    public override void Flush() { }
}
