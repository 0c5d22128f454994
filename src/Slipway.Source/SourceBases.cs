using Slipway.Images.BaseImages;

namespace Slipway.Source;

/// <summary>
/// The local bases the source engine builds on: toolchain bases for build stages and small runtime bases, all
/// from Debian packages or official binaries (<see cref="BaseImageBuilder"/>), kept under
/// <see cref="SourceBuilderOptions.BaseDirectory"/>. Their definitions are Slipway's standard bases
/// (<see cref="BaseImageCatalog.Standard"/>), the catalog the image pipeline reads too; their upstream-looking
/// names also serve user Dockerfiles (FROM node:18 …) once built.
/// </summary>
public static class SourceBases
{
    public static BaseImageCatalog Catalog(string outputDirectory) => BaseImageCatalog.Standard(outputDirectory);

    /// <summary>
    /// The bases for <paramref name="platform"/>: the builder's own platform's are <see cref="Catalog(string)"/>; another
    /// architecture's are the standard cross bases (<see cref="BaseImageCatalog.StandardCross"/>) in their own
    /// directory (<c>OUTPUT/linux-arm64</c>).
    /// </summary>
    public static BaseImageCatalog Catalog(string outputDirectory, Slipway.Oci.Model.Platform? platform)
    {
        if (platform is null || TargetPlatforms.IsHost(platform)) return Catalog(outputDirectory);
        var dir = Path.Combine(outputDirectory, $"{platform.Os}-{platform.Architecture}");
        return BaseImageCatalog.StandardCross(dir, platform.Architecture);
    }

    /// <summary>
    /// A base of the catalog plus Debian packages (a peer config's system packages): the catalog's own definition with
    /// the packages added, named by a hash of them, so builds asking for the same packages share it. A busybox base
    /// has no package manager: its packages go on <c>debian</c>. Not a second catalog: the derived base lives only
    /// in the returned copy of this one.
    /// </summary>
    public static (BaseImageCatalog Catalog, string Name) WithPackages(BaseImageCatalog catalog, string baseName, IReadOnlyList<string> packages)
    {
        var source = catalog.Bases.FirstOrDefault(b => b.Name == baseName) ?? throw new ArgumentException($"no base '{baseName}'");
        if (source.Kind == BaseImageKind.Busybox) source = catalog.Bases.First(b => b.Name == "debian");
        var all = source.Packages.Union(packages).Order(StringComparer.Ordinal).ToList();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', all))))[..12];
        var derived = source with { Name = $"{source.Name}-with-{hash}", Packages = all, Replaces = [] };
        return (catalog.Bases.Any(b => b.Name == derived.Name) ? catalog : catalog with { Bases = [.. catalog.Bases, derived] }, derived.Name);
    }
}
