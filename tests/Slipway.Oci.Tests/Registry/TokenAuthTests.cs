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
        var creds = Keychain.Default().Prepend(ExplicitCredentials.ForHost(registry.Host, RegistryCredential.Parse("bob:b0b-token-pass")));
        using var session = new RegistrySession(new RegistryClientOptions { Keychain = creds });

        var first = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/one"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(2, first.BlobsUploaded);
        var afterFirst = session.Client(registry.Host).TokenRequests;
        // A push asks for pull,push from its first request: one token serves every HEAD, upload and PUT.
        Assert.Equal(1, afterFirst);
        Assert.Equal(["repository:team/one:pull,push"], tokens.ScopeRequests);

        // The same scope again: no new token.
        await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/one"), session).PublishAsync(image, ["v1"], default);
        Assert.Equal(afterFirst, session.Client(registry.Host).TokenRequests);

        // Another repository: a mount needs push on it and pull on the source, in one token.
        var second = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/two"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(2, second.BlobsMounted);
        Assert.Contains(tokens.ScopeRequests, s => s.Contains("repository:team/two:pull,push") && s.Contains("repository:team/one:pull"));
        // team/two's own scope, and the mount's pair: two more tokens, each fetched once for both blobs.
        Assert.Equal(afterFirst + 2, session.Client(registry.Host).TokenRequests);

        // Pulling from team/one is another scope set: a new, pull-only token; asked again, it comes from the cache.
        var pulled = await new RegistrySource(session).ReadImageAsync(ImageReference.Parse($"{registry.Host}/team/one:latest"), null, default);
        await new RegistrySource(session).ReadImageAsync(ImageReference.Parse($"{registry.Host}/team/one:v1"), null, default);
        Assert.Equal(image.Digest, pulled.Digest);
        Assert.Equal(afterFirst + 3, session.Client(registry.Host).TokenRequests);
        Assert.Equal("repository:team/one:pull", tokens.ScopeRequests[^1]);

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
        var creds = Keychain.Default().Prepend(ExplicitCredentials.ForHost(registry.Host, RegistryCredential.Parse("bob:wrong-pass-xyz")));
        using var session = new RegistrySession(new RegistryClientOptions { Keychain = creds });
        var e = await Assert.ThrowsAsync<RegistryException>(() => new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/x"), session).PublishAsync(image, ["latest"], default));
        Assert.Equal($"401 Unauthorized from token service http://127.0.0.1:{tokens.Port}/token for push to team/x on {registry.Host}: " +
                     $"the credential for 'bob' from --creds was refused; pass --creds USER:PASS or run `docker login {registry.Host}`", e.Message);
        Assert.DoesNotContain("wrong-pass-xyz", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task An_identity_token_is_exchanged_by_OAuth2_POST_and_falls_back_to_GET_where_there_is_no_such_endpoint()
    {
        foreach (var oauth in new[] { true, false })
        {
            using var t = new TempDir();
            using var tokens = new TokenServer(t, "bob", "unused-pass") { RefreshToken = "refresh-token-xyz", OAuthEndpoint = oauth };
            await using var registry = await RegistryServer.StartAsync(tokens.RegistryConfig);
            var image = await OciLayoutTests.SampleImageAsync(t);
            // As `docker login` leaves it for an OAuth registry: an identity token, no password.
            t.Write("home/.docker/config.json", $$"""{ "auths": { "{{registry.Host}}": { "auth": "{{Convert.ToBase64String("<token>:"u8)}}", "identitytoken": "refresh-token-xyz" } } }""");
            using var session = new RegistrySession(new RegistryClientOptions { Keychain = Keychain.Default(new CredentialEnvironment(new Dictionary<string, string?>(), t.Combine("home"))) });
            var result = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/oauth"), session).PublishAsync(image, ["latest"], default);
            Assert.Equal(2, result.BlobsUploaded);
            Assert.Equal([(oauth ? "POST" : "GET") + " repository:team/oauth:pull,push"], tokens.Issued);
            Assert.Equal("x [REDACTED]", Secrets.Redact("x refresh-token-xyz"));
        }
    }

    [Fact]
    public async Task Expired_tokens_are_fetched_again()
    {
        using var t = new TempDir();
        using var tokens = new TokenServer(t, "bob", "b0b-pass") { ExpiresIn = 1 };
        await using var registry = await RegistryServer.StartAsync(tokens.RegistryConfig);
        var image = await OciLayoutTests.SampleImageAsync(t);
        var creds = Keychain.Default().Prepend(ExplicitCredentials.ForHost(registry.Host, RegistryCredential.Parse("bob:b0b-pass")));
        using var session = new RegistrySession(new RegistryClientOptions { Keychain = creds });
        var dest = new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/short"), session);
        await dest.PublishAsync(image, ["latest"], default);
        var before = session.Client(registry.Host).TokenRequests;
        await Task.Delay(1200);
        Assert.Equal(image.Digest, (await dest.ResolveTagAsync("latest", default))!.Digest);
        Assert.Equal(before + 1, session.Client(registry.Host).TokenRequests);
    }
}
