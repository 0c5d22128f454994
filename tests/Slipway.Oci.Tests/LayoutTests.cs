using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Oci.Tests;

public class LayoutTests
{
    internal static async Task<OciImage> SmallImageAsync(TempDir t, string marker = "one")
    {
        var src = Directory.CreateDirectory(t.Combine("rootfs-" + marker)).FullName;
        File.WriteAllText(Path.Combine(src, "hello.txt"), "hello " + marker);
        Directory.CreateDirectory(Path.Combine(src, "bin"));
        File.WriteAllBytes(Path.Combine(src, "bin", "data"), new byte[3 << 20]);
        var options = new LayerOptions { Timestamp = DateTimeOffset.UnixEpoch };
        var layer = await StreamedLayerBlob.CreateAsync(() => LayerWriter.EntriesFromDirectory(src), options, null, null, default);
        var layer2 = await StreamedLayerBlob.CreateAsync(() => [LayerEntry.FromBytes("etc/motd", "hi\n"u8.ToArray())], options, null, null, default);
        var config = new ImageConfig
        {
            Architecture = "amd64",
            Os = "linux",
            Created = "1970-01-01T00:00:00Z",
            Config = new ContainerConfig { Cmd = ["/bin/sh"], Labels = new Dictionary<string, string> { ["marker"] = marker } },
            RootFs = new RootFs { DiffIds = [layer.DiffId, layer2.DiffId] },
        };
        return OciImage.Create(config, [layer, layer2]);
    }

    [Fact]
    public async Task Layout_written_by_us_is_read_by_skopeo_and_round_trips_with_the_same_digest()
    {
        using var t = new TempDir("layout");
        var image = await SmallImageAsync(t);
        var dir = t.Combine("layout");
        var dest = new OciLayoutDestination(dir);
        var result = await dest.PublishAsync(image, ["v1", "latest"], default);
        Assert.Equal(3, result.BlobsUploaded);
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"oci:{dir}:v1"));
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"oci:{dir}:latest"));

        // Re-publishing skips every blob; a tag moved to another image leaves the other tag alone.
        Assert.Equal(3, (await dest.PublishAsync(image, ["v1"], default)).BlobsSkipped);
        var other = await SmallImageAsync(t, "two");
        await dest.PublishAsync(other, ["latest"], default);
        Assert.Equal(other.Digest.ToString(), await Skopeo.DigestAsync($"oci:{dir}:latest"));
        Assert.Equal(image.Digest, (await dest.ResolveTagAsync("v1", default))!.Digest);
        Assert.Equal(2, OciLayout.Open(dir).ReadIndex().Manifests.Count);

        // skopeo copies it to another layout; we read that back to the same digest and content.
        var copy = t.Combine("copy");
        await Skopeo.CopyAsync($"oci:{dir}:v1", $"oci:{copy}:x");
        var back = await OciLayout.Open(copy).ReadImageAsync("x", null, default);
        Assert.Equal(image.Digest, back.Digest);
        Assert.All(back.Layers, l => Assert.IsType<FileBlob>(l));
    }

    [Fact]
    public async Task Missing_ref_and_missing_layout_name_the_choices()
    {
        using var t = new TempDir("layout");
        var dir = t.Combine("layout");
        var e = Assert.Throws<OciLayoutException>(() => OciLayout.Open(dir));
        Assert.Contains("does not exist", e.Message);
        await new OciLayoutDestination(dir).PublishAsync(await SmallImageAsync(t), ["v1"], default);
        var e2 = await Assert.ThrowsAsync<OciLayoutException>(() => OciLayout.Open(dir).ReadImageAsync("nope", null, default));
        Assert.Contains("Available refs are: v1", e2.Message);
    }

    [Fact]
    public async Task Corrupt_blob_is_refused_when_writing()
    {
        using var t = new TempDir("layout");
        var bad = new BytesBlob(Descriptor.Of(MediaTypes.OciLayer, [1, 2, 3]), new byte[] { 1, 2, 4 });
        var layout = OciLayout.OpenOrCreate(t.Combine("l"));
        var e = await Assert.ThrowsAsync<OciLayoutException>(() => layout.WriteBlobAsync(bad, default));
        Assert.Contains("refusing to store", e.Message);
        Assert.Empty(Directory.GetFiles(t.Combine("l", "blobs", "sha256")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Docker_archive_made_by_skopeo_reads_into_an_image_with_the_same_config_and_diff_ids(bool gzipArchive)
    {
        using var t = new TempDir("archive");
        var image = await SmallImageAsync(t);
        var dir = t.Combine("layout");
        await new OciLayoutDestination(dir).PublishAsync(image, ["v1"], default);
        var archive = t.Combine("image.tar");
        await Skopeo.CopyAsync($"oci:{dir}:v1", $"docker-archive:{archive}:example.com/team/app:v1");
        if (gzipArchive)
        {
            await ToolRunner.RunCheckedAsync(new ToolInvocation("gzip", ["-1", archive]));
            archive += ".gz";
        }
        var read = await DockerArchive.ReadAsync(archive, null, new LayerOptions(), t.Combine("cache"), default);
        Assert.Equal(["example.com/team/app:v1"], read.RepoTags);
        var config = OciJson.Deserialize<ImageConfig>(await ReadAll(read.Image.Config), "config");
        Assert.Equal(image.Manifest.Layers.Count, read.Image.Layers.Count);
        Assert.Equal([((StreamedLayerBlob)image.Layers[0]).DiffId, ((StreamedLayerBlob)image.Layers[1]).DiffId], config.RootFs.DiffIds);
        // Our compression of the same tar gives the same compressed digests as our original layers.
        Assert.Equal(image.Manifest.Layers.Select(l => l.Digest), read.Image.Manifest.Layers.Select(l => l.Digest));

        var out2 = t.Combine("from-archive");
        await new OciLayoutDestination(out2).PublishAsync(read.Image, ["a"], default);
        Assert.Equal(read.Image.Digest.ToString(), await Skopeo.DigestAsync($"oci:{out2}:a"));
        var copy = t.Combine("copy");
        await Skopeo.CopyAsync($"oci:{out2}:a", $"oci:{copy}:a"); // skopeo verifies every blob's digest
    }

    private static async Task<byte[]> ReadAll(IBlob blob)
    {
        await using var s = await blob.OpenReadAsync(default);
        var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        return ms.ToArray();
    }
}
