using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Slipway.Oci.Layers;

/// <summary>
/// lstat for inode, link count and device numbers, which .NET does not expose; used to keep hard links and
/// device nodes. Uses Linux statx(2) (glibc ≥ 2.28) because its struct layout is the same on every
/// architecture, so arm64 gets hard links too, not only x86_64.
/// </summary>
internal static partial class Native
{
    public readonly record struct StatResult(ulong Dev, ulong Ino, ulong Nlink, uint Mode, int Major, int Minor)
    {
        private const uint TypeMask = 0xF000;
        public bool IsCharDevice => (Mode & TypeMask) == 0x2000;
        public bool IsBlockDevice => (Mode & TypeMask) == 0x6000;
        public bool IsFifo => (Mode & TypeMask) == 0x1000;
        public bool IsSocket => (Mode & TypeMask) == 0xC000;
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatX(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    public static int Stat(string path, out StatResult result)
    {
        result = default;
        var b = new byte[256]; // struct statx
        int rc;
        try { rc = StatX(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, b); }
        catch (EntryPointNotFoundException) { return -1; } // glibc < 2.28: hard links are stored as separate files
        if (rc != 0) return rc;
        var s = b.AsSpan();
        // Offsets from linux/stat.h struct statx: nlink@16, mode@28 (u16), ino@32, rdev major/minor@128/132, dev@136/140.
        var dev = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(s[140..]);
        result = new StatResult(dev,
            Ino: BinaryPrimitives.ReadUInt64LittleEndian(s[32..]),
            Nlink: BinaryPrimitives.ReadUInt32LittleEndian(s[16..]),
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(s[28..]),
            Major: (int)BinaryPrimitives.ReadUInt32LittleEndian(s[128..]),
            Minor: (int)BinaryPrimitives.ReadUInt32LittleEndian(s[132..]));
        return 0;
    }
}
