using System.Diagnostics;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;

namespace Slipway.Images.Pipeline;

/// <summary>
/// What PushImages says while it publishes an image, as <c>slipway copy</c> does: one line per blob (sent, already
/// there or mounted, with its size) and the manifest with its tags; a blob that takes longer than a few seconds gets
/// a line on how far it is every few seconds. Lines go to the build log, prefixed with the image, so they stay
/// readable in CI logs and beside other output (no redrawn status line inside a build run).
/// </summary>
internal sealed class PushProgress(string image, Action<ImageLogLevel, string> log) : ITransferObserver
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<Digest, TimeSpan> _lastShown = [];

    public void Read(Descriptor blob, long position)
    {
        var now = _clock.Elapsed;
        lock (_lastShown)
        {
            if (!_lastShown.TryGetValue(blob.Digest, out var last)) { _lastShown[blob.Digest] = now; return; }
            if (now - last < Every) return;
            _lastShown[blob.Digest] = now;
        }
        log(ImageLogLevel.Info, $"[{image}] blob {Short(blob.Digest)}  {Size(position)} of {Size(blob.Size)}");
    }

    public void BlobDone(Descriptor blob, BlobPushOutcome outcome)
    {
        lock (_lastShown) _lastShown.Remove(blob.Digest);
        var what = outcome switch
        {
            BlobPushOutcome.Uploaded => "sent",
            BlobPushOutcome.Mounted => "mounted from another repository",
            _ => "already there",
        };
        var kind = blob.MediaType?.Contains("config", StringComparison.Ordinal) == true ? "config" : "blob";
        // Blobs already there are the no-op's normal case: at debug level, so a no-op run stays short.
        log(outcome == BlobPushOutcome.Uploaded || outcome == BlobPushOutcome.Mounted ? ImageLogLevel.Info : ImageLogLevel.Debug,
            $"[{image}] {kind} {Short(blob.Digest)}  {Size(blob.Size)}  {what}");
    }

    // The pipeline's own outcome line names the digest and tags; this one is for --verbosity verbose.
    public void ManifestDone(Digest digest, IReadOnlyList<string> tags) =>
        log(ImageLogLevel.Debug, $"[{image}] manifest {digest}" + (tags.Count == 0 ? "" : $"  tagged {string.Join(", ", tags)}"));

    private static string Short(Digest d) => d.ToString()[..Math.Min(19, d.ToString().Length)];

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.0} KiB",
        < 1 << 30 => $"{bytes / 1048576.0:0.0} MiB",
        _ => $"{bytes / 1073741824.0:0.00} GiB",
    };
}
