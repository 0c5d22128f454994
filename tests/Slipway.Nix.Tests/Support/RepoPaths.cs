namespace Slipway.Nix.Tests.Support;

public static class RepoPaths
{
    /// <summary>The checkout this test runs from (the directory holding Slipway.slnx).</summary>
    public static string Root { get; } = Find();

    public static string FixtureRepo => Path.Combine(Root, "tests", "Slipway.Nix.Tests", "Fixtures", "repo");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Slipway.slnx) above " + AppContext.BaseDirectory);
    }

    /// <summary>Copies the fixture monorepo (and the real nix/ directory) into <paramref name="target"/>.</summary>
    public static void CopyFixtureRepo(string target)
    {
        Copy(FixtureRepo, target);
        Copy(Path.Combine(Root, "nix"), Path.Combine(target, "nix"));
    }

    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: true);
        }
    }
}
