using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

public enum LayerEntryKind { File, Directory, Symlink, HardLink, Fifo, CharDevice, BlockDevice }

/// <summary>
/// One path in a layer. <see cref="Path"/> is relative to the image root ('/' separated; a leading '/' or './'
/// is ignored). Files take their bytes from <see cref="SourcePath"/> or <see cref="Content"/>; symlinks and
/// hard links name their target in <see cref="LinkTarget"/> (a hard link's target is another path in the layer).
/// </summary>
public sealed record LayerEntry(string Path, LayerEntryKind Kind)
{
    public string? SourcePath { get; init; }
    /// <summary>Inline bytes for small generated files (e.g. /etc/passwd); ignored when <see cref="SourcePath"/> is set.</summary>
    public byte[]? Content { get; init; }
    public string? LinkTarget { get; init; }
    /// <summary>Permission bits (0o7777 mask). Null: taken from <see cref="SourcePath"/>, else 0644 files / 0755 directories.</summary>
    public int? Mode { get; init; }
    public int Uid { get; init; }
    public int Gid { get; init; }
    public int DevMajor { get; init; }
    public int DevMinor { get; init; }

    public static LayerEntry Directory(string path, int? mode = null) => new(path, LayerEntryKind.Directory) { Mode = mode };
    public static LayerEntry FromFile(string path, string sourcePath, int? mode = null) => new(path, LayerEntryKind.File) { SourcePath = sourcePath, Mode = mode };
    public static LayerEntry FromBytes(string path, byte[] content, int mode = 420) => new(path, LayerEntryKind.File) { Content = content, Mode = mode };
    public static LayerEntry Symlink(string path, string target) => new(path, LayerEntryKind.Symlink) { LinkTarget = target };
    public static LayerEntry HardLink(string path, string target) => new(path, LayerEntryKind.HardLink) { LinkTarget = target };
}

public sealed record LayerOptions
{
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;
    /// <summary>zlib level 1–9 (6 is gzip's and Docker's default).</summary>
    public int CompressionLevel { get; init; } = 6;
    /// <summary>Every entry's mtime. Null: <c>SOURCE_DATE_EPOCH</c> when set, else 1970-01-01T00:00:00Z.</summary>
    public DateTimeOffset? Timestamp { get; init; }
    /// <summary>Directories 0755, executables 0755, other files 0644, whatever the source says.</summary>
    public bool NormalizeModes { get; init; }
    /// <summary>Compression threads. The output bytes do not depend on it.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public static LayerOptions Default { get; } = new();

    /// <summary>The mtime written into every header, in Unix seconds.</summary>
    public long ResolveTimestamp()
    {
        if (Timestamp is { } t) return Math.Max(0, t.ToUnixTimeSeconds());
        var env = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (string.IsNullOrWhiteSpace(env)) return 0;
        if (!long.TryParse(env.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s))
            throw new LayerException($"SOURCE_DATE_EPOCH='{env}' is not a number of seconds since 1970; set it to e.g. $(git log -1 --format=%ct) or unset it");
        return s;
    }

    /// <summary>Everything that changes the produced bytes: keys caches of computed digests.</summary>
    internal string Fingerprint() =>
        $"slipway-layer-v1;chunk={LayerSink.ChunkSize};c={Compression};l={CompressionLevel};t={ResolveTimestamp()};n={NormalizeModes}";
}

/// <summary>The two digests of a layer: the uncompressed tar (diffID, for the config) and the blob as stored.</summary>
public sealed record LayerDigests(Digest DiffId, Digest Digest, long Size, string MediaType)
{
    public Descriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Size };
}

/// <summary>A layer cannot be built from the given input; the message names the path and the fix.</summary>
public sealed class LayerException(string message, Exception? inner = null) : Exception(message, inner);
