namespace Slipway.Oci.Registry.Auth;

/// <summary>A username/password pair, or an identity (refresh) token. ToString never shows the secret.</summary>
public sealed record RegistryCredential(string? Username, string? Password, string? IdentityToken = null, string Source = "explicit")
{
    public override string ToString() => $"credential for '{Username ?? "<token>"}' from {Source}";

    /// <summary>Parses <c>USER:PASSWORD</c> as given to --creds.</summary>
    public static RegistryCredential Parse(string value, string source = "--creds")
    {
        var colon = value.IndexOf(':');
        if (colon <= 0) throw new FormatException($"{source} must be USER:PASSWORD");
        var c = new RegistryCredential(value[..colon], value[(colon + 1)..], null, source);
        Slipway.Tooling.Secrets.Register(c.Password);
        return c;
    }
}
