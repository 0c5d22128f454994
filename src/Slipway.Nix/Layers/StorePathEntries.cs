using System.Text.RegularExpressions;
using Slipway.Oci.Layers;

namespace Slipway.Nix.Layers;

/// <summary>A permission override for files whose source path matches <see cref="Regex"/> (nix2container "perms").</summary>
public sealed record PermRule(string Regex, int? Mode, int Uid, int Gid);

/// <summary>
/// One store path (or any directory/file) to put into a layer. By default it lands at its own absolute path
/// (<c>/nix/store/…</c>); a rewrite moves it, e.g. <c>^/nix/store/[^/]+</c> → "" copies its tree to the image root.
/// </summary>
public sealed record StorePathSpec(string Path)
{
    public string? RewriteRegex { get; init; }
    public string RewriteReplacement { get; init; } = "";
    public IReadOnlyList<PermRule> Perms { get; init; } = [];

    /// <summary>Stable text for cache keys: store paths are immutable, so path + options name the layer's content.</summary>
    public string Key => $"{Path}|{RewriteRegex}|{RewriteReplacement}|{string.Join(";", Perms.Select(p => $"{p.Regex}:{p.Mode}:{p.Uid}:{p.Gid}"))}";
}

/// <summary>
/// Turns store paths into layer entries. Every regular file is written as a file, never as a hard link, so the
/// layer does not depend on whether <c>nix-store --optimise</c> has deduplicated the store.
/// </summary>
public static class StorePathEntries
{
    public static IEnumerable<LayerEntry> Enumerate(IReadOnlyList<StorePathSpec> specs)
    {
        var byPath = new Dictionary<string, (LayerEntry Entry, string Source)>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var rewrite = spec.RewriteRegex is { Length: > 0 } r ? new Regex(r, RegexOptions.CultureInvariant) : null;
            var perms = spec.Perms.Select(p => (Regex: new Regex(p.Regex, RegexOptions.CultureInvariant), Rule: p)).ToList();
            FileSystemInfo root = Directory.Exists(spec.Path) && new DirectoryInfo(spec.Path).LinkTarget is null
                ? new DirectoryInfo(spec.Path)
                : new FileInfo(spec.Path);
            if (!root.Exists && root.LinkTarget is null)
                throw new FileNotFoundException($"store path '{spec.Path}' does not exist; build it first (nix-build / nix build) or run on the machine that built the image", spec.Path);
            foreach (var (info, src) in Walk(root))
            {
                var dst = rewrite is null ? src : rewrite.Replace(src, spec.RewriteReplacement);
                dst = dst.Trim('/');
                if (dst.Length == 0) continue; // the rewritten root itself, e.g. a copyToRoot path
                var entry = ToEntry(info, dst);
                foreach (var (regex, rule) in perms)
                    if (regex.IsMatch(src))
                        entry = entry with { Mode = rule.Mode ?? entry.Mode, Uid = rule.Uid, Gid = rule.Gid };
                if (byPath.TryGetValue(dst, out var existing))
                {
                    if (existing.Entry.Kind == LayerEntryKind.Directory && entry.Kind == LayerEntryKind.Directory) continue;
                    if (existing.Entry.Kind != entry.Kind)
                        throw new InvalidDataException($"'/{dst}' comes from both '{existing.Source}' ({existing.Entry.Kind}) and '{src}' ({entry.Kind}); remove one of them from the image's root contents");
                    continue; // same kind: the first store path wins, like nix2container
                }
                byPath[dst] = (entry, src);
            }
        }
        return byPath.Values.Select(v => v.Entry);
    }

    private static LayerEntry ToEntry(FileSystemInfo info, string dst)
    {
        if (info.LinkTarget is { } target) return LayerEntry.Symlink(dst, target);
        var mode = (int)info.UnixFileMode;
        return info is DirectoryInfo
            ? LayerEntry.Directory(dst, mode)
            : new LayerEntry(dst, LayerEntryKind.File) { SourcePath = info.FullName, Mode = mode };
    }

    private static IEnumerable<(FileSystemInfo Info, string Source)> Walk(FileSystemInfo root)
    {
        var stack = new Stack<FileSystemInfo>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var item = stack.Pop();
            yield return (item, item.FullName.TrimEnd('/'));
            if (item is DirectoryInfo dir && dir.LinkTarget is null)
                foreach (var child in dir.EnumerateFileSystemInfos().OrderByDescending(c => c.Name, StringComparer.Ordinal))
                    stack.Push(child);
        }
    }
}
