using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Layout;

public class OciLayoutTests
{
    internal static async Task<OciImage> SampleImageAsync(TempDir t, string content = "hello from slipway")
    {
        var root = t.Combine("rootfs-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "motd"), content);
        var layer = await StreamedLayerBlob.CreateAsync(() => LayerWriter.EntriesFromDirectory(root), new LayerOptions());
        var config = new ImageConfig
        {
            Architecture = "amd64", Os = "linux", Created = "1970-01-01T00:00:00Z",
            Config = new ContainerConfig { Cmd = ["/bin/sh"] },
            RootFs = new RootFs { DiffIds = [layer.DiffId] },
        };
        return OciImage.Create(config, [layer]);
    }

    [Fact]
    public async Task Published_layout_is_read_by_skopeo_and_by_us_with_the_same_digest()
    {
        using var t = new TempDir();
        var image = await SampleImageAsync(t);
        var dest = new OciLayoutDestination(t.Combine("layout"));
        var result = await dest.PublishAsync(image, ["latest", "v1.0.0"], default);
        Assert.Equal(2, result.BlobsUploaded);

        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"oci:{t.Combine("layout")}:latest"));
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"oci:{t.Combine("layout")}:v1.0.0"));
        var back = OciLayout.Open(t.Combine("layout")).ReadImage("v1.0.0");
        Assert.Equal(image.Digest, back.Digest);

        // Re-publishing moves nothing and keeps one entry per ref name.
        var again = await dest.PublishAsync(image, ["latest"], default);
        Assert.Equal(0, again.BlobsUploaded);
        Assert.Equal(2, OciLayout.Open(t.Combine("layout")).ListRefs().Count);
    }

    [Fact]
    public async Task Skopeo_copy_of_our_layout_keeps_the_digest()
    {
        using var t = new TempDir();
        var image = await SampleImageAsync(t);
        await new OciLayoutDestination(t.Combine("a")).PublishAsync(image, ["x"], default);
        await Skopeo.CopyAsync($"oci:{t.Combine("a")}:x", $"oci:{t.Combine("b")}:y");
        Assert.Equal(image.Digest, OciLayout.Open(t.Combine("b")).ReadImage("y").Digest);
    }

    [Fact]
    public void Unknown_ref_lists_the_available_ones()
    {
        using var t = new TempDir();
        OciLayout.OpenOrCreate(t.Path);
        var e = Assert.Throws<KeyNotFoundException>(() => OciLayout.Open(t.Path).ReadImage("nope"));
        Assert.Contains("Available refs are", e.Message);
    }
}
