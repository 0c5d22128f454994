using Slipway.Oci.Layers;

namespace Slipway.Images.BaseImages;

/// <summary>
/// Picks a <see cref="BaseImageKind.Closure"/> base out of a root filesystem that has its packages installed: the
/// files dpkg lists for the packages and what they depend on (read from <c>var/lib/dpkg/status</c>), not following
/// the packages that only maintainer scripts and package management need; busybox's applets where no package file
/// stands; the few generated files programs read. Paths through the merged-/usr links (<c>/bin</c>, <c>/lib</c>)
/// are taken at their real place.
/// </summary>
internal static class PackageClosure
{
    /// <summary>Needed to install or configure packages, not to run a program: never followed.</summary>
    private static readonly HashSet<string> NotFollowed = new(StringComparer.Ordinal)
    {
        "debconf", "debconf-2.0", "cdebconf", "perl-base", "dpkg", "apt", "init-system-helpers", "debianutils",
        "sensible-utils", "adduser", "passwd", "login", "bash", "dash", "coreutils", "libc-bin", "usrmerge",
        "usr-is-merged", "base-files", "base-passwd", "ucf", "tar", "gzip", "sed", "grep", "findutils", "diffutils",
        "util-linux", "mawk", "install-info", "lsb-base", "sysvinit-utils", "libpam-runtime",
    };

    /// <summary>Generated or configuration files a program reads at run time (kept when present, with what is under them).</summary>
    private static readonly string[] Extras =
    [
        "etc/passwd", "etc/group", "etc/nsswitch.conf", "etc/ld.so.cache", "etc/ld.so.conf", "etc/ld.so.conf.d",
        "etc/ssl", "etc/ca-certificates.conf", "etc/alternatives", "etc/os-release", "usr/lib/os-release",
        "etc/mime.types", "etc/localtime", "etc/timezone",
        "tmp", "var/tmp", "root", "home", "run", "dev", "proc", "sys",
    ];

    public const string Shell = "busybox-static";

    public static List<LayerEntry> Entries(RootfsDiff.Tree tree, IReadOnlyList<string> packages, IReadOnlyList<string> busyboxApplets)
    {
        var root = tree.Root;
        var status = ReadStatus(Path.Combine(root, "var/lib/dpkg/status"));
        var closure = Resolve(status, [.. packages, Shell]);
        var links = new[] { "bin", "sbin", "lib", "lib64", "lib32", "libx32" }
            .Where(d => tree.Entries.TryGetValue(d, out var e) && e.Kind == LayerEntryKind.Symlink).ToDictionary(d => d, d => tree.Entries[d].LinkTarget!.TrimStart('/'));
        string Canonical(string path)
        {
            var slash = path.IndexOf('/');
            var top = slash < 0 ? path : path[..slash];
            return links.TryGetValue(top, out var target) && slash > 0 ? target + path[slash..] : path;
        }

        var kept = new SortedDictionary<string, LayerEntry>(StringComparer.Ordinal);
        void Keep(string path)
        {
            if (!tree.Entries.TryGetValue(path, out var e) || kept.ContainsKey(path)) return;
            kept[path] = e;
            for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
                if (tree.Entries.TryGetValue(path[..slash], out var parent)) kept.TryAdd(path[..slash], parent);
        }
        foreach (var link in links.Keys) Keep(link);
        foreach (var pkg in closure)
            foreach (var list in ListFiles(root, pkg))
                foreach (var line in File.ReadLines(list))
                {
                    var path = line.Trim().TrimStart('/');
                    if (path.Length > 0 && path != ".") Keep(Canonical(path));
                }
        foreach (var extra in Extras)
        {
            Keep(extra);
            foreach (var under in tree.Entries.Keys.Where(p => p.StartsWith(extra + "/", StringComparison.Ordinal))) Keep(under);
        }
        // Busybox stands in for the shell and the small tools no package of the closure brings.
        foreach (var applet in busyboxApplets.Select(a => Canonical(a.Trim().TrimStart('/'))).Where(a => a.Length > 0))
        {
            if (kept.ContainsKey(applet)) continue;
            var parent = applet[..Math.Max(0, applet.LastIndexOf('/'))];
            if (parent.Length > 0 && !kept.ContainsKey(parent)) Keep(parent);
            if (parent.Length == 0 || kept.ContainsKey(parent)) kept[applet] = LayerEntry.Symlink(applet, "/bin/busybox");
        }
        // A hard link whose target stayed out carries the bytes itself.
        foreach (var (path, e) in kept.ToList())
            if (e.Kind == LayerEntryKind.HardLink && !kept.ContainsKey(e.LinkTarget!))
                kept[path] = new LayerEntry(path, LayerEntryKind.File) { SourcePath = Path.Combine(root, path), Mode = e.Mode, Uid = e.Uid, Gid = e.Gid };
        return [.. kept.Values];
    }

