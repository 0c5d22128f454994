namespace Slipway.Tooling;

/// <summary>
/// build/setup-packages.txt: the one list of what the build and the tests need from the machine, read by the
/// Setup target (which installs the missing packages) and by the test fixtures (which use nothing else). One Debian
/// package a line, then what it provides: commands (looked up on PATH, /usr/sbin, /sbin) or absolute host files,
/// whose path segments may hold '*'. A <c>[section]</c> line says who needs the packages below it
/// (<see cref="Build"/>, <see cref="Test"/>, <see cref="Essential"/>), so the main job installs only what it uses.
/// <see cref="DotnetTool"/> lines name a .NET tool from NuGet as <c>Package@version</c> (the tests' PowerShell):
/// SetupTests installs them with <c>dotnet tool install --tool-path</c> into <see cref="DotnetToolDirectory"/>.
/// </summary>
public sealed class SetupList(IReadOnlyList<SetupPackage> packages)
{
    public const string RelativePath = "build/setup-packages.txt";
    public const string Build = "build", Test = "test", Essential = "essential", DotnetTool = "dotnet-tool";
    private static readonly string[] Sections = [Build, Test, Essential, DotnetTool];

    /// <summary>Where SetupTests installs the [dotnet-tool] entries, relative to the repository root.</summary>
    public const string DotnetToolDirectory = ".nuke/temp/dotnet-tools";

    /// <summary>Where a [dotnet-tool] command is (or will be) under <paramref name="root"/>.</summary>
    public static string DotnetToolPath(string root, string command) => Path.Combine(root, DotnetToolDirectory, command);

    public IReadOnlyList<SetupPackage> Packages { get; } = packages;

    public static SetupList Read(string path)
    {
        var packages = new List<SetupPackage>();
        var section = Build;
        var number = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            number++;
            var line = raw.Split('#')[0].Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1].Trim();
                if (!Sections.Contains(section))
                    throw new FormatException($"{path}:{number}: unknown section [{section}]. Available sections are: {string.Join(", ", Sections.Select(s => $"[{s}]"))}");
                continue;
            }
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length == 1)
                throw new FormatException($"{path}:{number}: '{fields[0]}' names no command or file it provides; write '{fields[0]}  <command or /absolute/path>'");
            if (fields.Length >= 2) packages.Add(new SetupPackage(fields[0], fields[1..], section));
        }
        return new(packages);
    }

    /// <summary>The packages of <paramref name="sections"/> some of whose provisions are missing on this machine
    /// (what Setup installs).</summary>
    public IReadOnlyList<string> Missing(params string[] sections) =>
        Packages.Where(p => sections.Contains(p.Section) && !p.Provides.All(x => Locate(x) is not null)).Select(p => p.Name).Distinct().ToList();

    /// <summary>The package names of one section, in list order.</summary>
    public IReadOnlyList<string> Names(string section) => Packages.Where(p => p.Section == section).Select(p => p.Name).Distinct().ToList();

    /// <summary>
    /// The package that provides <paramref name="thing"/>: a command, an absolute path matched against the globs, or
    /// a directory on the way to a listed path (/usr/lib/postgresql for /usr/lib/postgresql/*/bin/initdb); null when none does.
    /// </summary>
    public string? PackageOf(string thing) =>
        Packages.FirstOrDefault(p => p.Provides.Any(x => x == thing || (x.StartsWith('/') && thing.StartsWith('/') && (GlobMatches(x, thing) || LeadsTo(thing, x)))))?.Name;

    private static bool LeadsTo(string directory, string pattern)
    {
        var d = directory.TrimEnd('/').Split('/');
        var p = pattern.Split('/');
        return d.Length < p.Length && GlobMatches(string.Join('/', p[..d.Length]), string.Join('/', d));
    }

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

/// <summary>One line of the list: a Debian package, the commands or files it provides, and its section.</summary>
public sealed record SetupPackage(string Name, IReadOnlyList<string> Provides, string Section = SetupList.Build);
