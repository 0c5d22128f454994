using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;

namespace Slipway.Nix.Layers;

/// <summary>
/// Layers made from store paths, streamed at push time. Their digests are computed once per machine and
/// remembered under the store paths (immutable by construction), so a rebuild only hashes what is new.
/// </summary>
public sealed class StoreLayers(string? cacheDirectory, LayerOptions? options = null)
{
    /// <summary>
    /// Store content gets a fixed mtime (1 s, the store's own) and never SOURCE_DATE_EPOCH: an unchanged store path
    /// must give the same layer digest on every commit, so a HEAD skips it.
    /// </summary>
    public static LayerOptions DefaultOptions { get; } = new() { Timestamp = DateTimeOffset.FromUnixTimeSeconds(1) };

    public LayerOptions Options { get; } = options ?? DefaultOptions;
    public string? CacheDirectory { get; } = cacheDirectory;

    /// <summary>The per-user cache: $XDG_CACHE_HOME/slipway/layers, else ~/.cache/slipway/layers.</summary>
    public static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(baseDir, "slipway", "layers");
    }

    public async Task<StreamedLayerBlob> CreateAsync(IReadOnlyList<StorePathSpec> specs, CancellationToken cancellationToken)
    {
        if (specs.Count == 0) throw new ArgumentException("a store layer needs at least one path");
        // Only content-addressed-by-name paths may be cached; anything else is hashed every time.
        var cacheable = specs.All(s => IsStorePath(s.Path));
        var key = cacheable ? "nix-store-layer\n" + string.Join("\n", specs.Select(s => s.Key)) : null;
        return await StreamedLayerBlob.CreateAsync(() => StorePathEntries.Enumerate(specs), Options, key, cacheable ? CacheDirectory : null, cancellationToken);
    }

    public static bool IsStorePath(string path) =>
        path.StartsWith(NixStore.Directory + "/", StringComparison.Ordinal) && path.Length > NixStore.Directory.Length + 34;
}

/// <summary>Where the Nix store lives (NIX_STORE_DIR, default /nix/store).</summary>
public static class NixStore
{
    public static string Directory => Environment.GetEnvironmentVariable("NIX_STORE_DIR") is { Length: > 0 } d ? d.TrimEnd('/') : "/nix/store";

    /// <summary>The store path a path lies in: /nix/store/HASH-name/bin/x → /nix/store/HASH-name.</summary>
    public static string? StorePathOf(string path)
    {
        var prefix = Directory + "/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var slash = path.IndexOf('/', prefix.Length);
        return slash < 0 ? path : path[..slash];
    }

    /// <summary>The name part after the hash: /nix/store/abc…-hello-2.12 → hello-2.12.</summary>
    public static string NameOf(string storePath)
    {
        var baseName = Path.GetFileName(storePath);
        var dash = baseName.IndexOf('-');
        return dash >= 0 ? baseName[(dash + 1)..] : baseName;
    }
}
