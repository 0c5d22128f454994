using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Registry;

namespace Slipway.Oci.Publishing;

/// <summary>
/// What a destination reports while it publishes, for a progress display or a log. Called from several transfers
/// at once, and <see cref="Read"/> once per buffer: implementations are thread-safe and cheap.
/// </summary>
public interface ITransferObserver
{
    /// <summary>A blob is being read to be sent; <paramref name="position"/> is how far this attempt has got (a retry starts again at 0).</summary>
    void Read(Descriptor blob, long position);

    /// <summary>A blob is in place: sent, found already there, or mounted from another repository.</summary>
    void BlobDone(Descriptor blob, BlobPushOutcome outcome);

    /// <summary>The manifest is in under its digest, and then under each of <paramref name="tags"/>.</summary>
    void ManifestDone(Digest digest, IReadOnlyList<string> tags);
}

/// <summary>Wraps a blob so that every read of it is reported; everything else passes through.</summary>
internal sealed class ObservedBlob(IBlob inner, ITransferObserver observer) : IBlob
{
    public Descriptor Descriptor => inner.Descriptor;
    public BlobOrigin? Origin => inner.Origin;

    public static IBlob Wrap(IBlob blob, ITransferObserver? observer) => observer is null ? blob : new ObservedBlob(blob, observer);

    public async Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        new ReportingStream(await inner.OpenReadAsync(cancellationToken), inner.Descriptor, observer);

    private sealed class ReportingStream(Stream inner, Descriptor descriptor, ITransferObserver observer)
        : ObservingReadStream(inner, descriptor.Size)
    {
        protected override void OnRead(ReadOnlySpan<byte> data, int asked) => observer.Read(descriptor, BytesRead);
    }
}
