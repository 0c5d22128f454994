using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Registry;

/// <summary>Multi-platform images (OciImageIndex): each image by digest, then the index by digest, then the tags.</summary>
public class IndexPushTests
{
    private static async Task<OciImage> ImageAsync(TempDir t, string arch)
    {
        var root = t.Combine("rootfs-" + arch);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "arch"), arch);
        var layer = await StreamedLayerBlob.CreateAsync(() => LayerWriter.EntriesFromDirectory(root), new LayerOptions());
        return OciImage.Create(new ImageConfig
        {
            Architecture = arch, Os = "linux", Created = "1970-01-01T00:00:00Z",
            RootFs = new RootFs { DiffIds = [layer.DiffId] },
        }, [layer]);
    }

    private static async Task<OciImageIndex> IndexAsync(TempDir t) => OciImageIndex.Create(
    [
        (new Platform { Os = "linux", Architecture = "amd64" }, await ImageAsync(t, "amd64")),
        (new Platform { Os = "linux", Architecture = "arm64" }, await ImageAsync(t, "arm64")),
    ]);

    [Fact]
    public async Task An_index_lands_in_a_registry_with_the_tag_last_and_skopeo_picks_each_platform()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        var index = await IndexAsync(t);
        var transport = new RecordingTransport();
        using var session = new RegistrySession(new RegistryClientOptions { TransportFactory = () => transport });
        var result = await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/multi"), session).PublishIndexAsync(index, ["1"], default);
        Assert.Equal(index.Digest, result.Digest);

        // Both manifests, then the index, by digest; the tag is the last PUT.
        var puts = transport.Requests.Where(r => r.StartsWith("PUT ") && r.Contains("/manifests/")).ToList();
        Assert.Equal(4, puts.Count);
        Assert.All(puts[..3], p => Assert.Contains("/manifests/sha256:", p));
        Assert.Contains($"/manifests/{index.Digest}", puts[2]);
        Assert.EndsWith("/manifests/1", puts[3].Split(' ')[1]);

        using var raw = await Skopeo.InspectAsync($"docker://{registry.Host}/team/multi:1", raw: true);
        Assert.Equal(MediaTypes.OciIndex, raw.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(index.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/multi:1"));
        await Skopeo.CopyAsync($"docker://{registry.Host}/team/multi:1", $"oci:{t.Combine("arm")}:x", default, "--override-arch", "arm64");
        Assert.Equal(index.Images[1].Image.Digest, Slipway.Oci.Layout.OciLayout.Open(t.Combine("arm")).ReadImage("x").Digest);
    }

    [Fact]
    public async Task An_index_lands_in_a_layout_and_two_images_for_one_platform_are_refused()
    {
        using var t = new TempDir();
        var index = await IndexAsync(t);
        await new OciLayoutDestination(t.Combine("layout")).PublishIndexAsync(index, ["multi"], default);
        using var raw = await Skopeo.InspectAsync($"oci:{t.Combine("layout")}:multi", raw: true);
        Assert.Equal(2, raw.RootElement.GetProperty("manifests").GetArrayLength());

        var amd = new Platform { Os = "linux", Architecture = "amd64" };
        var e = Assert.Throws<ArgumentException>(() => OciImageIndex.Create([(amd, index.Images[0].Image), (amd, index.Images[1].Image)]));
        Assert.Contains("linux/amd64", e.Message);
    }
}
