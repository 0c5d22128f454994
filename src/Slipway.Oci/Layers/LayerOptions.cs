using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

public sealed record LayerOptions
{
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;
    /// <summary>
    /// gzip: zlib level 1–9 (default 6, gzip's and pigz's); zstd: 1–19 (default 3, zstd's). Null takes the default.
    /// </summary>
    public int? CompressionLevel { get; init; }
    /// <summary>The level in effect: <see cref="CompressionLevel"/> or the compression's default.</summary>
    public int Level => CompressionLevel ?? (Compression == LayerCompression.Zstd ? LayerCompressors.DefaultZstdLevel : LayerCompressors.DefaultGzipLevel);
    /// <summary>Entry mtime; null takes SOURCE_DATE_EPOCH, else the Unix epoch.</summary>
    public DateTimeOffset? Timestamp { get; init; }
    /// <summary>When set, files become 0644 (0755 if any execute bit was set) and directories 0755.</summary>
    public bool NormalizeModes { get; init; }
    /// <summary>How many chunks compress at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>
    /// Uncompressed bytes per independently compressed gzip member. Fixed, so output is byte-identical whatever
    /// the parallelism; large enough that the lost cross-chunk dictionary costs well under 1 %.
    /// </summary>
    public int ChunkSize { get; init; } = 4 << 20;

    /// <summary>
    /// Version of the bytes this library writes for given inputs and options. Part of every cache key that maps
    /// inputs to digests: bump it whenever the tar or gzip encoding changes, so no stale digest is reused.
    /// v2: one gzip member (pigz-style sync-flushed chunks, combined CRC) instead of one member per chunk.
    /// </summary>
    public const string FormatVersion = "v2";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(LayerCompression, int), string> CompressorIds = new();

    /// <summary>
    /// Identifies the encoder this process links (zlib-ng differs between .NET releases, so the native CLI and a
    /// build run can encode the same tar differently; zstd comes from the ZstdSharp package, whose updates can
    /// change its output too): the digest of a fixed 64 KiB sample compressed at <paramref name="level"/> by the
    /// encoder the layer writers use. Part of every cache key next to <see cref="FormatVersion"/>, so a runtime or
    /// package update never pairs a cached digest with differently encoded bytes.
    /// </summary>
    public static string CompressorId(LayerCompression compression, int level) => CompressorIds.GetOrAdd((compression, level), static key =>
    {
        var (compression, l) = key;
        if (compression == LayerCompression.None) return "none";
        // Tar-like bytes (path words and runs of NULs): .NET 9's and 10's zlib-ng encode such input differently
        // at level 6 (checked), where plain text samples compress identically.
        string[] words = ["usr", "bin", "lib", "share", "doc", "etc", "var", "local", "sbin", "include", "man1", "man5",
            "README", "copyright", "changelog.gz", "0000644", "0000755", "ustar", "root"];
        var sample = new MemoryStream();
        uint x = 2463534242;
        while (sample.Length < 64 << 10)
        {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            sample.Write(System.Text.Encoding.ASCII.GetBytes(words[x % (uint)words.Length] + "/"));
            if ((x >> 8) % 4 == 0) sample.Write(new byte[(x >> 12) % 512]);
        }
        using var compressed = new MemoryStream();
        // The writers' own encoder: a 64 KiB sample is one chunk, so for gzip this is plain zlib at level l.
        using (var encoder = LayerCompressors.Compress(compressed, new LayerOptions { Compression = compression, CompressionLevel = l, Parallelism = 1 }))
            encoder.Write(sample.GetBuffer().AsSpan(0, 64 << 10));
        return Digest.Sha256(compressed.ToArray()).Hex[..16];
    });

    /// <summary>Everything about the encoding that a cache key needs besides the inputs.</summary>
    public string EncodingKey => $"{Compression}\n{Level}\n{ChunkSize}\n{FormatVersion}\n{CompressorId(Compression, Level)}";

    public long ResolveTimestamp()
    {
        if (Timestamp is { } t) return t.ToUnixTimeSeconds();
        var env = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (string.IsNullOrEmpty(env)) return 0;
        if (long.TryParse(env, out var v) && v >= 0) return v;
        throw new ArgumentException($"SOURCE_DATE_EPOCH='{env}' is not a non-negative number of seconds since 1970; unset it or set e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)");
    }
}

/// <summary>Digests of one layer: <see cref="DiffId"/> of the tar, <see cref="Digest"/>/<see cref="Size"/> of the blob.</summary>
public sealed record LayerDigests(Digest DiffId, Digest Digest, long Size, string MediaType);
