namespace Slipway.Tooling;

/// <summary>
/// build/setup-packages.txt: the one list of what the build and the tests need from the machine, read by the
/// Setup target (which installs the missing packages) and by the test fixtures (which use nothing else). One Debian
/// package a line, then what it provides: commands (looked up on PATH, /usr/sbin, /sbin) or absolute host files,
/// whose path segments may hold '*'.
/// </summary>
public sealed class SetupList(IReadOnlyList<SetupPackage> packages)
{
    public const string RelativePath = "build/setup-packages.txt";

    public IReadOnlyList<SetupPackage> Packages { get; } = packages;

    public static SetupList Read(string path) => new(File.ReadAllLines(path)
        .Select(l => l.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Where(f => f.Length >= 2)
        .Select(f => new SetupPackage(f[0], f[1..]))
        .ToList());

    /// <summary>The packages some of whose provisions are missing on this machine (what Setup installs).</summary>
    public IReadOnlyList<string> Missing() =>
        Packages.Where(p => !p.Provides.All(x => Locate(x) is not null)).Select(p => p.Name).Distinct().ToList();

    /// <summary>The package that provides <paramref name="thing"/> (a command, or an absolute path matched against the globs); null when none does.</summary>
    public string? PackageOf(string thing) =>
        Packages.FirstOrDefault(p => p.Provides.Any(x => x == thing || (x.StartsWith('/') && x.Contains('*') && GlobMatches(x, thing))))?.Name;

    /// <summary>Where a command or absolute path (pattern) is on this machine; null when absent.</summary>
    public static string? Locate(string thing) => thing.StartsWith('/')
        ? Expand(thing).FirstOrDefault(File.Exists)
        : ToolRunner.Which(thing) ?? new[] { "/usr/sbin/", "/sbin/" }.Select(d => d + thing).FirstOrDefault(File.Exists);

    /// <summary>An absolute path whose segments may hold '*' (e.g. /usr/lib/postgresql/*/bin/initdb), expanded.</summary>
    public static IEnumerable<string> Expand(string pattern) =>
        pattern.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((IEnumerable<string>)["/"], (paths, segment) =>
            segment.Contains('*')
                ? paths.Where(Directory.Exists).SelectMany(p => Directory.EnumerateFileSystemEntries(p, segment))
                : paths.Select(p => Path.Combine(p, segment)));

    private static bool GlobMatches(string pattern, string path)
    {
        var p = pattern.Split('/');
        var s = path.Split('/');
        return p.Length == s.Length && p.Zip(s).All(x => x.First == x.Second || System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(x.First, x.Second));
    }
}

/// <summary>One line of the list: a Debian package and the commands or files it provides.</summary>
public sealed record SetupPackage(string Name, IReadOnlyList<string> Provides);
