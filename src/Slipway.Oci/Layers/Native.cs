using System.Runtime.InteropServices;

namespace Slipway.Oci.Layers;

/// <summary>lstat(2) for inode and link count, which .NET does not expose; used only to keep hard links.</summary>
internal static partial class Native
{
    [StructLayout(LayoutKind.Sequential)]
    private struct StatX64
    {
        public ulong Dev, Ino, Nlink;
        public uint Mode, Uid, Gid, Pad0;
        public ulong Rdev;
        public long Size, BlkSize, Blocks;
        public long ATime, ATimeNs, MTime, MTimeNs, CTime, CTimeNs;
        public long R0, R1, R2;
    }

    public readonly record struct StatResult(ulong Dev, ulong Ino, ulong Nlink, uint Mode, ulong Rdev)
    {
        private const uint TypeMask = 0xF000;
        public bool IsCharDevice => (Mode & TypeMask) == 0x2000;
        public bool IsBlockDevice => (Mode & TypeMask) == 0x6000;
        public bool IsFifo => (Mode & TypeMask) == 0x1000;
        public bool IsSocket => (Mode & TypeMask) == 0xC000;
        // glibc's gnu_dev_major/minor encoding.
        public int Major => (int)(((Rdev >> 8) & 0xfff) | ((Rdev >> 32) & 0xfffff000));
        public int Minor => (int)((Rdev & 0xff) | ((Rdev >> 12) & 0xffffff00));
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStatX64(string path, out StatX64 buf);

    public static int Stat(string path, out StatResult result)
    {
        result = default;
        // The struct layout above is x86_64's; elsewhere hard links are simply stored as separate files.
        if (RuntimeInformation.OSArchitecture != Architecture.X64) return -1;
        var rc = LStatX64(path, out var st);
        if (rc == 0) result = new StatResult(st.Dev, st.Ino, st.Nlink, st.Mode, st.Rdev);
        return rc;
    }
}
