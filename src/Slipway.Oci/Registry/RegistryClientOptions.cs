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
