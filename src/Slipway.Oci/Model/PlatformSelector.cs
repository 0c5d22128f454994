namespace Slipway.Oci.Model;

public static class PlatformSelector
{
    /// <summary>Picks the manifest for <paramref name="wanted"/> from an index, listing what exists when none fits.</summary>
    public static Descriptor Select(ImageIndex index, Platform wanted, string where)
    {
        var candidates = index.Manifests.Where(m => m.Platform is { } p && p.Os == wanted.Os && p.Architecture == wanted.Architecture).ToList();
        if (wanted.Variant is not null) candidates = candidates.Where(m => m.Platform!.Variant == wanted.Variant || m.Platform!.Variant is null).ToList();
        if (candidates.Count > 0) return candidates[0];
        if (index.Manifests.Count == 1 && index.Manifests[0].Platform is null) return index.Manifests[0];
        var available = index.Manifests.Select(m => m.Platform?.ToString() ?? "(unspecified)");
        throw new KeyNotFoundException($"{where} has no image for platform {wanted}. Available platforms are: {string.Join(", ", available)}");
    }
}
