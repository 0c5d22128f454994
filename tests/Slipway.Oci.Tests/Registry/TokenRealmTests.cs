using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Oci.Tests.Layout;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Registry;

public class TokenRealmTests
{
    [Fact]
    public async Task A_plain_HTTP_realm_on_another_host_is_refused_with_one_line_and_no_credential_leaves()
    {
        using var t = new TempDir();
        // The real registry (loopback, plain HTTP is fine for it) names a realm on another host over plain HTTP.
        using var tokens = new TokenServer(t, "bob", "b0b-realm-pass") { RealmHost = "tokens.example.invalid" };
        await using var registry = await RegistryServer.StartAsync(tokens.RegistryConfig);
        var image = await OciLayoutTests.SampleImageAsync(t);
        var transport = new RecordingTransport();
        var creds = Keychain.Default().Prepend(ExplicitCredentials.ForHost(registry.Host, RegistryCredential.Parse("bob:b0b-realm-pass")));
        using var session = new RegistrySession(new RegistryClientOptions { Keychain = creds, TransportFactory = () => transport });

        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/app"), session).PublishAsync(image, ["latest"], default));
        Assert.Contains(tokens.Realm, e.Message);
        Assert.Contains("only over HTTPS", e.Message);
        Assert.Contains("--insecure-registry tokens.example.invalid:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("b0b-realm-pass", e.Message);
        Assert.DoesNotContain(transport.Requests, r => r.Contains("/token")); // nothing was sent to the realm
        Assert.Empty(tokens.Issued);
    }

    [Theory]
    [InlineData("https://auth.example.com/token", "registry.example.com", "")]           // HTTPS: anywhere
    [InlineData("http://127.0.0.1:5001/token", "registry.example.com", "")]              // a loopback realm
    [InlineData("http://localhost/token", "127.0.0.1:5000", "")]
    [InlineData("http://reg.lan:5001/token", "reg.lan:5000", "reg.lan:5000")]            // the insecure registry's own host
    [InlineData("http://auth.lan:8080/token", "registry.example.com", "auth.lan:8080")]  // the realm itself named insecure
    [InlineData("http://auth.lan/token", "registry.example.com", "auth.lan")]
    public void Realms_credentials_may_go_to(string realm, string registry, string insecure) =>
        Assert.Equal(new Uri(realm), TokenRealm.Validate(realm, registry, insecure.Split(',', StringSplitOptions.RemoveEmptyEntries)));

    [Theory]
    [InlineData("http://auth.example.com/token", "registry.example.com", "")]            // plain HTTP to a public host
    [InlineData("http://auth.lan:5001/token", "reg.lan:5000", "reg.lan:5000")]           // insecure registry, realm on another host
    [InlineData("http://evil.example/token", "127.0.0.1:5000", "")]                      // a loopback registry sending us away
    [InlineData("ftp://auth.example.com/token", "registry.example.com", "")]
    [InlineData("/token", "registry.example.com", "")]
    public void Realms_credentials_never_go_to(string realm, string registry, string insecure)
    {
        var e = Assert.Throws<RegistryException>(() => TokenRealm.Validate(realm, registry, insecure.Split(',', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains(realm, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
