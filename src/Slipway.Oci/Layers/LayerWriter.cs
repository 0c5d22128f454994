using Slipway.Oci.Model;

namespace Slipway.Oci.Layers;

/// <summary>
/// Deterministic layers: the same entries and options give the same bytes on any machine, whatever the core
/// count, directory creation order or clock. One streaming pass yields the diffID and the compressed digest.
/// </summary>
public static class LayerWriter
{
    public static Task<LayerDigests> WriteAsync(IEnumerable<LayerEntry> entries, Stream output, LayerOptions options, CancellationToken cancellationToken)
    {
        // Plan first (metadata only): errors such as an escaping path surface before a byte is written.
        var plan = LayerPlanner.Plan(entries, options);
        var mtime = options.ResolveTimestamp();
        return LayerSink.RunAsync(output, options, (sink, ct) =>
        {
            foreach (var e in plan)
            {
                ct.ThrowIfCancellationRequested();
                WriteEntry(sink, e, mtime);
            }
            TarHeaderWriter.WriteEnd(sink);
        }, cancellationToken);
    }

    /// <summary>Compresses an existing uncompressed tar stream (e.g. a docker-archive layer) the same way.</summary>
    public static Task<LayerDigests> CompressAsync(Stream uncompressedTar, Stream output, LayerOptions options, CancellationToken cancellationToken) =>
        LayerSink.RunAsync(output, options, (sink, ct) =>
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = uncompressedTar.Read(buffer)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                sink.Write(buffer.AsSpan(0, n));
            }
        }, cancellationToken);

    private static void WriteEntry(LayerSink sink, PlannedEntry e, long mtime)
    {
        switch (e.Kind)
        {
            case LayerEntryKind.Directory:
                TarHeaderWriter.WriteHeader(sink, e.Path + "/", '5', e.Mode, e.Uid, e.Gid, 0, mtime);
                break;
            case LayerEntryKind.Symlink:
                TarHeaderWriter.WriteHeader(sink, e.Path, '2', e.Mode, e.Uid, e.Gid, 0, mtime, e.LinkTarget);
                break;
            case LayerEntryKind.HardLink:
                TarHeaderWriter.WriteHeader(sink, e.Path, '1', e.Mode, e.Uid, e.Gid, 0, mtime, e.LinkTarget);
                break;
            case LayerEntryKind.Fifo:
                TarHeaderWriter.WriteHeader(sink, e.Path, '6', e.Mode, e.Uid, e.Gid, 0, mtime);
                break;
            case LayerEntryKind.CharDevice:
            case LayerEntryKind.BlockDevice:
                TarHeaderWriter.WriteHeader(sink, e.Path, e.Kind == LayerEntryKind.CharDevice ? '3' : '4', e.Mode, e.Uid, e.Gid, 0, mtime, "", e.DevMajor, e.DevMinor);
                break;
            case LayerEntryKind.File when e.SourcePath is null:
                TarHeaderWriter.WriteHeader(sink, e.Path, '0', e.Mode, e.Uid, e.Gid, e.Content!.Length, mtime);
                sink.Write(e.Content);
                TarHeaderWriter.WritePadding(sink, e.Content.Length);
                break;
            case LayerEntryKind.File:
                FileStream file;
                try { file = new FileStream(e.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                { throw new LayerException($"cannot read '{e.SourcePath}' (for layer path '{e.Path}'): {ex.Message}", ex); }
                using (file)
                {
                    var size = file.Length;
                    TarHeaderWriter.WriteHeader(sink, e.Path, '0', e.Mode, e.Uid, e.Gid, size, mtime);
                    sink.CopyFrom(file, size, $"'{e.SourcePath}'");
                    if (file.ReadByte() >= 0)
                        throw new LayerException($"'{e.SourcePath}' grew while it was being read; rebuild once nothing writes to it");
                    TarHeaderWriter.WritePadding(sink, size);
                }
                break;
        }
    }

    /// <summary>
    /// Entries for everything under <paramref name="directory"/> (not the directory itself unless a prefix is given),
    /// in layer order, without following symlinks. Modes are kept, ownership becomes 0:0, files with several
    /// links inside the tree become hard links to the first path. Sockets are skipped (tar cannot hold them).
    /// </summary>
    public static IEnumerable<LayerEntry> EntriesFromDirectory(string directory, string prefixInImage = "")
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
            throw new LayerException($"layer source directory '{directory}' does not exist");
        var prefix = LayerPlanner.Normalize(prefixInImage, "layer prefix");
        return Walk(root, prefix);
    }

    private static IEnumerable<LayerEntry> Walk(string root, string? prefix)
    {
        if (prefix is not null)
            yield return new LayerEntry(prefix, LayerEntryKind.Directory) { Mode = UnixStat.LStat(root).Permissions, SourcePath = root };
        foreach (var e in Walk(root, prefix, new Dictionary<(uint, uint, ulong), string>())) yield return e;
    }

    private static IEnumerable<LayerEntry> Walk(string dir, string? imageDir, Dictionary<(uint, uint, ulong), string> inodes)
    {
        // Sorted depth-first = LayerPlanner.PathOrder, so entries stream out already in layer order.
        string[] names;
        try { names = Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).ToArray()!; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        { throw new LayerException($"cannot list '{dir}': {ex.Message}", ex); }
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var full = Path.Combine(dir, name);
            var imagePath = imageDir is null ? name : imageDir + "/" + name;
            var st = UnixStat.LStat(full);
            if (st.IsDirectory)
            {
                yield return new LayerEntry(imagePath, LayerEntryKind.Directory) { Mode = st.Permissions, SourcePath = full };
                foreach (var child in Walk(full, imagePath, inodes)) yield return child;
            }
            else if (ToEntry(full, imagePath, st, inodes) is { } e) yield return e;
        }
    }

    private static LayerEntry? ToEntry(string full, string imagePath, UnixStat.Info st, Dictionary<(uint, uint, ulong), string> inodes)
    {
        if (st.IsRegular)
        {
            var key = (st.DevMajor, st.DevMinor, st.Inode);
            if (st.Links > 1 && inodes.TryGetValue(key, out var first))
                return new LayerEntry(imagePath, LayerEntryKind.HardLink) { LinkTarget = first, Mode = st.Permissions };
            if (st.Links > 1) inodes[key] = imagePath;
            return new LayerEntry(imagePath, LayerEntryKind.File) { SourcePath = full, Mode = st.Permissions };
        }
        if (st.IsSymlink) return new LayerEntry(imagePath, LayerEntryKind.Symlink) { LinkTarget = new FileInfo(full).LinkTarget, Mode = st.Permissions };
        if (st.IsFifo) return new LayerEntry(imagePath, LayerEntryKind.Fifo) { Mode = st.Permissions };
        if (st.IsCharDevice || st.IsBlockDevice)
            return new LayerEntry(imagePath, st.IsCharDevice ? LayerEntryKind.CharDevice : LayerEntryKind.BlockDevice)
            { Mode = st.Permissions, DevMajor = (int)st.RdevMajor, DevMinor = (int)st.RdevMinor };
        return null; // sockets
    }
}
