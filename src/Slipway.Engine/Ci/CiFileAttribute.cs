namespace Slipway.Engine.Ci;

/// <summary>
/// A CI file the build generates from a declaration on its class (Nuke's configuration attributes):
/// <c>./build.sh --generate-workflows</c> writes every one, and a build's check compares the committed copies.
/// The engine knows only this shape; what a file contains is its attribute's business (a build component may
/// declare its own, reading what it needs from the build it is given).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public abstract class CiFileAttribute : Attribute
{
    /// <summary>Where the file goes, relative to the build's repository (<c>.github/workflows/ci.yml</c>).</summary>
    public abstract string RelativePath { get; }

    /// <summary>The file's text; stable, so a committed copy can be compared byte for byte.</summary>
    public abstract string Generate(ISlipwayBuild build);

    /// <summary>What makes this declaration unusable for a build of <paramref name="buildType"/> with these targets (one line each).</summary>
    public virtual IEnumerable<string> Problems(Type buildType, IReadOnlyCollection<string> targetNames) => [];
}

/// <summary>The CI files of a build: every <see cref="CiFileAttribute"/> on its class.</summary>
public static class CiFiles
{
    public static IReadOnlyList<CiFileAttribute> Of(Type buildType) =>
        buildType.GetCustomAttributes(typeof(CiFileAttribute), true).Cast<CiFileAttribute>().OrderBy(a => a.RelativePath, StringComparer.Ordinal).ToList();

    public static string PathFor(string root, CiFileAttribute file) => Path.Combine(root, file.RelativePath);

    /// <summary>Declarations that cannot work, and two declarations that would write the same file.</summary>
    public static IReadOnlyList<string> Problems(Type buildType, IReadOnlyCollection<string> targetNames) =>
        Of(buildType).SelectMany(a => a.Problems(buildType, targetNames))
            .Concat(Of(buildType).GroupBy(a => a.RelativePath).Where(g => g.Count() > 1).Select(g => $"two declarations would write the same {g.Key}"))
            .ToList();

    public static void Write(ISlipwayBuild build, string root)
    {
        foreach (var a in Of(build.GetType()))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PathFor(root, a))!);
            File.WriteAllText(PathFor(root, a), a.Generate(build));
        }
    }

    /// <summary>Committed files that differ from what the build generates, with what to run to fix them.</summary>
    public static IReadOnlyList<string> Differences(ISlipwayBuild build, string root) =>
        Of(build.GetType()).Where(a => !File.Exists(PathFor(root, a)) || File.ReadAllText(PathFor(root, a)) != a.Generate(build))
            .Select(a => $"{a.RelativePath} is not what the build generates; run ./build.sh --generate-workflows and commit it")
            .ToList();
}
