namespace Slipway.Tooling;

/// <summary>
/// Paths resolved, not compared: a repository's relative path is followed through every symlink (as the kernel
/// would) and must end inside the repository's own real directory. "site -> /etc" passes a string check; it
/// fails this one.
/// </summary>
public static class PathContainment
{
    private const int MaxLinks = 40; // the kernel's own limit on links in one lookup

    /// <summary>The real path of <paramref name="relative"/> under <paramref name="root"/>, or null when it resolves outside.</summary>
    public static string? ResolveInside(string root, string relative)
    {
        var realRoot = RealPath(root);
        var real = RealPath(Path.Combine(realRoot, relative));
        return IsInside(realRoot, real) ? real : null;
    }

    public static bool IsInside(string realRoot, string realPath) =>
        realPath == realRoot || realPath.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>Every symlink in <paramref name="path"/> resolved; components that do not exist are kept as written.</summary>
    public static string RealPath(string path)
    {
        var pending = new LinkedList<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        var links = 0;
        while (pending.First is { } node)
        {
            var part = node.Value;
            pending.RemoveFirst();
            if (part == ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? "/"; continue; }
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks) throw new IOException($"too many levels of symbolic links at {next}");
                if (target.StartsWith('/')) current = "/";
                foreach (var p in Enumerable.Reverse(target.Split('/', StringSplitOptions.RemoveEmptyEntries))) pending.AddFirst(p);
                continue;
            }
            current = next;
        }
        return current;
    }
}
