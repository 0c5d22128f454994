using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Images.Pipeline;

/// <summary>
/// SHA-256 of files hashed before, so a no-op run does not read unchanged files again (the builder image's
/// context alone is ~140 MiB of binaries). An entry is trusted only while the file's identity and change stamps
/// are all the same: device, inode, size, mtime and ctime to the nanosecond (ctime catches an mtime set back by
/// <c>touch -d</c>; the inode a file replaced by rename). A file changed within the last two seconds is hashed but
/// not remembered (git's "racy" rule: a second write in the same timestamp tick would look unchanged). Anything
/// unreadable — a missing or damaged cache file, a stat that fails, a platform without <c>statx</c> — means the
/// file is simply read and hashed. One TSV file, rewritten atomically; entries for files that no longer exist
/// (a <c>--ref</c> worktree removed after its run) are dropped when it is saved.
/// </summary>
public sealed class FileHashCache
{
    private const string Header = "slipway-file-hashes v1";
    private readonly string? _file;
    private readonly long _settledNs;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly object _saveLock = new();
    private int _changed;

    private sealed record Entry(FileStamp Stamp, string Sha256);

    /// <summary>A cache kept in <paramref name="file"/> (null: no cache, every file is read).</summary>
    /// <param name="settled">How old a change must be before its hash is remembered (default two seconds).</param>
    public FileHashCache(string? file, TimeSpan? settled = null)
    {
        _file = file;
        _settledNs = (settled ?? TimeSpan.FromSeconds(2)).Ticks * 100;
        if (file is null || !File.Exists(file)) return;
        try
        {
            using var reader = new StreamReader(file, Encoding.UTF8);
            if (reader.ReadLine() != Header) return;
            while (reader.ReadLine() is { } line)
            {
                // sha256 dev ino size mtime-ns ctime-ns path (the path last: it may hold spaces).
                var parts = line.Split('\t', 7);
                if (parts.Length != 7 || parts[0].Length != 64) continue;
                if (!ulong.TryParse(parts[1], out var dev) || !ulong.TryParse(parts[2], out var ino) || !long.TryParse(parts[3], out var size)
                    || !long.TryParse(parts[4], out var mtime) || !long.TryParse(parts[5], out var ctime)) continue;
                _entries[parts[6]] = new Entry(new FileStamp(dev, ino, size, mtime, ctime), parts[0]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _entries.Clear();
        }
    }

    /// <summary>Files whose hash came from the cache / were read, since this instance was made (for the bench and tests).</summary>
    public int Hits => _hits;
    public int Misses => _misses;
    private int _hits, _misses;

    /// <summary>The file's SHA-256 (lower-case hex): remembered when its stamps are unchanged, otherwise read.</summary>
    public async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
        var before = _file is null ? null : FileStamp.Of(path);
        if (before is not null && _entries.TryGetValue(path, out var known) && known.Stamp == before)
        {
            Interlocked.Increment(ref _hits);
            return known.Sha256;
        }
        Interlocked.Increment(ref _misses);
        var sha = await ReadAsync(path, cancellationToken);
        // Remembered only when nothing changed while it was read and the change is old enough to be settled.
        if (before is not null && FileStamp.Of(path) == before && !path.Contains('\n') && !path.Contains('\t')
            && (_settledNs == 0 || (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100 - Math.Max(before.MtimeNs, before.CtimeNs) >= _settledNs))
        {
            _entries[path] = new Entry(before, sha);
            Interlocked.Exchange(ref _changed, 1);
        }
        return sha;
    }

    /// <summary>Writes the cache when something was added (atomically: a temporary file renamed over it).</summary>
    public void Save()
    {
        if (_file is null || Interlocked.Exchange(ref _changed, 0) == 0) return;
        lock (_saveLock)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
                var tmp = _file + "." + Environment.ProcessId + ".tmp";
                using (var writer = new StreamWriter(tmp, false, new UTF8Encoding(false)))
                {
                    writer.Write(Header + "\n");
                    foreach (var (path, e) in _entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        if (!File.Exists(path)) continue;
                        writer.Write($"{e.Sha256}\t{e.Stamp.Dev}\t{e.Stamp.Ino}\t{e.Stamp.Size}\t{e.Stamp.MtimeNs}\t{e.Stamp.CtimeNs}\t{path}\n");
                    }
                }
                File.Move(tmp, _file, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A cache that cannot be written costs the next run its reads, nothing else.
            }
        }
    }

    private static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0) hash.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>What <c>statx(2)</c> says about a file: identity (device, inode) and change stamps in nanoseconds.</summary>
internal sealed record FileStamp(ulong Dev, ulong Ino, long Size, long MtimeNs, long CtimeNs)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;

    // statx's struct has the same layout on every Linux architecture (unlike stat's): 256 bytes.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    private static bool _unavailable = !OperatingSystem.IsLinux() || !BitConverter.IsLittleEndian;

    /// <summary>The file's stamps (symlinks followed), or null when they cannot be read (no statx, no file).</summary>
    public static FileStamp? Of(string path)
    {
        if (_unavailable) return null;
        var b = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxBasicStats, b) != 0) return null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        long Time(int offset) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(offset)) * 1_000_000_000 + BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset + 8));
        var dev = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(140));
        return new FileStamp(dev, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32)), (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(40)),
            MtimeNs: Time(112), CtimeNs: Time(96));
    }
}
