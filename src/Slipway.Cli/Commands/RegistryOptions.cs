using Slipway.Cli.Transports;
using Slipway.Oci.Model;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;

namespace Slipway.Cli.Commands;

internal static class RegistryOptions
{
    /// <summary>One session for the command: --jobs, --insecure-registry, and credentials per side.</summary>
    public static RegistrySession Session(CommandLine c, ImageLocation? source = null, ImageLocation? destination = null)
    {
        var creds = new ExplicitCredentials();
        void Add(string option, ImageLocation? location)
        {
            if (c.Get(option) is not { } v) return;
            var cred = RegistryCredential.Parse(v, "--" + option);
            if (location is RegistryLocation r) creds.Host(r.Reference.Registry, cred);
            else creds.AnyHost(cred);
        }
        Add("creds", null);
        Add("src-creds", source);
        Add("dest-creds", destination);
        var insecure = c.Get("insecure-registry") is { } h ? h.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        return new RegistrySession(new RegistryClientOptions { Jobs = c.GetInt("jobs", 4, 1, 64), InsecureRegistries = insecure, Keychain = Keychain.Default().Prepend(creds) });
    }

    public static Platform? PlatformOf(CommandLine c)
    {
        if (c.Get("platform") is not { } p) return null;
        try { return Platform.Parse(p); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }
}
