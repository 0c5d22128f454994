using Slipway.Images.Pipeline;
using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Images.Tests.Pipeline;

public class MetadataStamperTests
{
    /// <summary>A layer that must never be read: stamping rewrites only the config and the manifest.</summary>
    private sealed class UntouchableLayer(Descriptor descriptor) : IBlob
    {
        public Descriptor Descriptor { get; } = descriptor;
        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("a layer was read");
    }

    private static readonly ImageMetadata Metadata = new("https://git.example.com/acme/mono", new string('a', 40), "1.2.3", "2024-03-04T05:06:07Z",
        Digest.Sha256("inputs"u8));

    [Fact]
    public async Task Docker_schema2_image_becomes_oci_with_labels_annotations_and_commit_time_without_reading_layers()
    {
        var layer = new UntouchableLayer(new Descriptor { MediaType = MediaTypes.DockerLayerGzip, Digest = Digest.Sha256("layer"u8), Size = 1234 });
        var config = new ImageConfig
        {
            Created = "2099-01-01T00:00:00Z", // what an engine writes: "now"
            Architecture = "amd64", Os = "linux",
            Config = new ContainerConfig { Cmd = ["/app"], Labels = new Dictionary<string, string> { ["maintainer"] = "team" } },
            RootFs = new RootFs { DiffIds = [Digest.Sha256("tar"u8)] },
        };
        var configBlob = new BytesBlob(MediaTypes.DockerConfig, OciJson.Serialize(config));
        var manifest = new ImageManifest { MediaType = MediaTypes.DockerManifest, Config = configBlob.Descriptor, Layers = [layer.Descriptor] };
        var image = new OciImage(OciJson.Serialize(manifest), MediaTypes.DockerManifest, configBlob, [layer]);

        var stamped = await MetadataStamper.StampAsync(image, Metadata, default);

        Assert.Equal(MediaTypes.OciManifest, stamped.ManifestMediaType);
        Assert.Equal(MediaTypes.OciConfig, stamped.Manifest.Config.MediaType);
        var stampedLayer = Assert.Single(stamped.Manifest.Layers);
        Assert.Equal(layer.Descriptor.Digest, stampedLayer.Digest);
        Assert.Equal(MediaTypes.OciLayerGzip, stampedLayer.MediaType);
        Assert.Equal("2024-03-04T05:06:07Z", stamped.Manifest.Annotations![Annotations.Created]);
        Assert.Equal(Metadata.InputHash.ToString(), stamped.Manifest.Annotations[Annotations.InputHash]);
        Assert.Equal("https://git.example.com/acme/mono", stamped.Manifest.Annotations[Annotations.Source]);

        var newConfig = OciJson.Deserialize<ImageConfig>(((BytesBlob)stamped.Config).Content.Span, "config");
        Assert.Equal("2024-03-04T05:06:07Z", newConfig.Created);
        Assert.Equal("team", newConfig.Config!.Labels!["maintainer"]);
        Assert.Equal(new string('a', 40), newConfig.Config.Labels[Annotations.Revision]);
        Assert.Equal("1.2.3", newConfig.Config.Labels[Annotations.Version]);
        Assert.Equal(["/app"], newConfig.Config.Cmd);
        Assert.Equal(config.RootFs.DiffIds, newConfig.RootFs.DiffIds);

        // Stamping is a pure function of image and metadata: the same inputs give the same digest.
        Assert.Equal(stamped.Digest, (await MetadataStamper.StampAsync(image, Metadata, default)).Digest);
        Assert.Equal(stamped.Digest, (await MetadataStamper.StampAsync(stamped, Metadata, default)).Digest);
    }
}
