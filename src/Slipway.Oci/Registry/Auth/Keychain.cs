using Slipway.Tooling;

namespace Slipway.Oci.Registry.Auth;

/// <summary>One source of registry credentials, asked by registry host (<c>host[:port]</c>).</summary>
public interface ICredentialProvider
{
    /// <summary>The credential this source holds for <paramref name="registry"/>, or null when it has none.</summary>
    ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken ct);
}

/// <summary>
/// The one credential chain: ordered providers, the first that has the host wins, in the order docker, podman and
/// skopeo users expect — explicit ones (flags, build parameters: <see cref="ExplicitCredentials"/>), docker's
/// config.json (<see cref="DockerConfigCredentials"/>), the containers auth files (<see cref="ContainersAuthFiles"/>),
/// CI variables (<see cref="CiCredentials"/>). Every secret it hands out is registered for redaction.
/// </summary>
public sealed class Keychain(IReadOnlyList<ICredentialProvider> providers) : ICredentialProvider
{
    /// <summary>The files and CI variables of <paramref name="environment"/> (default: this process's).</summary>
    public static Keychain Default(CredentialEnvironment? environment = null) =>
        new([new DockerConfigCredentials(environment), new ContainersAuthFiles(environment), new CiCredentials(environment)]);

    /// <summary>No credentials anywhere (anonymous access only).</summary>
    public static Keychain Empty { get; } = new([]);

    public IReadOnlyList<ICredentialProvider> Providers => providers;

    /// <summary>This chain with <paramref name="first"/> asked before the rest (explicit credentials win over every file).</summary>
    public Keychain Prepend(ICredentialProvider first) => new([first, .. providers]);

    public async ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken ct)
    {
        foreach (var provider in providers)
        {
            if (await provider.FindAsync(registry, ct) is not { } found) continue;
            Secrets.Register(found.Password);
            Secrets.Register(found.IdentityToken);
            return found;
        }
        return null;
    }
}

/// <summary>
/// Credentials given explicitly (--creds, --registry-user/--registry-password, REGISTRY_USER/REGISTRY_PASSWORD):
/// for one host each, or for whichever registry the run talks to; a host's own credential wins over the any-host one.
/// </summary>
public sealed class ExplicitCredentials : ICredentialProvider
{
    private readonly Dictionary<string, RegistryCredential> _byHost = new(StringComparer.Ordinal);
    private RegistryCredential? _anyHost;

    /// <summary>One credential for every registry (a run that pushes to one registry, given one user and password).</summary>
    public static ExplicitCredentials ForAnyHost(RegistryCredential credential) => new ExplicitCredentials().AnyHost(credential);

    public static ExplicitCredentials ForHost(string registry, RegistryCredential credential) => new ExplicitCredentials().Host(registry, credential);

    public ExplicitCredentials Host(string registry, RegistryCredential credential) { _byHost[registry] = credential; return this; }
    public ExplicitCredentials AnyHost(RegistryCredential credential) { _anyHost = credential; return this; }

    public bool IsEmpty => _byHost.Count == 0 && _anyHost is null;

    public ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken ct) =>
        ValueTask.FromResult(_byHost.GetValueOrDefault(registry) ?? _anyHost);
}
