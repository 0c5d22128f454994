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
}
