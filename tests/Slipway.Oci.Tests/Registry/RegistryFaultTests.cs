using System.Security.Cryptography;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Tests.Layout;
using Slipway.Testing;
using static Slipway.Oci.Tests.Registry.FaultProxy;

namespace Slipway.Oci.Tests.Registry;

/// <summary>Faults injected by a loopback proxy in front of the real registry (statuses and TCP resets on the wire).</summary>
public class RegistryFaultTests
{
    private static RegistrySession Session(int jobs = 4, int chunkSize = 16 << 20) =>
        new(new RegistryClientOptions { Jobs = jobs, RetryBaseDelay = TimeSpan.FromMilliseconds(10), ChunkSize = chunkSize });

    private static Task<OciImage> BiggerImageAsync(TempDir t) =>
        // ~400 KB of base64 text from random bytes: a layer of ~300 KB that spans several small chunks.
        OciLayoutTests.SampleImageAsync(t, Convert.ToBase64String(RandomNumberGenerator.GetBytes(300_000)));

    [Fact]
    public async Task Resets_503_500_and_429_are_retried_and_a_reset_upload_starts_a_new_session()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var proxy = new FaultProxy(registry.Port);
        using var t = new TempDir();
        var image = await BiggerImageAsync(t);
        var layer = image.Layers[0].Descriptor.Digest.ToString();

        // The layer's upload is reset mid-body, then answered 503; a POST gets a 500; the first HEAD a 429.
        var reset = proxy.Inject((m, p, _) => m == "PUT" && p.Contains("/blobs/uploads/") && p.Contains(Uri.EscapeDataString(layer)), new Fault(Reset: true), 1);
        var unavailable = proxy.Inject((m, p, _) => m == "PUT" && p.Contains("/blobs/uploads/") && p.Contains(Uri.EscapeDataString(layer)), new Fault(503), 1);
        var serverError = proxy.Inject("POST", "/blobs/uploads/", new Fault(500), 1);
        var tooMany = proxy.Inject("HEAD", "/manifests/", new Fault(429, RetryAfter: "0"), 1);

        using var session = Session();
        var result = await new RegistryDestination(ImageReference.Parse($"{proxy.Host}/team/faults"), session).PublishAsync(image, ["latest"], default);

        Assert.Equal((1, 1, 1, 1), (reset(), unavailable(), serverError(), tooMany()));
        Assert.Equal(2, result.BlobsUploaded);
        // Each failed layer PUT abandoned its session (DELETE) and opened a new one (POST).
        Assert.Equal(2, proxy.Count("DELETE", "/blobs/uploads/"));
        Assert.Equal(3, proxy.Count("PUT", Uri.EscapeDataString(layer)));
        // The judge reads the registry directly, not through the proxy.
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/faults:latest"));
    }

    [Fact]
    public async Task Persistent_5xx_fails_with_one_line_after_the_configured_attempts_and_no_tag_moves()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var proxy = new FaultProxy(registry.Port);
        using var t = new TempDir();
        var image = await OciLayoutTests.SampleImageAsync(t);
        var failures = proxy.Inject((m, p, _) => m == "PUT" && p.Contains("/blobs/uploads/"), new Fault(502), 1000);
        using var session = Session();
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new RegistryDestination(ImageReference.Parse($"{proxy.Host}/team/down"), session).PublishAsync(image, ["latest"], default));
        Assert.StartsWith($"502 Injected from {proxy.Host} to upload blob sha256:", e.Message);
        Assert.Contains("INJECTED: fault injected by the test proxy", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(failures() >= session.Options.MaxAttempts, $"{failures()} attempts");
        Assert.Equal(0, proxy.Count("PUT", "/manifests/"));
    }

    [Fact]
    public async Task A_registry_that_refuses_monolithic_uploads_gets_PATCH_chunks_of_at_least_its_minimum()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var proxy = new FaultProxy(registry.Port);
        using var t = new TempDir();
        var image = await BiggerImageAsync(t);
        var layer = image.Layers[0].Descriptor;
        // Monolithic PUTs (a body) are refused with 413; the registry asks for chunks of at least 100000 bytes.
        proxy.Inject((m, p, length) => m == "PUT" && p.Contains("/blobs/uploads/") && length > 0, new Fault(413), 1000);
        proxy.ExtraResponseHeaders = (m, p) => m == "POST" && p.Contains("/blobs/uploads/") ? "OCI-Chunk-Min-Length: 100000" : null;

        using var session = Session(chunkSize: 64 * 1024);
        var result = await new RegistryDestination(ImageReference.Parse($"{proxy.Host}/team/chunks"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(2, result.BlobsUploaded);
        var expectedLayerChunks = (int)((layer.Size + 99_999) / 100_000);
        Assert.True(layer.Size > 200_000, $"layer is {layer.Size} bytes");
        Assert.Equal(expectedLayerChunks + 1, proxy.Count("PATCH", "/blobs/uploads/")); // + the config's one chunk
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/chunks:latest"));

        // And it reads back byte for byte (the pull verifies the digest as it streams).
        var pulled = await new RegistrySource(session).ReadImageAsync(ImageReference.Parse($"{registry.Host}/team/chunks:latest"), null, default);
        await using var s = await pulled.Layers[0].OpenReadAsync(default);
        await s.CopyToAsync(Stream.Null);
    }

    [Fact]
    public async Task A_blob_shorter_than_its_descriptor_is_refused_naming_its_digest_without_retrying()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var proxy = new FaultProxy(registry.Port);
        using var t = new TempDir();
        var good = await OciLayoutTests.SampleImageAsync(t);
        var d = good.Layers[0].Descriptor;
        var shortBlob = new BytesBlob(d, new byte[d.Size - 10]);
        var bad = new OciImage(good.ManifestBytes, good.ManifestMediaType, good.Config, [shortBlob]);
        using var session = Session();
        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new RegistryDestination(ImageReference.Parse($"{proxy.Host}/team/short"), session).PublishAsync(bad, ["latest"], default));
        Assert.Contains(d.Digest.ToString(), e.Message);
        Assert.Contains($"ended after {d.Size - 10} of {d.Size} bytes", e.Message);
        // One upload session per blob: the short one was not retried (its PUT may not even reach the wire).
        Assert.Equal(2, proxy.Count("POST", "/blobs/uploads/"));
        Assert.True(proxy.Count("PUT", Uri.EscapeDataString(d.Digest.ToString())) <= 1);
        Assert.Equal(0, proxy.Count("PUT", "/manifests/"));
    }
}
