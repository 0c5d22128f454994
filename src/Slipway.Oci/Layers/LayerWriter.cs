using System.Security.Cryptography;
using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// Writes deterministic layers: one streaming pass produces the tar (hashed for the diffID), compresses it in
/// fixed-size chunks on all cores (gzip: pigz-style chunks in one member; zstd: its own worker jobs) and hashes the blob.
/// Memory is bounded by a few chunks; nothing is held whole.
/// </summary>
public static class LayerWriter
{
    public static async Task<LayerDigests> WriteAsync(IEnumerable<LayerEntry> entries, Stream output, LayerOptions options, CancellationToken cancellationToken)
    {
        var mtime = options.ResolveTimestamp();
        var ordered = Normalize(entries);
        using var blobHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var counting = new HashingWriteStream(output, blobHash);
        using var diffHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        await using (var compressor = LayerCompressors.Compress(counting, options))
        {
            var tar = new HashingWriteStream(compressor, diffHash);
            await WriteTarAsync(ordered, tar, options, mtime, cancellationToken);
        }
        var mediaType = MediaTypes.OciLayerFor(options.Compression);
        return new LayerDigests(Digest.FromHash("sha256", diffHash.GetHashAndReset()),
            Digest.FromHash("sha256", blobHash.GetHashAndReset()), counting.Length, mediaType);
    }

    /// <summary>Entries for every file, directory and link under <paramref name="directory"/>, links not followed.</summary>
    public static IEnumerable<LayerEntry> EntriesFromDirectory(string directory, string prefixInImage = "")
    {
        var root = new DirectoryInfo(directory);
        if (!root.Exists) throw new DirectoryNotFoundException($"layer source directory '{directory}' does not exist");
        var prefix = prefixInImage.Trim('/');
        // Hard links: the ordinally first path of each inode carries the bytes, the others link to it, so the
        // target always precedes its links in the (sorted) archive.
        var linkGroups = new Dictionary<(ulong Dev, ulong Ino), List<(string Path, FileInfo File, int Mode)>>();
        var stack = new Stack<(DirectoryInfo Dir, string Rel)>();
        stack.Push((root, prefix));
        var results = new List<LayerEntry>();
        while (stack.Count > 0)
        {
            var (dir, rel) = stack.Pop();
            if (rel.Length > 0) results.Add(new LayerEntry(rel, LayerEntryKind.Directory) { Mode = ModeOf(dir) });
            foreach (var info in dir.EnumerateFileSystemInfos())
            {
                var path = rel.Length == 0 ? info.Name : rel + "/" + info.Name;
                if (info.LinkTarget is { } target)
                    results.Add(LayerEntry.Symlink(path, target));
                else if (info is DirectoryInfo d)
                    stack.Push((d, path));
                else if (info is FileInfo f)
                {
                    var mode = ModeOf(f);
                    var hasStat = TryStat(f.FullName, out var st);
                    if (hasStat && (st.IsCharDevice || st.IsBlockDevice || st.IsFifo))
                    {
                        var kind = st.IsCharDevice ? LayerEntryKind.CharDevice : st.IsBlockDevice ? LayerEntryKind.BlockDevice : LayerEntryKind.Fifo;
                        results.Add(new LayerEntry(path, kind) { Mode = mode, DevMajor = st.Major, DevMinor = st.Minor });
                        continue;
                    }
                    if (hasStat && st.IsSocket) continue; // sockets can't be archived; tar skips them too
                    if (hasStat && st.Nlink > 1)
                    {
                        if (!linkGroups.TryGetValue((st.Dev, st.Ino), out var group)) linkGroups[(st.Dev, st.Ino)] = group = [];
                        group.Add((path, f, mode));
                        continue;
                    }
                    results.Add(new LayerEntry(path, LayerEntryKind.File) { SourcePath = f.FullName, Mode = mode });
                }
            }
        }
        foreach (var group in linkGroups.Values)
        {
            group.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            var first = group[0];
            results.Add(new LayerEntry(first.Path, LayerEntryKind.File) { SourcePath = first.File.FullName, Mode = first.Mode });
            foreach (var other in group.Skip(1)) results.Add(LayerEntry.HardLink(other.Path, first.Path) with { Mode = other.Mode });
        }
        return results;
    }

