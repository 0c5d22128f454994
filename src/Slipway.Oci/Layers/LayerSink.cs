using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Threading.Channels;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// Receives the uncompressed layer bytes (synchronously, from one producer thread), cuts them into fixed-size
/// chunks, compresses the chunks on up to <c>Parallelism</c> threads and writes them in order to the output,
/// hashing the uncompressed bytes (diffID) and the compressed bytes (digest) on the way.
/// <para>
/// Gzip output is ONE gzip member, built like pigz: each chunk is raw deflate ending in a sync flush (the last
/// one in a final block), our own 10-byte header (no name, mtime 0, OS 255) and a trailer whose CRC is
/// combined from the per-chunk CRCs. The chunk size is a constant, so the bytes never depend on the core count.
/// Memory: at most ~2×Parallelism+2 chunk buffers in flight.
/// </para>
/// </summary>
internal sealed class LayerSink : Stream
{
    /// <summary>Part of the output format: changing it changes every digest (it is in the cache fingerprint).</summary>
    public const int ChunkSize = 1 << 20;

    private readonly Stream _output;
    private readonly LayerCompression _compression;
    private readonly ZLibCompressionOptions _zlib;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _compressors;
    private readonly Channel<Task<Chunk>> _queue = Channel.CreateUnbounded<Task<Chunk>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _cts;
    private byte[] _buffer;
    private int _filled;
    private long _uncompressedLength;

    public LayerSink(Stream output, LayerOptions options, CancellationToken cancellationToken)
    {
        _output = output;
        _compression = options.Compression;
        if (_compression == LayerCompression.Zstd)
            throw new LayerException("zstd layers are not supported yet (.NET 10 has no zstd encoder in the base library); use gzip or none");
        if (options.CompressionLevel is < 1 or > 9)
            throw new LayerException($"compression level {options.CompressionLevel} is out of range; use 1 (fastest) to 9 (smallest)");
        _zlib = new ZLibCompressionOptions { CompressionLevel = options.CompressionLevel };
        var parallelism = Math.Max(1, options.Parallelism);
        _compressors = new SemaphoreSlim(parallelism);
        _slots = new SemaphoreSlim(parallelism * 2 + 2);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    private sealed record Chunk(byte[] Raw, int RawLength, byte[]? Packed, int PackedOffset, int PackedLength, uint Crc);

    public long UncompressedLength => _uncompressedLength;

    // ---- producer side (one thread) ----

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, ChunkSize - _filled);
            data[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            data = data[n..];
            if (_filled == ChunkSize) Submit(isLast: false);
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes from a file straight into the chunk buffers.</summary>
    public void CopyFrom(Stream source, long count, string what)
    {
        while (count > 0)
        {
            var want = (int)Math.Min(count, ChunkSize - _filled);
            var n = source.Read(_buffer, _filled, want);
            if (n == 0) throw new LayerException($"{what} shrank while it was being read; rebuild once nothing writes to it");
            _filled += n;
            count -= n;
            if (_filled == ChunkSize) Submit(isLast: false);
        }
    }

    private void Submit(bool isLast)
    {
        _cts.Token.ThrowIfCancellationRequested();
        _slots.Wait(_cts.Token);
        var raw = _buffer;
        var length = _filled;
        _uncompressedLength += length;
        _buffer = isLast ? [] : ArrayPool<byte>.Shared.Rent(ChunkSize);
        _filled = 0;
        var task = _compression == LayerCompression.None
            ? Task.FromResult(new Chunk(raw, length, null, 0, 0, 0))
            : Task.Run(async () =>
            {
                await _compressors.WaitAsync(_cts.Token).ConfigureAwait(false);
                try { return Deflate(raw, length, isLast); }
                finally { _compressors.Release(); }
            }, _cts.Token);
        _queue.Writer.TryWrite(task);
    }

    /// <summary>Ends the layer: the producer calls this after the last byte.</summary>
    public void CompleteProducer()
    {
        Submit(isLast: true);
        _queue.Writer.TryComplete();
    }

    public void FailProducer(Exception e) => _queue.Writer.TryComplete(e);

    private Chunk Deflate(byte[] raw, int length, bool isLast)
    {
        if (length == 0)
            return new Chunk(raw, 0, isLast ? [0x03, 0x00] : [], 0, isLast ? 2 : 0, 0); // empty final fixed-Huffman block
        // GZipStream gives us zlib(-ng)'s fast CRC for free; we keep only the deflate body and the trailer's CRC.
        var ms = new MemoryStream(length / 2 + 1024);
        long bodyEnd;
        using (var gz = new GZipStream(ms, _zlib, leaveOpen: true))
        {
            gz.Write(raw, 0, length);
            gz.Flush(); // Z_SYNC_FLUSH: byte-aligned, no final bit
            bodyEnd = ms.Length;
        }
        var bytes = ms.GetBuffer();
        var total = (int)ms.Length;
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(total - 8));
        // Non-final chunks stop after the sync flush; the final one keeps its final empty block.
        var end = isLast ? total - 8 : (int)bodyEnd;
        return new Chunk(raw, length, bytes, 10, end - 10, crc);
    }

