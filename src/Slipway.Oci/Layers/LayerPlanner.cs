namespace Slipway.Oci.Layers;

/// <summary>One tar entry exactly as it will be written.</summary>
internal sealed record PlannedEntry(string Path, LayerEntryKind Kind, int Mode, int Uid, int Gid)
{
    public string? SourcePath { get; init; }
    public byte[]? Content { get; init; }
    public string LinkTarget { get; init; } = "";
    public int DevMajor { get; init; }
    public int DevMinor { get; init; }
}

/// <summary>
/// Pure planning: normalises and validates paths, refuses anything that would escape the root, adds missing
/// parent directories, orders entries and arranges hard links so the file always precedes its links.
/// </summary>
internal static class LayerPlanner
{
    /// <summary>
    /// Ordinal order with '/' lowest, i.e. component by component: a directory's whole subtree directly follows it
    /// (the order a sorted depth-first walk produces), and a parent always precedes its children.
    /// </summary>
    public static readonly IComparer<string> PathOrder = Comparer<string>.Create(ComparePaths);

    public static int ComparePaths(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i] == '/' ? '\0' : a[i];
            var y = b[i] == '/' ? '\0' : b[i];
            if (x != y) return x < y ? -1 : 1;
        }
        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Canonical in-image path: no leading '/', './', empty or '.' components. Null for the root itself.</summary>
    public static string? Normalize(string path, string what)
    {
        if (path.Contains('\0')) throw new LayerException($"{what} '{path.Replace("\0", "\\0")}' contains a NUL character");
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p is "" or ".") continue;
            if (p == "..")
                throw new LayerException($"{what} '{path}' contains '..' and could escape the image root; give the path inside the image without '..'");
            parts.Add(p);
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    public static IReadOnlyList<PlannedEntry> Plan(IEnumerable<LayerEntry> entries, LayerOptions options)
    {
        var byPath = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var path = Normalize(e.Path, "layer path");
            if (path is null)
            {
                if (e.Kind == LayerEntryKind.Directory) continue; // the root itself is never written
                throw new LayerException($"layer entry '{e.Path}' names the image root; only a directory can be there");
            }
            if (byPath.TryGetValue(path, out var existing) && !(existing.Kind == LayerEntryKind.Directory && e.Kind == LayerEntryKind.Directory))
                throw new LayerException($"layer path '{path}' is given twice ({existing.Kind} and {e.Kind}); keep one of them");
            byPath[path] = e with { Path = path };
        }

        // Parents: explicit directories for every ancestor; nothing may live under a symlink or a file.
        foreach (var path in byPath.Keys.ToList())
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                var parent = path[..slash];
                if (!byPath.TryGetValue(parent, out var p))
                    byPath[parent] = new LayerEntry(parent, LayerEntryKind.Directory) { Mode = 493 };
                else if (p.Kind == LayerEntryKind.Symlink)
                    throw new LayerException($"layer path '{path}' lies under '{parent}', which is a symlink in the same layer: extracting it would follow the link, possibly out of the root; put the entry at the link's target instead");
                else if (p.Kind != LayerEntryKind.Directory)
                    throw new LayerException($"layer path '{path}' lies under '{parent}', which is a {p.Kind.ToString().ToLowerInvariant()}, not a directory");
            }
        }

        var links = ResolveHardLinks(byPath);
        var ordered = byPath.Keys.Order(PathOrder).ToList();
        var result = new List<PlannedEntry>(ordered.Count);
        foreach (var path in ordered)
        {
            var e = byPath[path];
            if (links.TryGetValue(path, out var owner) && owner != path)
            {
                result.Add(new PlannedEntry(path, LayerEntryKind.HardLink, ModeOf(byPath[FindLinkSource(byPath, owner)], options), e.Uid, e.Gid) { LinkTarget = owner });
                continue;
            }
            if (links.TryGetValue(path, out _) && e.Kind == LayerEntryKind.HardLink)
                e = byPath[FindLinkSource(byPath, path)] with { Path = path }; // the group's first path carries the bytes
            var planned = new PlannedEntry(path, e.Kind, ModeOf(e, options), e.Uid, e.Gid)
            {
                SourcePath = e.SourcePath,
                Content = e.Content,
                DevMajor = e.DevMajor,
                DevMinor = e.DevMinor,
            };
            switch (e.Kind)
            {
                case LayerEntryKind.File when e.SourcePath is null && e.Content is null:
                    throw new LayerException($"layer file '{path}' has neither a SourcePath nor Content");
                case LayerEntryKind.Symlink:
                    planned = planned with { LinkTarget = CheckSymlink(path, e.LinkTarget) };
                    break;
            }
            result.Add(planned);
        }
        return result;
    }

    private static string CheckSymlink(string path, string? target)
    {
        if (string.IsNullOrEmpty(target)) throw new LayerException($"symlink '{path}' has no target");
        if (target.StartsWith('/')) return target; // resolved against the image root at run time: cannot leave it
        var depth = path.Count(c => c == '/'); // components of the link's directory
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".") continue;
            depth += part == ".." ? -1 : 1;
            if (depth < 0)
                throw new LayerException($"symlink '{path}' -> '{target}' points above the image root; make the target absolute (e.g. '/usr/lib/...') or shorten the '../' chain");
        }
        return target;
    }

    private static string FindLinkSource(Dictionary<string, LayerEntry> byPath, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var path = start;
        while (true)
        {
            var e = byPath[path];
            if (e.Kind != LayerEntryKind.HardLink) return path;
            if (!seen.Add(path)) throw new LayerException($"hard link '{start}' is part of a cycle of hard links");
            var target = Normalize(e.LinkTarget ?? "", $"hard link '{path}' target")
                ?? throw new LayerException($"hard link '{path}' has no target");
            if (!byPath.TryGetValue(target, out var t))
                throw new LayerException($"hard link '{path}' -> '{e.LinkTarget}': the target is not in this layer; add it or use a symlink");
            if (t.Kind is not (LayerEntryKind.File or LayerEntryKind.HardLink))
                throw new LayerException($"hard link '{path}' -> '{target}': the target is a {t.Kind.ToString().ToLowerInvariant()}; hard links must point at files");
            path = target;
        }
    }

    /// <summary>For every path in a hard-link group: the group's ordinal-first path, which carries the file.</summary>
    private static Dictionary<string, string> ResolveHardLinks(Dictionary<string, LayerEntry> byPath)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (path, e) in byPath)
        {
            if (e.Kind != LayerEntryKind.HardLink) continue;
            var source = FindLinkSource(byPath, path);
            if (!groups.TryGetValue(source, out var g)) groups[source] = g = [source];
            g.Add(path);
        }
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, members) in groups)
        {
            var first = members.Distinct().Min(PathOrder)!;
            foreach (var m in members) owner[m] = first;
        }
        return owner;
    }

    private static int ModeOf(LayerEntry e, LayerOptions options)
    {
        int mode;
        if (e.Mode is { } m) mode = m;
        else if (e.Kind == LayerEntryKind.Symlink) mode = 511;
        else if (e.SourcePath is not null && e.Kind is LayerEntryKind.File or LayerEntryKind.Directory)
        {
            try { mode = (int)File.GetUnixFileMode(e.SourcePath); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            { throw new LayerException($"cannot read the mode of '{e.SourcePath}' (for '{e.Path}'): {ex.Message}", ex); }
        }
        else mode = e.Kind == LayerEntryKind.Directory ? 493 : 420;
        mode &= 0xFFF;
        if (!options.NormalizeModes) return mode;
        return e.Kind switch
        {
            LayerEntryKind.Directory => 493,
            LayerEntryKind.Symlink => 511,
            _ => (mode & 73) != 0 ? 493 : 420, // any x bit → 0755, else 0644
        };
    }
}