    /// <summary>
    /// Validates paths, adds missing parent directories and sorts ordinally. Refuses entries that would land
    /// outside the image root and duplicate paths.
    /// </summary>
    internal static List<LayerEntry> Normalize(IEnumerable<LayerEntry> entries)
    {
        var byPath = new SortedDictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var path = CleanPath(e.Path);
            if (path.Length == 0) continue; // the root itself
            var entry = e with { Path = path };
            if (entry.Kind == LayerEntryKind.HardLink)
                entry = entry with { LinkTarget = CleanPath(entry.LinkTarget ?? throw new ArgumentException($"hard link '{path}' has no target")) };
            if (entry.Kind == LayerEntryKind.Symlink)
                CheckSymlink(path, entry.LinkTarget ?? throw new ArgumentException($"symlink '{path}' has no target"));
            if (entry.Kind == LayerEntryKind.File && entry.SourcePath is null)
                throw new ArgumentException($"file entry '{path}' has no source file");
            if (byPath.TryGetValue(path, out var existing))
            {
                if (existing.Kind == LayerEntryKind.Directory && entry.Kind == LayerEntryKind.Directory) continue;
                throw new ArgumentException($"layer entry '{path}' is given twice ({existing.Kind} and {entry.Kind})");
            }
            byPath[path] = entry;
        }
        foreach (var path in byPath.Keys.ToList())
            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                var parent = path[..slash];
                if (byPath.TryGetValue(parent, out var p))
                {
                    if (p.Kind != LayerEntryKind.Directory) throw new ArgumentException($"'{path}' is inside '{parent}', which is a {p.Kind}, not a directory");
                    break;
                }
                byPath[parent] = LayerEntry.Directory(parent);
            }
        CheckHardLinks(byPath);
        return byPath.Values.ToList();
    }

    /// <summary>
    /// A hard link needs its target earlier in the same archive, as a file. When a caller's link sorts before
    /// its target, the two swap roles (same inode either way), so extraction never meets a dangling link.
    /// </summary>
    private static void CheckHardLinks(SortedDictionary<string, LayerEntry> byPath)
    {
        foreach (var link in byPath.Values.Where(e => e.Kind == LayerEntryKind.HardLink).ToList())
        {
            var current = byPath[link.Path];
            if (current.Kind != LayerEntryKind.HardLink) continue; // became the file in an earlier swap
            if (!byPath.TryGetValue(current.LinkTarget!, out var target))
                throw new ArgumentException($"hard link '{link.Path}' -> '{current.LinkTarget}': the target is not in this layer; add it to the layer or use a symlink");
            if (target.Kind == LayerEntryKind.HardLink && byPath.TryGetValue(target.LinkTarget!, out var root) && root.Kind == LayerEntryKind.File)
            {
                byPath[link.Path] = current = current with { LinkTarget = root.Path }; // flatten a chain onto its file
                target = root;
            }
            if (target.Kind != LayerEntryKind.File)
                throw new ArgumentException($"hard link '{link.Path}' -> '{target.Path}': the target is a {target.Kind}; hard links must point at files");
            if (string.CompareOrdinal(target.Path, link.Path) > 0)
            {
                byPath[link.Path] = target with { Path = link.Path };
                foreach (var other in byPath.Values.Where(e => e.Kind == LayerEntryKind.HardLink && e.LinkTarget == target.Path).ToList())
                    byPath[other.Path] = other with { LinkTarget = link.Path };
                byPath[target.Path] = LayerEntry.HardLink(target.Path, link.Path) with { Mode = target.Mode, Uid = target.Uid, Gid = target.Gid };
            }
        }
    }

    private static string CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") throw new ArgumentException($"layer path '{path}' uses '..' and would escape the image root; give paths relative to the root without '..'");
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static void CheckSymlink(string path, string target)
    {
        // Absolute targets resolve inside the container's root at run time; relative ones must not climb out.
        if (target.StartsWith('/')) return;
        var depth = path.Count(c => c == '/');
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".") continue;
            depth += part == ".." ? -1 : 1;
            if (depth < 0) throw new ArgumentException($"symlink '{path}' -> '{target}' points outside the image root; make the target stay inside");
        }
    }

    private static async Task WriteTarAsync(List<LayerEntry> entries, Stream tar, LayerOptions options, long mtime, CancellationToken ct)
    {
        var buffer = new byte[1 << 17];
        foreach (var e in entries)
        {
            ct.ThrowIfCancellationRequested();
            switch (e.Kind)
            {
                case LayerEntryKind.Directory:
                    TarHeaderWriter.WriteHeader(tar, e.Path + "/", '5', 0, DirMode(e, options), e.Uid, e.Gid, mtime, null);
                    break;
                case LayerEntryKind.Symlink:
                    TarHeaderWriter.WriteHeader(tar, e.Path, '2', 0, 0b111_111_111, e.Uid, e.Gid, mtime, e.LinkTarget);
                    break;
                case LayerEntryKind.HardLink:
                    TarHeaderWriter.WriteHeader(tar, e.Path, '1', 0, FileMode(e, options, null), e.Uid, e.Gid, mtime, e.LinkTarget);
                    break;
                case LayerEntryKind.CharDevice or LayerEntryKind.BlockDevice or LayerEntryKind.Fifo:
                    TarHeaderWriter.WriteHeader(tar, e.Path, e.Kind switch { LayerEntryKind.CharDevice => '3', LayerEntryKind.BlockDevice => '4', _ => '6' },
                        0, FileMode(e, options, null), e.Uid, e.Gid, mtime, null, e.DevMajor, e.DevMinor);
                    break;
                case LayerEntryKind.File:
                    await using (var src = OpenSource(e))
                    {
                        var size = src.Length;
                        TarHeaderWriter.WriteHeader(tar, e.Path, '0', size, FileMode(e, options, e.SourcePath), e.Uid, e.Gid, mtime, null);
                        long copied = 0;
                        int n;
                        while (copied < size && (n = await src.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - copied)), ct)) > 0)
                        {
                            tar.Write(buffer, 0, n);
                            copied += n;
                        }
                        if (copied != size) throw new IOException($"'{e.SourcePath}' changed size while being added to the layer ({size} → {copied} bytes)");
                        TarHeaderWriter.WritePadding(tar, size);
                    }
                    break;
            }
        }
        TarHeaderWriter.WriteEnd(tar);
    }

    private static FileStream OpenSource(LayerEntry e)
    {
        try { return new FileStream(e.SourcePath!, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"can't read '{e.SourcePath}' for layer entry '{e.Path}': {ex.Message}", ex);
        }
    }

    private static int DirMode(LayerEntry e, LayerOptions o) => o.NormalizeModes ? 0b111_101_101 : e.Mode ?? 0b111_101_101;

    private static int FileMode(LayerEntry e, LayerOptions o, string? source)
    {
        var mode = e.Mode ?? (source is not null && !OperatingSystem.IsWindows() ? (int)File.GetUnixFileMode(source) : 0b110_100_100);
        if (!o.NormalizeModes) return mode;
        return (mode & 0b001_001_001) != 0 ? 0b111_101_101 : 0b110_100_100;
    }

    private static int ModeOf(FileSystemInfo info) => OperatingSystem.IsWindows() ? 0b111_101_101 : (int)info.UnixFileMode;

    private static bool TryStat(string path, out Native.StatResult st)
    {
        st = default;
        return OperatingSystem.IsLinux() && Native.Stat(path, out st) == 0;
    }
}
