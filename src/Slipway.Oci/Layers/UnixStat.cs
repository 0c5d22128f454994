using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Slipway.Oci.Layers;

/// <summary>lstat via Linux statx(2): its struct layout is the same on every architecture, so no per-arch offsets.</summary>
internal static class UnixStat
{
    public readonly record struct Info(uint Mode, uint Uid, uint Gid, uint Links, ulong Inode, long Size, uint DevMajor, uint DevMinor, uint RdevMajor, uint RdevMinor)
    {
        public uint Type => Mode & 0xF000;
        public bool IsDirectory => Type == 0x4000;
        public bool IsRegular => Type == 0x8000;
        public bool IsSymlink => Type == 0xA000;
        public bool IsFifo => Type == 0x1000;
        public bool IsCharDevice => Type == 0x2000;
        public bool IsBlockDevice => Type == 0x6000;
        public int Permissions => (int)(Mode & 0xFFF);
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatX(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    public static Info LStat(string path)
    {
        var b = new byte[256];
        if (StatX(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, b) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new LayerException($"cannot stat '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        var s = b.AsSpan();
        return new Info(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(s[28..]),
            Uid: BinaryPrimitives.ReadUInt32LittleEndian(s[20..]),
            Gid: BinaryPrimitives.ReadUInt32LittleEndian(s[24..]),
            Links: BinaryPrimitives.ReadUInt32LittleEndian(s[16..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(s[32..]),
            Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(s[40..]),
            RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(s[128..]),
            RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(s[132..]),
            DevMajor: BinaryPrimitives.ReadUInt32LittleEndian(s[136..]),
            DevMinor: BinaryPrimitives.ReadUInt32LittleEndian(s[140..]));
    }
}
