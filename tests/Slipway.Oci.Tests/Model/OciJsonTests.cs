using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Slipway.Oci.Model;

namespace Slipway.Oci.Tests.Model;

public class OciJsonTests
{
    // The same options with reflection metadata only: what OciJson produced before it had generated metadata.
    private static readonly JsonSerializerOptions ReflectionOnly = new(OciJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [Fact]
    public void Generated_metadata_writes_and_reads_the_same_bytes_as_reflection()
    {
        var layer = new Descriptor
        {
            MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256("x"u8), Size = 1,
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["b"] = "2", ["a"] = "<1+>" },
            Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8", OsFeatures = ["f"] },
        };
        var manifest = new ImageManifest { Config = layer with { MediaType = MediaTypes.OciConfig, Annotations = null, Platform = null }, Layers = [layer], Annotations = new Dictionary<string, string> { ["k"] = "v" } };
        var index = new ImageIndex { Manifests = [layer with { MediaType = MediaTypes.OciManifest }] };
        var config = OciJson.Deserialize<ImageConfig>("""{"architecture":"amd64","os":"linux","config":{"Env":["A=1"],"Cmd":["/x"],"ExposedPorts":{"80/tcp":{}},"Healthcheck":{"Test":["NONE"]}},"rootfs":{"type":"layers","diff_ids":["sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"]},"history":[{"created_by":"x"}],"unknown":{"kept":true}}"""u8, "config");

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(manifest, ReflectionOnly), OciJson.Serialize(manifest));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(index, ReflectionOnly), OciJson.Serialize(index));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(config, ReflectionOnly), OciJson.Serialize(config));
        Assert.Contains("\"digest\":\"sha256:", System.Text.Encoding.UTF8.GetString(OciJson.Serialize(manifest)));
        Assert.Contains("\"unknown\":{\"kept\":true}", System.Text.Encoding.UTF8.GetString(OciJson.Serialize(config)));
        var back = OciJson.Deserialize<ImageManifest>(OciJson.Serialize(manifest), "m").Layers[0];
        Assert.Equal((layer.Digest, "linux/arm64/v8", "<1+>"), (back.Digest, back.Platform!.ToString(), back.Annotations!["a"]));
        Assert.IsType<JsonTypeInfo<ImageManifest>>(OciJson.Options.GetTypeInfo(typeof(ImageManifest)), exactMatch: false);
    }
}