    private sealed record Package(string Name, string Depends, IReadOnlyList<string> Provides);

    private static Dictionary<string, Package> ReadStatus(string statusFile)
    {
        var result = new Dictionary<string, Package>(StringComparer.Ordinal);
        foreach (var stanza in File.ReadAllText(statusFile).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? last = null;
            foreach (var line in stanza.Split('\n'))
            {
                if (line.StartsWith(' ') && last is not null) { fields[last] += " " + line.Trim(); continue; }
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                last = line[..colon];
                fields[last] = line[(colon + 1)..].Trim();
            }
            if (!fields.TryGetValue("Package", out var name) || fields.GetValueOrDefault("Status") is not { } st || !st.EndsWith(" installed", StringComparison.Ordinal)) continue;
            var depends = string.Join(", ", new[] { fields.GetValueOrDefault("Pre-Depends"), fields.GetValueOrDefault("Depends") }.Where(d => !string.IsNullOrEmpty(d)));
            var provides = (fields.GetValueOrDefault("Provides") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(NameOf).ToList();
            result[name] = new Package(name, depends, provides);
        }
        return result;
    }

    private static string NameOf(string alternative)
    {
        var t = alternative.Trim();
        var end = t.IndexOfAny([' ', '(', '[']);
        if (end >= 0) t = t[..end];
        var colon = t.IndexOf(':');
        return colon >= 0 ? t[..colon] : t;
    }

    private static List<string> Resolve(Dictionary<string, Package> installed, IEnumerable<string> wanted)
    {
        var providers = installed.Values.SelectMany(p => p.Provides.Select(v => (Virtual: v, p.Name)))
            .GroupBy(x => x.Virtual).ToDictionary(g => g.Key, g => g.Select(x => x.Name).ToList(), StringComparer.Ordinal);
        string? Installed(string name) =>
            installed.ContainsKey(name) ? name : providers.TryGetValue(name, out var by) ? by[0] : null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var w in wanted)
        {
            var name = Installed(w) ?? throw new InvalidOperationException($"package '{w}' is not installed in the root filesystem");
            if (seen.Add(name)) queue.Enqueue(name);
        }
        while (queue.Count > 0)
        {
            var pkg = installed[queue.Dequeue()];
            foreach (var clause in pkg.Depends.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var alternatives = clause.Split('|').Select(NameOf).ToList();
                if (alternatives.Any(NotFollowed.Contains)) continue;
                if (alternatives.Select(Installed).FirstOrDefault(n => n is not null) is { } dep && !NotFollowed.Contains(dep) && seen.Add(dep)) queue.Enqueue(dep);
            }
        }
        return [.. seen.Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> ListFiles(string root, string package)
    {
        var info = Path.Combine(root, "var/lib/dpkg/info");
        var plain = Path.Combine(info, package + ".list");
        if (File.Exists(plain)) return [plain];
        return Directory.EnumerateFiles(info, package + ":*.list");
    }
}
