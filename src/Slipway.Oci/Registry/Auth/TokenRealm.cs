namespace Slipway.Oci.Registry.Auth;

/// <summary>
/// Where a registry may send us for a token. Credentials travel to a realm only over HTTPS; plain HTTP is accepted
/// only for a realm that is itself loopback or named insecure (<c>--insecure-registry</c>), or that is on the host
/// of a registry we already speak plain HTTP to. Anything else — a plain-HTTP realm on another host, or another
/// scheme — is refused before a byte is sent, so a registry (or whoever answers in its place) can't collect
/// credentials in clear text elsewhere.
/// </summary>
public static class TokenRealm
{
    public static Uri Validate(string realm, string registry, IReadOnlyCollection<string> insecureRegistries)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new RegistryException($"{registry} names token realm '{realm}', which is not an http(s) URL; the registry's auth.token.realm must be an absolute https:// URL");
        if (uri.Scheme == "https") return uri;
        var sameHost = string.Equals(uri.Host, HostOf(registry), StringComparison.OrdinalIgnoreCase)
                       && RegistryClient.IsPlainHttp(registry, insecureRegistries);
        if (sameHost || RegistryClient.IsPlainHttp(uri.IsDefaultPort ? uri.Host : uri.Authority, insecureRegistries)) return uri;
        throw new RegistryException($"{registry} sends us to token realm {uri.GetLeftPart(UriPartial.Path)} over plain HTTP on another host; credentials go to a token realm only over HTTPS. Serve the realm over https, or, if that host is trusted, pass --insecure-registry {uri.Authority}");
    }

    private static string HostOf(string registry) =>
        registry.StartsWith('[') ? registry[1..registry.IndexOf(']')] : registry.Split(':')[0];
}
