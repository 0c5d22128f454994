using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Oci.Tests.Layout;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests.Registry;

/// <summary>What users read when something is missing or refused, and the smaller protocol rules (plain HTTP, tag pages).</summary>
public class RegistryErrorTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("ghcr.io", false)]
    [InlineData("registry.example:5000", false)]
    [InlineData("insecure.example:5000", true)]
    [InlineData("insecure-host.example", true)]
    public void Loopback_and_named_insecure_registries_use_plain_HTTP(string registry, bool plain) =>
        Assert.Equal(plain, RegistryClient.IsPlainHttp(registry, ["insecure.example:5000", "insecure-host.example"]));

    [Fact]
    public async Task Missing_manifests_blobs_and_repositories_are_named_in_one_line()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var image = await OciLayoutTests.SampleImageAsync(t);
        using var session = new RegistrySession(new RegistryClientOptions());
        await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/app"), session).PublishAsync(image, ["v0"], default);
        var source = new RegistrySource(session);

        var e = await Assert.ThrowsAsync<RegistryException>(() => source.ReadImageAsync(ImageReference.Parse($"{registry.Host}/team/app:v1"), null, default));
        Assert.Equal($"manifest unknown: {registry.Host}/team/app:v1 does not exist", e.Message);
        Assert.Equal("MANIFEST_UNKNOWN", e.Code);

        var missing = Digest.Sha256("nothing"u8);
        e = await Assert.ThrowsAsync<RegistryException>(() => session.Client(registry.Host).GetBlobAsync("team/app", new Descriptor { MediaType = "x", Digest = missing, Size = 1 }, default));
        Assert.Equal($"blob unknown: {registry.Host}/team/app@{missing} does not exist", e.Message);

        e = await Assert.ThrowsAsync<RegistryException>(() => session.Client(registry.Host).ListTagsAsync("team/nope", default));
        Assert.Equal($"repository unknown: {registry.Host}/team/nope does not exist", e.Message);
        Assert.Null(await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/app"), session).ResolveTagAsync("v1", default));
    }

    [Fact]
    public async Task An_unreachable_registry_is_one_line_naming_it()
    {
        var port = FreePort.Next();
        using var session = new RegistrySession(new RegistryClientOptions { MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(5) });
        var e = await Assert.ThrowsAsync<RegistryException>(() => session.Client($"127.0.0.1:{port}").HeadManifestAsync("team/app", "latest", default));
        Assert.StartsWith($"could not reach 127.0.0.1:{port} to check manifest 127.0.0.1:{port}/team/app:latest: Connection refused", e.Message);
        Assert.Contains("is the registry running", e.Message);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task Tags_from_the_real_registry_match_skopeo()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var image = await OciLayoutTests.SampleImageAsync(t);
        using var session = new RegistrySession(new RegistryClientOptions());
        string[] tags = ["a", "b", "c", "d", "e"];
        await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/tags"), session).PublishAsync(image, tags, default);
        Assert.Equal(tags, (await session.Client(registry.Host).ListTagsAsync("team/tags", default)).Order());
        Assert.Equal(tags, (await Skopeo.TagsAsync($"docker://{registry.Host}/team/tags")).Order());
    }

    /// <summary>docker-registry 2.8 ignores <c>n</c> on tag lists, so paging is served by a fake (the only one here).</summary>
    [Fact]
    public async Task Tags_are_listed_across_pages_by_following_the_Link_header_of_a_FAKE_paging_registry()
    {
        var all = Enumerable.Range(0, 7).Select(i => $"t{i}").ToArray();
        var pages = new List<string>();
        var fake = new FakeTagPages(all, 3, pages);
        using var session = new RegistrySession(new RegistryClientOptions { TagPageSize = 3, TransportFactory = () => fake });
        Assert.Equal(all, await session.Client("127.0.0.1:1").ListTagsAsync("team/paged", default));
        Assert.Equal(["/v2/team/paged/tags/list?n=3", "/v2/team/paged/tags/list?n=3&last=t2", "/v2/team/paged/tags/list?n=3&last=t5"], pages);
    }

    private sealed class FakeTagPages(string[] tags, int size, List<string> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.RequestUri!.PathAndQuery);
            var last = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query)["last"];
            var page = tags.SkipWhile(t => last is not null && string.CompareOrdinal(t, last) <= 0).Take(size).ToArray();
            var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { name = "team/paged", tags = page })),
            };
            if (page.Length == size && page[^1] != tags[^1])
                response.Headers.TryAddWithoutValidation("Link", $"</v2/team/paged/tags/list?n={size}&last={page[^1]}>; rel=\"next\"");
            return Task.FromResult(response);
        }
    }

    [Fact]
    public async Task Basic_auth_says_which_credential_was_refused_and_explicit_credentials_win_over_docker_config()
    {
        var htpasswd = (await ToolRunner.RunCheckedAsync(new ToolInvocation("htpasswd", ["-Bbn", "carol", "c0rrect-pass"]) { CaptureStandardOutput = true })).StandardOutput.Trim();
        using var t = new TempDir();
        var file = t.Write("htpasswd", htpasswd + "\n");
        await using var secured = await RegistryServer.StartAsync($"auth:\n  htpasswd:\n    realm: slipway-test\n    path: {file}");
        var image = await OciLayoutTests.SampleImageAsync(t);
        t.Write("home/.docker/config.json", $$"""{ "auths": { "{{secured.Host}}": { "auth": "{{Convert.ToBase64String("carol:c0rrect-pass"u8)}}" } } }""");
        var resolver = Keychain.Default(new CredentialEnvironment(new Dictionary<string, string?>(), t.Combine("home")));

        // docker config alone: works.
        using (var fromConfig = new RegistrySession(new RegistryClientOptions { Keychain = resolver }))
            Assert.Equal(2, (await new RegistryDestination(ImageReference.Parse($"{secured.Host}/team/basic"), fromConfig).PublishAsync(image, ["latest"], default)).BlobsUploaded);

        // Explicit credentials come first, even wrong ones: the error names them, never the password.
        var wrong = ExplicitCredentials.ForHost(secured.Host, RegistryCredential.Parse("carol:wr0ng-pass-9"));
        using var explicitFirst = new RegistrySession(new RegistryClientOptions { Keychain = resolver.Prepend(wrong) });
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new RegistryDestination(ImageReference.Parse($"{secured.Host}/team/basic"), explicitFirst).PublishAsync(image, ["v2"], default));
        Assert.Equal($"401 Unauthorized from {secured.Host} for push to team/basic: the credential for 'carol' from --creds was refused; " +
                     $"pass --creds USER:PASS or run `docker login {secured.Host}`", e.Message);

        // No credentials at all: says so.
        using var none = new RegistrySession(new RegistryClientOptions { Keychain = Keychain.Default(new CredentialEnvironment(new Dictionary<string, string?>(), t.Combine("nohome"))) });
        e = await Assert.ThrowsAsync<RegistryException>(() =>
            new RegistryDestination(ImageReference.Parse($"{secured.Host}/team/basic"), none).PublishAsync(image, ["v2"], default));
        Assert.Equal($"401 Unauthorized from {secured.Host} for push to team/basic: no credentials found; pass --creds USER:PASS or run `docker login {secured.Host}`", e.Message);
    }
}
