using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;

namespace Slipway.Cli.Progress;

/// <summary>
/// <c>slipway copy</c>'s report on standard error: on a terminal, a status line redrawn ten times a second
/// (blobs done, bytes, rate) above which each finished blob is printed; otherwise (a pipe, a file, CI logs) only
/// the plain per-blob lines, so logs stay readable. Standard output keeps just the summary.
/// </summary>
internal sealed class CopyProgress : ITransferObserver, IDisposable
{
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly int _blobCount;
    private readonly long _totalBytes;
    private readonly ConcurrentDictionary<Digest, long> _inFlight = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _write = new();
    private readonly Timer? _timer;
    private long _doneBytes;
    private int _done;
    private bool _statusShown;

    public CopyProgress(TextWriter output, bool live, IReadOnlyCollection<Descriptor> blobs)
    {
        _out = output;
        _live = live;
        _blobCount = blobs.Count;
        _totalBytes = blobs.Sum(b => b.Size);
        if (live) _timer = new Timer(_ => Redraw(), null, 100, 100);
    }

    /// <summary>Live only where a person watches: standard error is a terminal that understands cursor control.</summary>
    public static bool IsTerminal() =>
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

    public void Read(Descriptor blob, long position) => _inFlight[blob.Digest] = position;

    public void BlobDone(Descriptor blob, BlobPushOutcome outcome)
    {
        _inFlight.TryRemove(blob.Digest, out _);
        Interlocked.Add(ref _doneBytes, blob.Size);
        Interlocked.Increment(ref _done);
        var what = outcome switch
        {
            BlobPushOutcome.Uploaded => "copied",
            BlobPushOutcome.Mounted => "mounted from another repository",
            _ => "already there",
        };
        var kind = blob.MediaType?.Contains("config", StringComparison.Ordinal) == true ? "config" : "blob";
        Line($"{kind,-6} {blob.Digest.ToString()[..19]}  {Commands.CopyCommand.Size(blob.Size),10}  {what}");
    }

    public void ManifestDone(Digest digest, IReadOnlyList<string> tags) =>
        Line(tags.Count == 0 ? $"manifest {digest}" : $"manifest {digest}  tagged {string.Join(", ", tags)}");

    private void Line(string text)
    {
        lock (_write)
        {
            if (_statusShown) { _out.Write("\r\x1b[2K"); _statusShown = false; }
            _out.WriteLine(text);
            if (_live) DrawStatus();
        }
    }

    private void Redraw()
    {
        lock (_write) DrawStatus();
    }

    private void DrawStatus()
    {
        if (_done >= _blobCount) return;
        var bytes = Interlocked.Read(ref _doneBytes) + _inFlight.Values.Sum();
        var seconds = Math.Max(0.001, _clock.Elapsed.TotalSeconds);
        _out.Write($"\r\x1b[2K{_done}/{_blobCount} blobs  {Commands.CopyCommand.Size(bytes)} of {Commands.CopyCommand.Size(_totalBytes)}  {Commands.CopyCommand.Size((long)(bytes / seconds))}/s");
        _out.Flush();
        _statusShown = true;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_write)
        {
            if (_statusShown) { _out.Write("\r\x1b[2K"); _out.Flush(); _statusShown = false; }
        }
    }
}
