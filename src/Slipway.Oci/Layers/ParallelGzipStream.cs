using System.Collections.Concurrent;
using System.IO.Compression;

namespace Slipway.Oci.Layers;

/// <summary>
/// Gzip compressor that splits its input into fixed-size chunks, compresses them on up to <c>parallelism</c>
/// threads and writes them strictly in order as ONE gzip member, the way pigz does: each chunk is raw deflate
/// ending in a sync flush (byte-aligned, not final), the last one ends in a final block, and the trailer's CRC-32
/// is combined from the chunks' CRCs (<see cref="Crc32Combine"/>). One member matters: some readers (Rust's
/// flate2 GzDecoder, several language runtimes' defaults) stop after the first member of a multi-member file.
/// Our own header: no name, mtime 0, OS 255 (unknown) — the same bytes on every OS. The output depends only
/// on the input, the level and the chunk size — never on timing or core count.
/// Memory is fixed: the stream owns at most <c>2 × parallelism + 1</c> input chunks and as many output buffers,
/// reused for the whole layer (the shared ArrayPool would strand them in the short-lived threads' caches).
/// </summary>
internal sealed class ParallelGzipStream : WriteOnlyStream
{
    private readonly Stream _output;
    private readonly int _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<OutputBuffer>> _inFlight = new();
    private uint _crc;
    private long _totalIn;
    private bool _headerWritten;
    private readonly ConcurrentBag<byte[]> _freeChunks = new();
    private readonly ConcurrentBag<OutputBuffer> _freeOutputs = new();
    private byte[] _current;
    private int _filled;
    private bool _closed;
    private long _dispatched;

    public ParallelGzipStream(Stream output, int level, int chunkSize, int parallelism)
    {
        if (level is < 1 or > 9) throw new ArgumentOutOfRangeException(nameof(level), level, "gzip level must be 1–9");
        _output = output;
        _level = level;
        _chunkSize = chunkSize;
        _maxInFlight = Math.Max(1, parallelism) * 2;
        _current = new byte[chunkSize];
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, _chunkSize - _filled);
            buffer[..n].CopyTo(_current.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _chunkSize) Dispatch();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    private void Dispatch()
    {
        var chunk = _current;
        var length = _filled;
        var output = _freeOutputs.TryTake(out var o) ? o : new OutputBuffer(_chunkSize + _chunkSize / 64 + 1024);
        // Dedicated threads: the writer blocks while draining, and on a 2-core pool it would starve the compressors.
        var isLast = _closed;
        _inFlight.Enqueue(Task.Factory.StartNew(() => Compress(chunk, length, output, isLast), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        _dispatched++;
        _current = _freeChunks.TryTake(out var free) ? free : new byte[_chunkSize];
        _filled = 0;
        while (_inFlight.Count >= _maxInFlight) DrainOne();
    }

    private void DrainOne()
    {
        var output = _inFlight.Dequeue().GetAwaiter().GetResult();
        if (!_headerWritten)
        {
            _headerWritten = true;
            byte xfl = _level switch { 9 => 2, 1 => 4, _ => 0 }; // what RFC 1952 readers expect for best/fastest
            _output.Write([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 0xff]);
        }
        _output.Write(output.Buffer, output.BodyOffset, output.BodyLength);
        _crc = Crc32Combine.Combine(_crc, output.Crc, output.InputLength);
        _totalIn += output.InputLength;
        if (output.IsLast)
        {
            var trailer = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)_totalIn));
            _output.Write(trailer);
        }
        output.Length = 0;
        _freeOutputs.Add(output);
    }

    private OutputBuffer Compress(byte[] chunk, int length, OutputBuffer output, bool isLast)
    {
        if (length == 0)
        {
            // Only an empty last chunk: an empty final fixed-Huffman block ends the deflate stream.
            output.Write([0x03, 0x00]);
            (output.BodyOffset, output.BodyLength, output.Crc, output.InputLength, output.IsLast) = (0, 2, 0, 0, isLast);
            _freeChunks.Add(chunk);
            return output;
        }
        // GZipStream rather than DeflateStream: zlib(-ng) computes the chunk's CRC (SIMD) and puts it in the trailer.
        int flushedAt;
        using (var gz = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = _level, CompressionStrategy = ZLibCompressionStrategy.Default }, leaveOpen: true))
        {
            gz.Write(chunk, 0, length);
            gz.Flush(); // Z_SYNC_FLUSH: ends byte-aligned without the final bit, so the next chunk's deflate can follow
            flushedAt = output.Length;
        }
        _freeChunks.Add(chunk);
        output.Crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(output.Buffer.AsSpan(output.Length - 8));
        output.InputLength = length;
        output.IsLast = isLast;
        output.BodyOffset = 10; // zlib's gzip header: no name, no extra
        // Non-final chunks stop after the sync flush; the last keeps its final block, never the 8-byte trailer.
        output.BodyLength = (isLast ? output.Length - 8 : flushedAt) - 10;
        return output;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            // The last chunk (possibly empty) carries the final deflate block; then the trailer is written.
            Dispatch();
            while (_inFlight.Count > 0) DrainOne();
            _output.Flush();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>A reusable, growable write buffer for one compressed chunk.</summary>
    private sealed class OutputBuffer(int initial) : WriteOnlyStream
    {
        public byte[] Buffer { get; private set; } = new byte[initial];
        public new int Length { get; set; }
        public int BodyOffset { get; set; }
        public int BodyLength { get; set; }
        public uint Crc { get; set; }
        public int InputLength { get; set; }
        public bool IsLast { get; set; }

        public override void Write(ReadOnlySpan<byte> data)
        {
            if (Length + data.Length > Buffer.Length)
            {
                var bigger = new byte[Math.Max(Buffer.Length * 2, Length + data.Length)];
                Buffer.AsSpan(0, Length).CopyTo(bigger);
                Buffer = bigger;
            }
            data.CopyTo(Buffer.AsSpan(Length));
            Length += data.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    }
}
