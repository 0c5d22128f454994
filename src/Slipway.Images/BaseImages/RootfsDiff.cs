using Slipway.Oci.Layers;

namespace Slipway.Images.BaseImages;

/// <summary>
/// The layer that turns one root filesystem (<c>lower</c>, already a layer below) into another (<c>upper</c>, a copy
/// of lower changed by apt): what upper added or changed, the directories leading to it (with upper's modes and
/// owners, so applying the layer never changes a directory it merely passes), and an OCI whiteout
/// (<c>.wh.NAME</c>) for every topmost path upper removed.
/// </summary>
internal static class RootfsDiff
{
    public sealed record Tree(IReadOnlyDictionary<string, LayerEntry> Entries, string Root);

    /// <summary>Every entry under <paramref name="root"/> with its owner applied.</summary>
    public static Tree Read(string root, IReadOnlyDictionary<string, (int Uid, int Gid)> owners) => new(
        LayerWriter.EntriesFromDirectory(root)
            .Select(e => owners.TryGetValue(e.Path, out var o) ? e with { Uid = o.Uid, Gid = o.Gid } : e)
            .ToDictionary(e => e.Path, StringComparer.Ordinal), root);

    public static List<LayerEntry> Entries(Tree lower, Tree upper, string emptyFile)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, e) in upper.Entries)
            if (!lower.Entries.TryGetValue(path, out var l) || !Same(l, e, lower.Root, upper.Root)) changed.Add(path);
        // A hard link whose target changed points at new bytes: it must come along (tar links resolve within a layer).
        foreach (var (path, e) in upper.Entries)
            if (e.Kind == LayerEntryKind.HardLink && changed.Contains(e.LinkTarget!)) changed.Add(path);

        var result = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        void WithParents(string path)
        {
            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
                if (!result.TryAdd(path[..slash], upper.Entries[path[..slash]])) break;
        }
        foreach (var path in changed)
        {
            var e = upper.Entries[path];
            // A link to a file this layer does not carry cannot resolve: carry the bytes instead.
            if (e.Kind == LayerEntryKind.HardLink && !changed.Contains(e.LinkTarget!))
                e = new LayerEntry(path, LayerEntryKind.File) { SourcePath = Path.Combine(upper.Root, path), Mode = e.Mode, Uid = e.Uid, Gid = e.Gid };
            result[path] = e;
            WithParents(path);
        }
        foreach (var path in lower.Entries.Keys)
        {
            if (upper.Entries.ContainsKey(path)) continue;
            var slash = path.LastIndexOf('/');
            var parent = slash < 0 ? "" : path[..slash];
            // Only the topmost removed path: a removed directory's whiteout hides everything below it.
            if (parent.Length > 0 && !(upper.Entries.TryGetValue(parent, out var p) && p.Kind == LayerEntryKind.Directory)) continue;
            var whiteout = (parent.Length > 0 ? parent + "/" : "") + ".wh." + path[(slash + 1)..];
            result[whiteout] = LayerEntry.File(whiteout, emptyFile, 0b110_100_100);
            if (parent.Length > 0) { result.TryAdd(parent, upper.Entries[parent]); WithParents(parent); }
        }
        return result.Values.ToList();
    }

    private static bool Same(LayerEntry l, LayerEntry u, string lowerRoot, string upperRoot)
    {
        if (l.Kind != u.Kind || l.Mode != u.Mode || l.Uid != u.Uid || l.Gid != u.Gid || l.LinkTarget != u.LinkTarget
            || l.DevMajor != u.DevMajor || l.DevMinor != u.DevMinor) return false;
        if (l.Kind != LayerEntryKind.File) return true;
        var a = new FileInfo(Path.Combine(lowerRoot, l.Path));
        var b = new FileInfo(Path.Combine(upperRoot, u.Path));
        if (a.Length != b.Length) return false;
        // upper is a `cp -a` of lower: a file apt did not touch keeps its time; one it rewrote is compared by content.
        return a.LastWriteTimeUtc == b.LastWriteTimeUtc || SameBytes(a.FullName, b.FullName);
    }

    private static bool SameBytes(string x, string y)
    {
        using var a = new FileStream(x, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var b = new FileStream(y, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> ba = new byte[1 << 16], bb = new byte[1 << 16];
        while (true)
        {
            var n = a.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            var m = b.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (n != m || !ba[..n].SequenceEqual(bb[..m])) return false;
            if (n == 0) return true;
        }
    }
}
