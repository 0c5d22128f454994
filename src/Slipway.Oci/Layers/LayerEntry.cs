namespace Slipway.Oci.Layers;

public enum LayerEntryKind { File, Directory, Symlink, HardLink, CharDevice, BlockDevice, Fifo }

/// <summary>
/// One entry of a layer: <see cref="Path"/> is the path inside the image ("usr/bin/app", no leading slash).
/// Files read their bytes from <see cref="SourcePath"/>; links point at <see cref="LinkTarget"/>.
/// </summary>
public sealed record LayerEntry(string Path, LayerEntryKind Kind)
{
    public string? SourcePath { get; init; }
    public string? LinkTarget { get; init; }
    /// <summary>Permission bits (e.g. 0755); null takes the source file's mode, or 0755/0644.</summary>
    public int? Mode { get; init; }
    public int Uid { get; init; }
    public int Gid { get; init; }
    /// <summary>Device numbers, for character and block devices.</summary>
    public int DevMajor { get; init; }
    public int DevMinor { get; init; }

    public static LayerEntry Directory(string path, int mode = 0b111_101_101) => new(path, LayerEntryKind.Directory) { Mode = mode };
    public static LayerEntry File(string path, string sourcePath, int? mode = null) => new(path, LayerEntryKind.File) { SourcePath = sourcePath, Mode = mode };
    public static LayerEntry Symlink(string path, string target) => new(path, LayerEntryKind.Symlink) { LinkTarget = target, Mode = 0b111_111_111 };
    public static LayerEntry HardLink(string path, string target) => new(path, LayerEntryKind.HardLink) { LinkTarget = target };
}
