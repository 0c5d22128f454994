using Slipway.Oci.Registry.Auth;

namespace Slipway.Oci.Registry;

/// <summary>Settings for one run's registry traffic.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Blob transfers at once per image (the .NET SDK's unbounded fan-out overwhelms small registries).</summary>
    public int Jobs { get; init; } = 4;
    /// <summary>Hosts (host or host:port) reached over plain HTTP besides loopback ones.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];
    /// <summary>The one credential chain the run asks by registry host (<see cref="Auth.Keychain"/>).</summary>
    public Keychain Keychain { get; init; } = Keychain.Default();
    /// <summary>
    /// Credentials given explicitly by host (<c>"*"</c>: any host), asked before <see cref="Keychain"/>: the older
    /// spelling of <c>Keychain.Prepend(ExplicitCredentials…)</c>, kept for callers not yet moved.
    /// </summary>
    public IReadOnlyDictionary<string, RegistryCredential> ExplicitCredentials { get; init; } = new Dictionary<string, RegistryCredential>();

    /// <summary>The chain as the client asks it: explicit credentials first.</summary>
    internal Keychain EffectiveKeychain()
    {
        if (ExplicitCredentials.Count == 0) return Keychain;
        var given = new ExplicitCredentials();
        foreach (var (host, credential) in ExplicitCredentials)
            if (host == "*") given.AnyHost(credential); else given.Host(host, credential);
        return Keychain.Prepend(given);
    }
    /// <summary>Transport under the auth and retry handlers; tests put a fault injector or counter here.</summary>
    public Func<HttpMessageHandler>? TransportFactory { get; init; }
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Blobs larger than this are uploaded in chunks only when a monolithic PUT is refused.</summary>
    public int ChunkSize { get; init; } = 16 << 20;
    public string UserAgent { get; init; } = "slipway/0.1";
    /// <summary>Tags asked for per page of a tag list (the registry may send fewer; the Link header leads on).</summary>
    public int TagPageSize { get; init; } = 1000;
}
