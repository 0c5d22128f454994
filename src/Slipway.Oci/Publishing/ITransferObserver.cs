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

    private sealed class ReportingStream(Stream inner, Descriptor descriptor, ITransferObserver observer) : Stream
    {
        private long _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Report(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Report(inner.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Report(inner.Read(buffer));

        private int Report(int n)
        {
            _position += n;
            observer.Read(descriptor, _position);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => descriptor.Size;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
