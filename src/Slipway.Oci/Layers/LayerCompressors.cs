using System.IO.Compression;
using Slipway.Oci.Model;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Slipway.Oci.Layers;

/// <summary>
/// The one home of layer encoders and decoders: every writer (<see cref="LayerWriter"/>, <see cref="TarCompressor"/>)
/// and every reader of compressed layers gets its streams here, so a format is added in one place.
/// </summary>
public static class LayerCompressors
{
    /// <summary>zstd's own default level: ~gzip -6's ratio at several times its speed.</summary>
    public const int DefaultZstdLevel = 3;
    public const int DefaultGzipLevel = 6;

    /// <summary>A write-only stream that compresses into <paramref name="output"/> (not owned) and finishes the format on dispose.</summary>
    internal static Stream Compress(Stream output, LayerOptions options) => options.Compression switch
    {
        LayerCompression.None => new PassThroughStream(output),
        LayerCompression.Gzip => new ParallelGzipStream(output, options.Level, options.ChunkSize, Math.Max(1, options.Parallelism)),
        LayerCompression.Zstd => Zstd(output, options.Level, options.Parallelism),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Compression, "layer compression must be none, gzip or zstd"),
    };

    /// <summary>
    /// Deterministic zstd: fixed level, a checksum in every frame, no content size (a stream's size is not known
    /// up front, and leaving it out always keeps the header the same), no dictionary, no timestamps (zstd has
    /// none). Multithreaded zstd cuts its input into jobs of a size fixed by the level, not by the worker count,
    /// so any count ≥ 1 writes the same bytes (checked by a test); one worker is the single-threaded format's
    /// twin and is used when only one core is asked for, so output never depends on the machine.
    /// </summary>
    private static Stream Zstd(Stream output, int level, int parallelism)
    {
        var z = new CompressionStream(output, level, leaveOpen: true);
        z.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        z.SetParameter(ZSTD_cParameter.ZSTD_c_contentSizeFlag, 0);
        z.SetParameter(ZSTD_cParameter.ZSTD_c_dictIDFlag, 0);
        z.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, Math.Max(1, parallelism));
        return z;
    }

    /// <summary>The tar inside a layer blob of the given compression; owns <paramref name="blob"/>.</summary>
    public static Stream Decompress(Stream blob, LayerCompression compression) => compression switch
    {
        LayerCompression.None => blob,
        LayerCompression.Gzip => new GZipStream(blob, CompressionMode.Decompress),
        LayerCompression.Zstd => new DecompressionStream(blob, leaveOpen: false),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "layer compression must be none, gzip or zstd"),
    };

    /// <summary>What a layer's first bytes say it is: gzip (1f 8b), zstd (28 b5 2f fd) or a plain tar.</summary>
    public static LayerCompression Sniff(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b ? LayerCompression.Gzip
        : head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd ? LayerCompression.Zstd
        : LayerCompression.None;

    /// <summary>Parses a user's choice, listing the valid ones when it is none of them.</summary>
    public static LayerCompression Parse(string value, string option) => value switch
    {
        "gzip" => LayerCompression.Gzip,
        "zstd" => LayerCompression.Zstd,
        "none" => LayerCompression.None,
        _ => throw new ArgumentException($"{option} '{value}' is not a layer compression. Available are: gzip, zstd, none"),
    };
}
