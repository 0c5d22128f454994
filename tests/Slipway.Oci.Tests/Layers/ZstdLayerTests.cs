using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests.Layers;

public class ZstdLayerTests
{
    private static readonly LayerOptions Zstd = new() { Compression = LayerCompression.Zstd };

    private static async Task<(byte[] Bytes, LayerDigests Digests)> BuildAsync(string dir, LayerOptions options)
    {
        var ms = new MemoryStream();
        var d = await LayerWriter.WriteAsync(LayerWriter.EntriesFromDirectory(dir), ms, options, default);
        return (ms.ToArray(), d);
    }

    private static async Task<string> TreeAsync(TempDir t)
    {
        var big = new byte[6 << 20]; // several zstd jobs at level 3, so the workers really split the input
        new Random(11).NextBytes(big.AsSpan(0, big.Length / 3));
        t.Write("root/etc/motd", "zstd layer");
        Directory.CreateDirectory(t.Combine("root", "data"));
        await File.WriteAllBytesAsync(t.Combine("root", "data", "big.bin"), big);
        return t.Combine("root");
    }

    [Fact]
    public async Task Zstd_layer_is_deterministic_whatever_the_worker_count_and_holds_the_same_tar()
    {
        using var t = new TempDir();
        var root = await TreeAsync(t);
        var (one, d1) = await BuildAsync(root, Zstd with { Parallelism = 1 });
        var (again, _) = await BuildAsync(root, Zstd with { Parallelism = 1 });
        var (four, d4) = await BuildAsync(root, Zstd with { Parallelism = 4 });
        Assert.Equal(one, again);
        Assert.Equal(one, four);
        Assert.Equal(d1, d4);
        Assert.Equal(MediaTypes.OciLayerZstd, d1.MediaType);
        Assert.Equal(Digest.Sha256(one), d1.Digest);

        // Frame header: magic, then a descriptor with the checksum bit and no content size or dictionary.
        Assert.Equal(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }, one[..4]);
        var fhd = one[4];
        Assert.Equal(0, fhd >> 6);       // Frame_Content_Size_flag: none
        Assert.Equal(0, (fhd >> 5) & 1); // not single-segment (which would carry a size)
        Assert.Equal(1, (fhd >> 2) & 1); // content checksum
        Assert.Equal(0, fhd & 3);        // no dictionary id

