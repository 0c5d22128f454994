using System.Net;
using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Oci.Tests.Layout;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests.Registry;

public class RegistryPushTests
{
    private static (RegistrySession Session, RecordingTransport Transport) NewSession(RegistryClientOptions? options = null)
    {
        var transport = new RecordingTransport();
        var o = (options ?? new RegistryClientOptions()) with { TransportFactory = () => transport, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        return (new RegistrySession(o), transport);
    }

    [Fact]
    public async Task Round_trip_layout_to_registry_to_layout_keeps_digests_and_tags_follow_the_digest()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var image = await OciLayoutTests.SampleImageAsync(t);
        var (session, transport) = NewSession();
        using var _ = session;
        var dest = new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/app"), session);
        var result = await dest.PublishAsync(image, ["latest", "v1.2.3-abcdef0"], default);
        Assert.Equal(2, result.BlobsUploaded);

        // skopeo is the judge: both tags name our digest.
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/app:latest"));
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/app:v1.2.3-abcdef0"));

        // The manifest went in by digest before any tag.
        var puts = transport.Requests.Where(r => r.StartsWith("PUT ") && r.Contains("/manifests/")).ToList();
        Assert.Equal(3, puts.Count);
        Assert.Contains("/manifests/sha256:", puts[0]);

        // Pull back into a layout with our own client, and with skopeo: same digest everywhere.
        var pulled = await new RegistrySource(session).ReadImageAsync(ImageReference.Parse($"{registry.Host}/team/app:latest"), null, default);
        await new OciLayoutDestination(t.Combine("back")).PublishAsync(pulled, ["latest"], default);
        Assert.Equal(image.Digest, OciLayout.Open(t.Combine("back")).ReadImage("latest").Digest);
        await Skopeo.CopyAsync($"docker://{registry.Host}/team/app:latest", $"oci:{t.Combine("skopeo")}:x");
        Assert.Equal(image.Digest, OciLayout.Open(t.Combine("skopeo")).ReadImage("x").Digest);
    }

    [Fact]
    public async Task Second_push_skips_by_HEAD_and_a_new_repository_mounts_instead_of_uploading()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var image = await OciLayoutTests.SampleImageAsync(t);
        {
            var (s1, _) = NewSession();
            using var __ = s1;
            await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/a"), s1).PublishAsync(image, ["latest"], default);
        }
        // A fresh run (no memory of the first): the manifest HEAD finds everything, nothing is uploaded.
        var (session, transport) = NewSession();
        using var _ = session;
        var again = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/a"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(0, again.BlobsUploaded);
        Assert.Equal(0, transport.Count("POST", "/blobs/uploads/"));
        Assert.Equal(0, transport.Count("PUT", "/blobs/uploads/"));

