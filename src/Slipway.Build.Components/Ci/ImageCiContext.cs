using Slipway.Engine;
using Slipway.Images.Discovery;
using Slipway.Images.Methods;

namespace Slipway.Build.Components.Ci;

/// <summary>
/// One image a CI pipeline builds: its key (what <c>--images</c> takes), its build method, and the repository
/// paths (directories end with '/') whose change means it must be rebuilt.
/// </summary>
public sealed record CiImage(string Name, string Method, IReadOnlyList<string> Paths);

/// <summary>
/// What the image CI generators need besides their declarations: the images of the repository, the paths every
/// image depends on (the build itself), the Debian packages a hosted runner must install (with sudo -n) before the
/// build, and whether the build has the release flow (<see cref="IReleaseImages"/>: the pipelines then offer
/// <c>--ref</c> and run CheckManifests after the images on main; a build without it gets neither). The generators
/// are pure functions of the declaration and this.
/// </summary>
public sealed record ImageCiContext(IReadOnlyList<CiImage> Images, IReadOnlyList<string> SharedPaths, IReadOnlyList<string> SetupPackages, bool Release = true)
{
    /// <summary>Paths every image depends on: the build itself, its SDK pin, parameters and the local bases.</summary>
    public static readonly string[] DefaultSharedPaths = ["build/", "build.sh", "global.json", ".nuke/parameters.json", "containers/base-images.yml"];

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

    /// <summary>
    /// The context of a build that lists <see cref="IPublishImages"/>: the images of its own repository (not
    /// --root's), discovered with the component's methods.
    /// </summary>
    public static ImageCiContext For(IPublishImages build)
    {
        var root = build.BuildRepositoryDirectory.Path;
        string Rel(string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
        // An image's paths: the directories of its context, definition and input files (nested ones folded into
        // their parent), and root-level files themselves (flake.nix, flake.lock).
        IReadOnlyList<string> PathsOf(ImageDefinition d)
        {
            var all = d.InputFiles.Append(d.DefinitionFile).Select(Rel)
                .Select(f => f.Contains('/') ? f[..(f.LastIndexOf('/') + 1)] : f)
                .Append(Rel(d.ContextDirectory).TrimEnd('/') + "/")
                .Where(p => p != "./" && !p.StartsWith("../", StringComparison.Ordinal))
                .Distinct().ToList();
            return all.Where(p => !all.Any(q => q != p && q.EndsWith('/') && p.StartsWith(q, StringComparison.Ordinal))).Order(StringComparer.Ordinal).ToList();
        }
        var images = ImageCatalog.DiscoverAsync(root, build.ImageMethods(), build.CancellationToken).GetAwaiter().GetResult().Entries
            .Select(e => new CiImage(e.Key, e.Method.Name, PathsOf(e.Definition))).ToList();
        return new ImageCiContext(images, build.CiSharedPaths, build.CiRunnerPackages, Release: build is IReleaseImages);
    }

    /// <summary>The context of <paramref name="build"/>, or one line saying what the declaration needs.</summary>
    internal static ImageCiContext Of(ISlipwayBuild build, string declaration) => build is IPublishImages images
        ? For(images)
        : throw new InvalidOperationException($"{declaration} generates image pipelines: the build must list IPublishImages (class Build : SlipwayBuild, IPublishImages)");

    internal static IEnumerable<string> ProblemsFor(Type buildType, string declaration) =>
        typeof(IPublishImages).IsAssignableFrom(buildType) ? [] : [$"{declaration} generates image pipelines, but {buildType.Name} does not list IPublishImages; add it (class {buildType.Name} : SlipwayBuild, IPublishImages)"];
}
