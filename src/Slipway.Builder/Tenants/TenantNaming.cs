using Slipway.Builder.Model;
using Slipway.Oci.Model;

namespace Slipway.Builder.Tenants;

/// <summary>
/// Tenant images live at {registry}/tenants/{tenant}/{service}:{n}; n comes from the store (or VERSION). The one
/// place that names them: the executor pushes there by digest, the coordinator tags there, rollback moves tags there.
/// </summary>
public static class TenantNaming
{
    /// <summary><paramref name="registry"/> is HOST[:PORT] or HOST[:PORT]/NAMESPACE.</summary>
    public static ImageReference Repository(string registry, string tenant, string service) =>
        ImageReference.Parse($"{registry.TrimEnd('/')}/tenants/{tenant}/{service}");

    /// <summary>Version <paramref name="version"/> of the image in <paramref name="repository"/>.</summary>
    public static PublishedImage Image(ImageReference repository, int version, string digest) =>
        new(repository.Name, version.ToString(System.Globalization.CultureInfo.InvariantCulture), digest);
}