    // ---- consumer side ----

    /// <summary>Writes chunks in order until the producer completes; returns the digests.</summary>
    public async Task<LayerDigests> RunWriterAsync(Task producer)
    {
        using var diff = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var packed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        uint crc = 0;
        long total = 0;
        try
        {
            if (_compression == LayerCompression.Gzip)
            {
                byte[] header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, _zlib.CompressionLevel switch { 9 => (byte)2, 1 => (byte)4, _ => (byte)0 }, 0xff];
                await WriteAsync(header);
            }
            await foreach (var task in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var chunk = await task.ConfigureAwait(false);
                diff.AppendData(chunk.Raw, 0, chunk.RawLength);
                if (chunk.Packed is null) await WriteAsync(chunk.Raw.AsMemory(0, chunk.RawLength));
                else
                {
                    await WriteAsync(chunk.Packed.AsMemory(chunk.PackedOffset, chunk.PackedLength));
                    crc = Crc32Combine.Combine(crc, chunk.Crc, chunk.RawLength);
                }
                total += chunk.RawLength;
                if (chunk.Raw.Length > 0) ArrayPool<byte>.Shared.Return(chunk.Raw);
                _slots.Release();
            }
            if (_compression == LayerCompression.Gzip)
            {
                var trailer = new byte[8];
                BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
                BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)total));
                await WriteAsync(trailer);
            }
            await _output.FlushAsync(_cts.Token).ConfigureAwait(false);
        }
        catch
        {
            _cts.Cancel(); // unblocks a producer waiting for a slot
            try { await producer.ConfigureAwait(false); } catch { /* the first error is the one to report */ }
            throw;
        }
        await producer.ConfigureAwait(false);

        var diffId = Digest.FromHash("sha256", diff.GetHashAndReset());
        if (_compression == LayerCompression.None)
            return new LayerDigests(diffId, diffId, size, MediaTypes.OciLayer);
        return new LayerDigests(diffId, Digest.FromHash("sha256", packed.GetHashAndReset()), size, MediaTypes.OciLayerGzip);

        async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
        {
            if (_compression != LayerCompression.None) packed.AppendData(data.Span);
            size += data.Length;
            await _output.WriteAsync(data, _cts.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="produce"/> on its own thread, feeding this sink, and writes the output.</summary>
    public static async Task<LayerDigests> RunAsync(Stream output, LayerOptions options, Action<LayerSink, CancellationToken> produce, CancellationToken cancellationToken)
    {
        using var sink = new LayerSink(output, options, cancellationToken);
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                produce(sink, sink._cts.Token);
                sink.CompleteProducer();
            }
            catch (Exception e)
            {
                sink.FailProducer(e);
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return await sink.RunWriterAsync(producer).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _cts.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _uncompressedLength + _filled; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
