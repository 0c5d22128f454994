using Slipway.Engine.Ci;
using Slipway.Images.Discovery;
using Slipway.Images.Methods;

namespace Slipway.Build.Components;

/// <summary>
/// What CI generation needs from a build that lists <see cref="IPublishImages"/>: its images (discovered with the
/// component's methods) and the repository paths each is rebuilt for. One home for every build that generates
/// CI (Slipway's own build/ and the other repositories' builds).
/// </summary>
public static class ImageCiContext
{
    /// <summary>Paths every image depends on: the build itself, its SDK pin, parameters and the local bases.</summary>
    public static readonly string[] DefaultSharedPaths = ["build/", "build.sh", "global.json", ".nuke/parameters.json", "containers/base-images.yml"];

    /// <param name="root">The repository whose images CI builds (the build's own, not --root's).</param>
    /// <param name="runnerPackages">Debian packages a hosted runner must install before the build.</param>
    public static CiContext For(IPublishImages build, string root, IReadOnlyList<string> runnerPackages, IReadOnlyList<string>? sharedPaths = null, CancellationToken ct = default)
    {
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
        var images = ImageCatalog.DiscoverAsync(root, build.ImageMethods(), ct).GetAwaiter().GetResult().Entries
            .Select(e => new CiImage(e.Key, e.Method.Name, PathsOf(e.Definition))).ToList();
        // The release flow's CheckManifests is a target of the build (Slipway's own), not of this component.
        var checkManifests = build.GetType().GetProperty("CheckManifests", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic) is not null;
        return new CiContext(images, sharedPaths ?? DefaultSharedPaths, runnerPackages, checkManifests);
    }
}
