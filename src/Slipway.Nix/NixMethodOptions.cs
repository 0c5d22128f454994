namespace Slipway.Nix;

/// <summary>How the Nix method builds, fixed when it is constructed.</summary>
public sealed record NixMethodOptions
{
    /// <summary>Keep nix's sandbox on (default off: the build hosts here often cannot give it its namespaces).</summary>
    public bool Sandbox { get; init; }
    /// <summary>The flake system to build (e.g. x86_64-linux); null is this machine's.</summary>
    public string? System { get; init; }
    /// <summary>Where the layer digest cache lives; null is the default under the user's cache directory.</summary>
    public string? CacheDirectory { get; init; }
}
