using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Oci.Tests.Layout;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests.Registry;

public class TokenAuthTests
{
    [Fact]
    public async Task Bearer_token_flow_gets_push_and_mount_scopes_and_caches_tokens_per_scope()
    {
        using var t = new TempDir();
        using var tokens = new TokenServer(t, "bob", "b0b-token-pass");
        await using var registry = await RegistryServer.StartAsync(tokens.RegistryConfig);
        var image = await OciLayoutTests.SampleImageAsync(t);
        var creds = new Dictionary<string, RegistryCredential> { [registry.Host] = RegistryCredential.Parse("bob:b0b-token-pass") };
        using var session = new RegistrySession(new RegistryClientOptions { ExplicitCredentials = creds });

        var first = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/one"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(2, first.BlobsUploaded);
        var afterFirst = session.Client(registry.Host).TokenRequests;

        // The same scope again: no new token.
        await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/one"), session).PublishAsync(image, ["v1"], default);
        Assert.Equal(afterFirst, session.Client(registry.Host).TokenRequests);

        // Another repository: a mount needs push on it and pull on the source, in one token.
        var second = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/two"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(2, second.BlobsMounted);
        Assert.Contains(tokens.ScopeRequests, s => s.Contains("repository:team/two:pull,push") && s.Contains("repository:team/one:pull"));

        // skopeo with the same credentials sees both.
        foreach (var repo in new[] { "team/one", "team/two" })
        {
            var r = await ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", ["inspect", "--tls-verify=false", "--creds", "bob:b0b-token-pass", $"docker://{registry.Host}/{repo}:latest"]) { CaptureStandardOutput = true });
            Assert.Contains(image.Digest.ToString(), r.StandardOutput);
        }
    }

    [Fact]
    public async Task Wrong_credentials_fail_with_one_line_that_never_shows_the_password()
    {
        using var t = new TempDir();
        using var tokens = new TokenServer(t, "bob", "right-pass");
        await using var registry = await RegistryServer.StartAsync(tokens.RegistryConfig);
        var image = await OciLayoutTests.SampleImageAsync(t);
        var creds = new Dictionary<string, RegistryCredential> { [registry.Host] = RegistryCredential.Parse("bob:wrong-pass-xyz") };
        using var session = new RegistrySession(new RegistryClientOptions { ExplicitCredentials = creds });
        var e = await Assert.ThrowsAsync<RegistryException>(() => new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/x"), session).PublishAsync(image, ["latest"], default));
        Assert.Contains("refused", e.Message);
        Assert.DoesNotContain("wrong-pass-xyz", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
