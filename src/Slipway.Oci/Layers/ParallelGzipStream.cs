using System.Buffers;
using System.IO.Compression;

namespace Slipway.Oci.Layers;

/// <summary>
/// Gzip compressor that splits its input into fixed-size chunks and compresses each as its own gzip member
/// (RFC 1952 allows concatenated members; Go's, zlib's and GNU gzip's readers all accept them). Chunks
/// compress on up to <c>parallelism</c> threads and are written strictly in order, so the output bytes depend
/// only on the input, the level and the chunk size — never on timing or core count. At most
/// <c>2 × parallelism</c> chunks are in memory.
/// </summary>
internal sealed class ParallelGzipStream : WriteOnlyStream
{
    private readonly Stream _output;
    private readonly int _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<(byte[] Buffer, int Length)>> _inFlight = new();
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
        _current = ArrayPool<byte>.Shared.Rent(chunkSize);
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
        var level = _level;
        // Dedicated threads: the writer blocks while draining, and on a 2-core pool it would starve the compressors.
        _inFlight.Enqueue(Task.Factory.StartNew(() => Compress(chunk, length, level), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        _dispatched++;
        _current = ArrayPool<byte>.Shared.Rent(_chunkSize);
        _filled = 0;
        while (_inFlight.Count >= _maxInFlight) DrainOne();
    }

    private void DrainOne()
    {
        var (buffer, length) = _inFlight.Dequeue().GetAwaiter().GetResult();
        _output.Write(buffer, 0, length);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static (byte[], int) Compress(byte[] chunk, int length, int level)
    {
        try
        {
            // Worst case deflate expansion is tiny; size the output for it so one rented array suffices.
            var target = new PooledBufferStream(length + length / 64 + 1024);
            using (var gz = new GZipStream(target, new ZLibCompressionOptions { CompressionLevel = level, CompressionStrategy = ZLibCompressionStrategy.Default }, leaveOpen: true))
                gz.Write(chunk, 0, length);
            return (target.Buffer, target.Length32);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            // An empty input still yields one (empty) gzip member, as gzip itself does.
            if (_filled > 0 || _dispatched == 0) Dispatch();
            ArrayPool<byte>.Shared.Return(_current);
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

    /// <summary>Growable write buffer over pooled arrays.</summary>
    private sealed class PooledBufferStream(int initial) : WriteOnlyStream
    {
        public byte[] Buffer { get; private set; } = ArrayPool<byte>.Shared.Rent(initial);
        public int Length32 { get; private set; }
        public override void Write(ReadOnlySpan<byte> data)
        {
            if (Length32 + data.Length > Buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Buffer.Length * 2, Length32 + data.Length));
                Buffer.AsSpan(0, Length32).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = bigger;
            }
            data.CopyTo(Buffer.AsSpan(Length32));
            Length32 += data.Length;
        }
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override long Length => Length32;
    }
}
