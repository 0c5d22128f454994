using System.Security.Cryptography;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// Compresses a tar that already exists as a stream (a docker-archive layer, a layer piped out of a Nix stream
/// script) with the same deterministic encoders as <see cref="LayerWriter"/>: the same input and options
/// always give the same blob digest, on any machine.
/// </summary>
public static class TarCompressor
{
    public static async Task<LayerDigests> CompressAsync(Stream tar, Stream output, LayerOptions options, CancellationToken cancellationToken)
    {
        using var blobHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var counting = new HashingWriteStream(output, blobHash);
        await using (var compressor = LayerCompressors.Compress(counting, options))
        {
            var hashing = new HashingWriteStream(compressor, diffHash);
            var buffer = new byte[1 << 17];
            int n;
            while ((n = await tar.ReadAsync(buffer, cancellationToken)) > 0)
                hashing.Write(buffer, 0, n);
        }
        return new LayerDigests(Digest.FromHash("sha256", diffHash.GetHashAndReset()),
            Digest.FromHash("sha256", blobHash.GetHashAndReset()), counting.Length, MediaTypes.OciLayerFor(options.Compression));
    }

    /// <summary>Digests only: compresses into a sink that keeps nothing.</summary>
    public static Task<LayerDigests> DigestAsync(Stream tar, LayerOptions options, CancellationToken cancellationToken) =>
        CompressAsync(tar, new NullWriteStream(), options, cancellationToken);
}
