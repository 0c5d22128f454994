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
}