        // The zstd tool is the judge: it checks the frame and its checksum, and the tar inside is the diffID's.
        var (tar, dt) = await BuildAsync(root, new LayerOptions { Compression = LayerCompression.None });
        Assert.Equal(dt.DiffId, d1.DiffId);
        var file = t.Combine("layer.tar.zst");
        await File.WriteAllBytesAsync(file, one);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("zstd", ["-q", "-t", file]));
        await ToolRunner.RunCheckedAsync(new ToolInvocation("zstd", ["-q", "-d", file, "-o", t.Combine("layer.tar")]));
        Assert.Equal(tar, await File.ReadAllBytesAsync(t.Combine("layer.tar")));
    }

    [Fact]
    public async Task Docker_archive_with_zstd_and_gzip_layers_is_read_with_their_own_digests()
    {
        using var t = new TempDir();
        var root = await TreeAsync(t);
        var zstdFile = t.Combine("z.tar.zst");
        var gzipFile = t.Combine("g.tar.gz");
        LayerDigests z, g;
        await using (var f = File.Create(zstdFile)) z = await LayerWriter.WriteAsync(LayerWriter.EntriesFromDirectory(root), f, Zstd, default);
        await using (var f = File.Create(gzipFile)) g = await LayerWriter.WriteAsync(LayerWriter.EntriesFromDirectory(root, "copy"), f, new LayerOptions(), default);
        var config = OciJson.Serialize(new ImageConfig { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [z.DiffId, g.DiffId] } });
        t.Write("archive/config.json", System.Text.Encoding.UTF8.GetString(config));
        Directory.CreateDirectory(t.Combine("archive", "blobs", "sha256"));
        File.Copy(zstdFile, t.Combine("archive", "blobs", "sha256", z.Digest.Hex)); // docker 25+'s OCI-shaped names
        File.Copy(gzipFile, t.Combine("archive", "layer.tar.gz"));                  // an arbitrary name: hashed
        t.Write("archive/manifest.json", $$"""[{"Config":"config.json","RepoTags":["x:1"],"Layers":["blobs/sha256/{{z.Digest.Hex}}","layer.tar.gz"]}]""");
        await ToolRunner.RunCheckedAsync(new ToolInvocation("tar", ["-C", t.Combine("archive"), "-cf", t.Combine("image.tar"), "."]));

        var image = DockerArchive.Open(t.Combine("image.tar")).ReadImage();
        Assert.Equal([MediaTypes.OciLayerZstd, MediaTypes.OciLayerGzip], image.Layers.Select(l => l.Descriptor.MediaType));
        Assert.Equal([z.Digest, g.Digest], image.Layers.Select(l => l.Descriptor.Digest));
        await new OciLayoutDestination(t.Combine("layout")).PublishAsync(image, ["x"], default); // reads and verifies every blob
        using var inspected = await Skopeo.InspectAsync($"oci:{t.Combine("layout")}:x");
        Assert.Equal(z.Digest.ToString(), inspected.RootElement.GetProperty("Layers")[0].GetString());
    }

    /// <summary>A busybox-static image whose only layer is <paramref name="options"/>-compressed.</summary>
    private static async Task<OciImage> BusyboxImageAsync(TempDir t, LayerOptions options)
    {
        var entries = new List<LayerEntry>
        {
            new("bin/busybox", LayerEntryKind.File) { SourcePath = "/bin/busybox", Mode = 0b111_101_101 },
            LayerEntry.Symlink("bin/sh", "busybox"),
            new("etc/greeting", LayerEntryKind.File) { SourcePath = t.Write("greeting", "hello from a zstd layer") },
        };
        var layer = await StreamedLayerBlob.CreateAsync(() => entries, options);
        var config = new ImageConfig
        {
            Architecture = "amd64", Os = "linux",
            Config = new ContainerConfig { Cmd = ["/bin/busybox", "cat", "/etc/greeting"] },
            RootFs = new RootFs { DiffIds = [layer.DiffId] },
        };
        return OciImage.Create(config, [layer]);
    }

    [Fact]
    public async Task Zstd_image_is_pulled_and_run_by_buildah_and_recompress_round_trip_keeps_the_diff_ids()
    {
        Assert.True(File.Exists("/bin/busybox"), "/bin/busybox is missing: Setup installs busybox-static (build/setup-packages.txt)");
        await using var registry = await RegistryServer.StartAsync();
        using var t = new TempDir();
        using var session = new RegistrySession(new RegistryClientOptions());
        var gzipImage = await BusyboxImageAsync(t, new LayerOptions());
        var gzipRef = ImageReference.Parse($"{registry.Host}/team/box");
        await new RegistryDestination(gzipRef, session).PublishAsync(gzipImage, ["gzip"], default);

        // gzip → zstd from the registry, as `slipway copy --recompress zstd` does.
        var pulled = await new RegistrySource(session).ReadImageAsync(gzipRef with { Tag = "gzip" }, null, default);
        var zstdImage = await Recompression.RecompressAsync(pulled, Zstd, null, default);
        Assert.NotEqual(gzipImage.Digest, zstdImage.Digest);
        Assert.Equal(gzipImage.Config.Descriptor.Digest, zstdImage.Config.Descriptor.Digest); // config, diffIDs and all
        Assert.Equal(MediaTypes.OciLayerZstd, zstdImage.Layers[0].Descriptor.MediaType);
        await new RegistryDestination(gzipRef, session).PublishAsync(zstdImage, ["zstd"], default);

        // skopeo reads it as zstd; buildah pulls it, unpacks the zstd layer and runs busybox from it.
        using (var raw = await Skopeo.InspectAsync($"docker://{registry.Host}/team/box:zstd", raw: true))
            Assert.Equal(MediaTypes.OciLayerZstd, raw.RootElement.GetProperty("layers")[0].GetProperty("mediaType").GetString());
        await Skopeo.CopyAsync($"docker://{registry.Host}/team/box:zstd", $"oci:{t.Combine("skopeo")}:x");
        using (var buildah = new Buildah())
            Assert.Equal("hello from a zstd layer", (await buildah.RunAsync($"{registry.Host}/team/box:zstd", ["/bin/busybox", "cat", "/etc/greeting"])).Trim());

        // zstd → gzip: the same tar compressed by the same deterministic gzip, so the original image comes back.
        var zstdPulled = await new RegistrySource(session).ReadImageAsync(gzipRef with { Tag = "zstd" }, null, default);
        var back = await Recompression.RecompressAsync(zstdPulled, new LayerOptions(), null, default);
        Assert.Equal(gzipImage.Digest, back.Digest);
        using var skopeoConfig = await Skopeo.InspectAsync($"docker://{registry.Host}/team/box:zstd", config: true);
        Assert.Equal(gzipImage.Layers.Count, skopeoConfig.RootElement.GetProperty("rootfs").GetProperty("diff_ids").GetArrayLength());
        Assert.Equal(((StreamedLayerBlob)gzipImage.Layers[0]).DiffId.ToString(),
            skopeoConfig.RootElement.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString());
    }
}
