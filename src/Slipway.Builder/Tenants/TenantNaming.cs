using Slipway.Oci.Model;

namespace Slipway.Builder.Tenants;

/// <summary>Tenant images live at {registry}/tenants/{tenant}/{service}:{n}; n comes from the store.</summary>
public static class TenantNaming
{
    /// <summary><paramref name="registry"/> is HOST[:PORT] or HOST[:PORT]/NAMESPACE.</summary>
    public static ImageReference Repository(string registry, string tenant, string service) =>
        ImageReference.Parse($"{registry.TrimEnd('/')}/tenants/{tenant}/{service}");

    public static string Image(ImageReference repository, int version) => $"{repository.Registry}/{repository.Repository}:{version}";
}
