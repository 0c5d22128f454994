using Slipway.Images.Pipeline;
using Slipway.Images.Tests.Support;
using Slipway.Oci.Model;
using Slipway.Testing;

namespace Slipway.Images.Tests.Pipeline;

/// <summary>
/// <c>--compression</c> end to end: the pipeline publishes every layer in the chosen compression to a real
/// docker-registry; skopeo reads the media types, buildah pulls the image, unpacks its layers and runs busybox from it.
/// </summary>
public class CompressionTests
{
    private static void AddBusyboxImage(TestRepo repo)
    {
        repo.AddImage("box", "1.0.0");
        var busybox = Path.Combine(repo.Root, "containers/box/rootfs/bin/busybox");
        Directory.CreateDirectory(Path.GetDirectoryName(busybox)!);
        File.Copy(HostTools.Path("/bin/busybox"), busybox);
        File.SetUnixFileMode(busybox, (UnixFileMode)0b111_101_101);
    }

    [SkippableFact]
    public async Task Zstd_run_pushes_zstd_layers_that_skopeo_reads_and_buildah_pulls_and_runs_and_a_rerun_is_up_to_date()
    {
        using var repo = new TestRepo();
        AddBusyboxImage(repo);
        repo.Commit("init", DateTimeOffset.Parse("2024-03-04T05:06:07Z"));
        await using var registry = await RegistryServer.StartAsync();
        var reference = $"{registry.Host}/team/box:latest";

        await using (var pipeline = Pipelines.Create(repo, new DirectoryImageMethod(), registry: $"{registry.Host}/team", compression: ImageCompression.Zstd))
        {
            var result = (await pipeline.PushAsync()).Single();
            pipeline.ThrowIfFailed();
            Assert.Equal(ImageStatus.Pushed, result.Status);
            Assert.Equal(result.Digest.ToString(), await Skopeo.DigestAsync($"docker://{reference}"));
        }

        using (var raw = await Skopeo.InspectAsync($"docker://{reference}", raw: true))
        {
            Assert.Equal(MediaTypes.OciManifest, raw.RootElement.GetProperty("mediaType").GetString());
            Assert.All(raw.RootElement.GetProperty("layers").EnumerateArray(), l => Assert.Equal(MediaTypes.OciLayerZstd, l.GetProperty("mediaType").GetString()));
        }
        using var t = new TempDir("zstdpull");
        await Skopeo.CopyAsync($"docker://{reference}", $"oci:{t.Combine("skopeo")}:box");
        using (var buildah = new Buildah())
            Assert.Equal("hello from box", (await buildah.RunAsync(reference, ["/bin/busybox", "cat", "/usr/share/box/hello.txt"])).Trim());

        // Deterministic: the same inputs give the same zstd image, so a second run finds it and builds nothing.
        await using (var again = Pipelines.Create(repo, new DirectoryImageMethod(), registry: $"{registry.Host}/team", compression: ImageCompression.Zstd))
            Assert.Equal(ImageStatus.UpToDate, (await again.PushAsync()).Single().Status);
    }

    [Fact]
    public async Task Default_run_pushes_gzip_layers()
    {
        using var repo = new TestRepo();
        repo.AddImage("api", "1.0.0");
        repo.Commit("init", DateTimeOffset.Parse("2024-03-04T05:06:07Z"));
        await using var registry = await RegistryServer.StartAsync();
        await using (var pipeline = Pipelines.Create(repo, new DirectoryImageMethod(), registry: $"{registry.Host}/team"))
        {
            await pipeline.PushAsync();
            pipeline.ThrowIfFailed();
        }
        using var raw = await Skopeo.InspectAsync($"docker://{registry.Host}/team/api:latest", raw: true);
        Assert.All(raw.RootElement.GetProperty("layers").EnumerateArray(), l => Assert.Equal(MediaTypes.OciLayerGzip, l.GetProperty("mediaType").GetString()));
    }
}
