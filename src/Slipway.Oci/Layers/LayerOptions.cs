using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

public sealed record LayerOptions
{
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;
    /// <summary>zlib level 1–9; 6 matches gzip's and pigz's default.</summary>
    public int CompressionLevel { get; init; } = 6;
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
