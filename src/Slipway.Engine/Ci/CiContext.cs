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
/// <param name="CheckManifests">The build has a CheckManifests target (the release flow): the pipelines run it after
/// the images on main; a build without it gets no such job.</param>
public sealed record CiContext(IReadOnlyList<CiImage> Images, IReadOnlyList<string> SharedPaths, IReadOnlyList<string> SetupPackages, bool CheckManifests = true)
{
    public static readonly CiContext Empty = new([], [], []);

    public bool HasNixImages => Images.Any(i => i.Method == "nix");

    /// <summary>Every path whose change rebuilds some image (image paths plus shared ones), sorted, distinct.</summary>
    public IReadOnlyList<string> AllPaths => Images.SelectMany(i => i.Paths).Concat(SharedPaths).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>A path prefix as a glob: directories get <c>**</c>.</summary>
    public static string Glob(string path) => path.EndsWith('/') ? path + "**" : path;

    /// <summary>
    /// One shell line that installs the Debian packages not installed yet (apt-get update only then), with
    /// <paramref name="sudo"/> in front of apt-get ("sudo -n " or "$SUDO "): hosted runners and container images lack
    /// them, a self-hosted shell runner has them after its first job.
    /// </summary>
    public static string MissingPackagesScript(IReadOnlyList<string> packages, string sudo) =>
        $"missing=$(for p in {string.Join(' ', packages)}; do dpkg-query -W -f='${{Status}}' \"$p\" 2>/dev/null | grep -q ' installed$' || echo \"$p\"; done); " +
        $"if [ -n \"$missing\" ]; then {sudo}apt-get update -q && {sudo}apt-get install -y -q --no-install-recommends $missing; else echo \"installed already ({string.Join(' ', packages)})\"; fi";
}
