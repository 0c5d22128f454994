using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Tests.Layout;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Model;

/// <summary>The one parser of transport-qualified names and its colon rule, with skopeo as the judge of what the rule means.</summary>
public sealed class TransportReferenceTests
{
    [Theory]
    [InlineData("oci:dir", ImageTransport.Layout, "dir", null)]
    [InlineData("oci:dir:latest", ImageTransport.Layout, "dir", "latest")]
    [InlineData("oci:a:b:c", ImageTransport.Layout, "a", "b:c")]
    [InlineData("oci:/abs/path/x:v1.0.0", ImageTransport.Layout, "/abs/path/x", "v1.0.0")]
    [InlineData("oci:../up:ref", ImageTransport.Layout, "../up", "ref")]
    [InlineData("docker-archive:img.tar", ImageTransport.Archive, "img.tar", null)]
    [InlineData("docker-archive:img.tar:team/app:latest", ImageTransport.Archive, "img.tar", "team/app:latest")]
    public void Layouts_and_archives_split_at_the_first_colon_after_the_transport(string value, ImageTransport transport, string path, string? reference)
    {
        var r = TransportReference.Parse(value);
        Assert.Equal(transport, r.Transport);
        Assert.Equal(path, r.Path);
        Assert.Equal(reference, r.Ref);
        Assert.Equal(value, r.ToString());
    }

    [Fact]
    public void A_registry_name_is_the_registry_reference()
    {
        var r = TransportReference.Parse("docker://127.0.0.1:5000/team/app:v1");
        Assert.Equal(ImageTransport.Registry, r.Transport);
        Assert.Equal("127.0.0.1:5000", r.Registry!.Registry);
        Assert.Equal("docker://127.0.0.1:5000/team/app:v1", r.ToString());
    }

    [Theory]
    [InlineData("dir", "no known transport")]
    [InlineData("http://x/y", "no known transport ('http')")]
    [InlineData("oci:", "names no directory")]
    [InlineData("oci::ref", "names no directory")]
    [InlineData("oci:dir:", "no reference after it")]
    [InlineData("docker-archive:", "names no file")]
    [InlineData("oci:dir\0x:ref", "NUL")]
    [InlineData("docker://", "docker://")]
    public void Bad_names_are_refused_in_one_line_naming_the_value(string value, string expected)
    {
        var e = Assert.Throws<FormatException>(() => TransportReference.Parse(value));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Oci_a_b_c_is_where_skopeo_puts_it()
    {
        // skopeo writes oci:DIR:b:c as directory DIR with ref name "b:c"; the parser must read the same image.
        using var t = new TempDir("transport-ref");
        var image = await OciLayoutTests.SampleImageAsync(t);
        await new OciLayoutDestination(t.Combine("src")).PublishAsync(image, ["latest"], default);
        var name = $"oci:{t.Combine("a")}:b:c";
        await Skopeo.CopyAsync($"oci:{t.Combine("src")}:latest", name);

        var r = TransportReference.Parse(name);
        Assert.Equal(t.Combine("a"), r.Path);
        Assert.Equal(image.Digest, OciLayout.Open(r.Path!).ReadImage(r.Ref).Digest);
    }
}