        // Same blobs into another repository of the same registry: mounted, never uploaded.
        var pulled = await new RegistrySource(session).ReadImageAsync(ImageReference.Parse($"{registry.Host}/team/a:latest"), null, default);
        var copy = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/b"), session).PublishAsync(pulled, ["latest"], default);
        Assert.Equal(2, copy.BlobsMounted);
        Assert.Equal(0, copy.BlobsUploaded);
        Assert.Equal(2, transport.Count("POST", "mount="));
        Assert.Equal(0, transport.Count("PUT", "/blobs/uploads/"));
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/b:latest"));
    }

    [Fact]
    public async Task Two_images_sharing_a_layer_upload_it_once_in_one_run()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var a = await OciLayoutTests.SampleImageAsync(t, "same");
        var layer = a.Layers[0];
        var config2 = new ImageConfig { Architecture = "amd64", Os = "linux", Config = new ContainerConfig { Cmd = ["/other"] }, RootFs = new RootFs { DiffIds = [((Slipway.Oci.Layers.StreamedLayerBlob)layer).DiffId] } };
        var b = OciImage.Create(config2, [layer]);
        var (session, transport) = NewSession();
        using var _ = session;
        var dest = new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/shared"), session);
        await Task.WhenAll(dest.PublishAsync(a, ["a"], default), dest.PublishAsync(b, ["b"], default));
        Assert.Equal(1, transport.Count("PUT", $"digest={Uri.EscapeDataString(layer.Descriptor.Digest.ToString())}"));
    }

    [Fact]
    public async Task Transient_5xx_and_429_are_retried_with_a_new_upload_session()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var image = await OciLayoutTests.SampleImageAsync(t);
        var (session, transport) = NewSession();
        using var _ = session;
        transport.FailWhen = r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.Contains("/blobs/uploads/");
        transport.FailuresLeft = 2;
        var result = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/retry"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(2, transport.Injected);
        Assert.Equal(2, result.BlobsUploaded);
        Assert.True(transport.Count("POST", "/blobs/uploads/") >= 4, "each failed upload restarts its session");

        transport.FailWhen = r => r.Method == HttpMethod.Head;
        transport.FailWith = HttpStatusCode.TooManyRequests;
        transport.FailuresLeft = 1;
        transport.Injected = 0;
        Assert.NotNull(await session.Client(registry.Host).HeadManifestAsync("team/retry", "latest", default));
        Assert.Equal(1, transport.Injected);
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/retry:latest"));
    }

    [Fact]
    public async Task A_blob_whose_bytes_do_not_match_its_digest_is_refused_and_no_tag_moves()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var good = await OciLayoutTests.SampleImageAsync(t);
        var liar = new BytesBlob(good.Layers[0].Descriptor, new byte[good.Layers[0].Descriptor.Size]);
        var bad = new OciImage(good.ManifestBytes, good.ManifestMediaType, good.Config, [liar]);
        var (session, _) = NewSession();
        using var __ = session;
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/bad"), session).PublishAsync(bad, ["latest"], default));
        Assert.Contains(good.Layers[0].Descriptor.Digest.ToString(), e.Message);
        var list = await ToolRunner.RunAsync(new ToolInvocation("skopeo", ["list-tags", "--tls-verify=false", $"docker://{registry.Host}/team/bad"]) { CaptureStandardOutput = true });
        Assert.DoesNotContain("latest", list.StandardOutput);
    }

    [Fact]
    public async Task A_corrupted_blob_in_the_registry_is_refused_on_pull()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var image = await OciLayoutTests.SampleImageAsync(t);
        var (session, _) = NewSession();
        using var __ = session;
        await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/c"), session).PublishAsync(image, ["latest"], default);
        var layerDigest = image.Layers[0].Descriptor.Digest;
        var data = Path.Combine(registry.StorageDirectory, "docker", "registry", "v2", "blobs", "sha256", layerDigest.Hex[..2], layerDigest.Hex, "data");
        var bytes = await File.ReadAllBytesAsync(data);
        bytes[^5] ^= 0xFF;
        await File.WriteAllBytesAsync(data, bytes);
        var pulled = await new RegistrySource(session).ReadImageAsync(ImageReference.Parse($"{registry.Host}/team/c:latest"), null, default);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => new OciLayoutDestination(t.Combine("out")).PublishAsync(pulled, ["x"], default));
        Assert.Contains("does not match its digest", e.Message);
        Assert.Empty(OciLayout.Open(t.Combine("out")).ListRefs());
    }

    [Fact]
    public async Task Htpasswd_basic_auth_uses_explicit_credentials_and_says_what_to_do_without_them()
    {
        var htpasswd = (await ToolRunner.RunCheckedAsync(new ToolInvocation("htpasswd", ["-Bbn", "alice", "s3cret-pass"]) { CaptureStandardOutput = true })).StandardOutput.Trim();
        using var t = new TempDir();
        var file = t.Write("htpasswd", htpasswd + "\n");
        await using var secured = await RegistryServer.StartAsync($"auth:\n  htpasswd:\n    realm: slipway-test\n    path: {file}");
        var image = await OciLayoutTests.SampleImageAsync(t);

        var (anon, _) = NewSession(new RegistryClientOptions { Keychain = Keychain.Default(new CredentialEnvironment(new Dictionary<string, string?>(), t.Combine("home"))) });
        using (anon)
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => new RegistryDestination(ImageReference.Parse($"{secured.Host}/team/auth"), anon).PublishAsync(image, ["latest"], default));
            Assert.Contains("--creds", e.Message);
        }
        var creds = Keychain.Default().Prepend(ExplicitCredentials.ForHost(secured.Host, RegistryCredential.Parse("alice:s3cret-pass")));
        var (session, _) = NewSession(new RegistryClientOptions { Keychain = creds });
        using (session)
        {
            var result = await new RegistryDestination(ImageReference.Parse($"{secured.Host}/team/auth"), session).PublishAsync(image, ["latest"], default);
            Assert.Equal(2, result.BlobsUploaded);
        }
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", ["inspect", "--tls-verify=false", "--creds", "alice:s3cret-pass", $"docker://{secured.Host}/team/auth:latest"]) { CaptureStandardOutput = true });
        Assert.Contains(image.Digest.ToString(), r.StandardOutput);
        Assert.Equal("x [REDACTED] y", Secrets.Redact("x s3cret-pass y"));
    }
}
