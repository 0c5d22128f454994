using Slipway.Testing;

namespace Slipway.Source.Tests.Support;

/// <summary>The sample apps under Corpus/ (copied next to the test assembly); each test works on its own copy.</summary>
public static class Corpus
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static IEnumerable<string> Apps => Directory.GetDirectories(Root).Select(Path.GetFileName).Where(n => n != "none").Order(StringComparer.Ordinal)!;

    /// <summary>A fresh copy of one app in a temp directory.</summary>
    public static TempDir Copy(string app)
    {
        var dir = new TempDir("corpus-" + app);
        var source = Path.Combine(Root, app);
        foreach (var f in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(dir.Path, Path.GetRelativePath(source, f));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(f, dest);
        }
        return dir;
    }

    /// <summary>The golden plan file in the source tree (tests/Slipway.Source.Tests/Golden), found from the assembly's directory.</summary>
    public static string GoldenPath(string app)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Slipway.Source.Tests.csproj"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("tests/Slipway.Source.Tests not found above " + AppContext.BaseDirectory), "Golden", app + ".json");
    }
}
