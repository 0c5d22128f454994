using Slipway.Oci.Model;

namespace Slipway.Oci.Content;

/// <summary>
/// Passes bytes through while hashing them; at end of stream it throws when the size or digest differ from the
/// descriptor, so a corrupted blob never counts as read.
/// </summary>
public sealed class VerifyingReadStream(Stream inner, Descriptor expected) : ObservingReadStream(inner, expected.Size)
{
    private readonly System.Security.Cryptography.IncrementalHash _hash = expected.Digest.CreateHasher();
    private bool _verified;

    protected override void OnRead(ReadOnlySpan<byte> data, int asked)
    {
        if (data.Length > 0)
        {
            if (BytesRead > expected.Size) throw new InvalidDataException($"blob {expected.Digest} is longer than its descriptor's {expected.Size} bytes");
            _hash.AppendData(data);
            return;
        }
        if (asked == 0 || _verified) return;
        _verified = true;
        if (BytesRead != expected.Size) throw new InvalidDataException($"blob {expected.Digest} ended after {BytesRead} of {expected.Size} bytes");
        var actual = Digest.FromHash(expected.Digest.Algorithm, _hash.GetHashAndReset());
        if (actual != expected.Digest) throw new InvalidDataException($"blob content does not match its digest: expected {expected.Digest}, got {actual}; refusing it");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
