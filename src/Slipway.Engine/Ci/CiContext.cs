namespace Slipway.Engine.Ci;

/// <summary>
/// One image a CI pipeline builds: its key (what <c>--images</c> takes), its build method, and the repository
/// paths (directories end with '/') whose change means it must be rebuilt.
/// </summary>
public sealed record CiImage(string Name, string Method, IReadOnlyList<string> Paths);

/// <summary>
/// What the generators need besides the declarations: the images of the repository, the paths every image
/// depends on (the build itself), and the Debian packages a hosted runner must install (with sudo -n) before
/// the build. Generators are pure functions of the declaration and this.
/// </summary>
public sealed record CiContext(IReadOnlyList<CiImage> Images, IReadOnlyList<string> SharedPaths, IReadOnlyList<string> SetupPackages)
{
    public static readonly CiContext Empty = new([], [], []);

    public bool HasNixImages => Images.Any(i => i.Method == "nix");

    /// <summary>Every path whose change rebuilds some image (image paths plus shared ones), sorted, distinct.</summary>
    public IReadOnlyList<string> AllPaths => Images.SelectMany(i => i.Paths).Concat(SharedPaths).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>A path prefix as a glob: directories get <c>**</c>.</summary>
    public static string Glob(string path) => path.EndsWith('/') ? path + "**" : path;
}
