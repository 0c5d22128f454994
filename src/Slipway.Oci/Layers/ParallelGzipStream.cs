using System.Collections.Concurrent;
using System.IO.Compression;

namespace Slipway.Oci.Layers;

/// <summary>
/// Gzip compressor that splits its input into fixed-size chunks and compresses each as its own gzip member
/// (RFC 1952 allows concatenated members; Go's, zlib's and GNU gzip's readers all accept them). Chunks
/// compress on up to <c>parallelism</c> threads and are written strictly in order, so the output bytes depend
/// only on the input, the level and the chunk size — never on timing or core count.
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
        _inFlight.Enqueue(Task.Factory.StartNew(() => Compress(chunk, length, output), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        _dispatched++;
        _current = _freeChunks.TryTake(out var free) ? free : new byte[_chunkSize];
        _filled = 0;
        while (_inFlight.Count >= _maxInFlight) DrainOne();
    }

    private void DrainOne()
    {
        var output = _inFlight.Dequeue().GetAwaiter().GetResult();
        _output.Write(output.Buffer, 0, output.Length);
        output.Length = 0;
        _freeOutputs.Add(output);
    }

    private OutputBuffer Compress(byte[] chunk, int length, OutputBuffer output)
    {
        using (var gz = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = _level, CompressionStrategy = ZLibCompressionStrategy.Default }, leaveOpen: true))
            gz.Write(chunk, 0, length);
        _freeChunks.Add(chunk);
        return output;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            // An empty input still yields one (empty) gzip member, as gzip itself does.
            if (_filled > 0 || _dispatched == 0) Dispatch();
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
