using Slipway.Builder.Cli.Commands;
using Slipway.Builder.Model;
using Slipway.Builder.Running;
using Slipway.Cli.Transports;
using Slipway.Images.BaseImages;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Tests.Layout;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Model;

/// <summary>
/// The seam: every caller that reads an image name takes it through <see cref="TransportReference"/> /
/// <see cref="ImageReference"/>, so one name means one place everywhere — the CLI's copy/inspect
/// (<see cref="ImageLocation"/>), the builder's IMAGE_TAG (<see cref="ImageDestinations"/>), <c>build-source
/// --output</c> (<see cref="BuildSourceCommand"/>) and the base map (<see cref="MappedBase"/>, <see cref="BaseImageResolver"/>).
/// </summary>
public sealed class TransportSeamTests
{
    private static BuildSpec Spec(string imageTag) => new() { BuildId = "seam", RepoCloneUrl = "https://example.invalid/r.git", ImageTag = imageTag };

    [Theory]
    [InlineData("oci:a:b:c", "a", "b:c")]
    [InlineData("oci:/abs/path:tag", "/abs/path", "tag")]
    [InlineData("oci:rel/dir:v1.0.0", "rel/dir", "v1.0.0")]
    public void A_layout_name_is_the_same_directory_and_ref_for_every_reader(string name, string directory, string reference)
    {
        var cli = Assert.IsType<LayoutLocation>(ImageLocation.Parse(name));
        Assert.Equal((directory, reference), (cli.Directory, cli.Ref));

        var mapped = new MappedBase("x", "x", name);
        Assert.Equal((directory, reference), (mapped.LayoutDirectory, mapped.LayoutRef));

        if (ImageReference.IsValidTag(reference))
            Assert.Equal(reference, BuildSourceCommand.Destination(name).Tag);
    }

    [Fact]
    public void Oci_a_b_c_is_directory_a_with_tag_b_c_for_the_writers_too_which_refuse_it_as_a_tag()
    {
        // Before the one parser, IMAGE_TAG and --output read oci:a:b:c as directory "a:b", tag "c".
        using var session = new RegistrySession(new RegistryClientOptions());
        var builder = Assert.Throws<Slipway.Tooling.StepFailure>(() => ImageDestinations.Destination(Spec("oci:a:b:c"), null, _ => session));
        Assert.Contains("directory 'a' with tag 'b:c'", builder.Message);
        var source = Assert.Throws<Slipway.Builder.Cli.Commands.UsageException>(() => BuildSourceCommand.Destination("oci:a:b:c"));
        Assert.Contains("directory 'a' with tag 'b:c'", source.Message);
        Assert.False(Directory.Exists("a"));
    }

    [Theory]
    [InlineData("abs/path:tag", "abs/path", "tag")]
    [InlineData("x:v1.0.0", "x", "v1.0.0")]
    public async Task Writers_put_an_image_where_readers_find_it(string relative, string directory, string reference)
    {
        // Written by the builder (IMAGE_TAG) and by build-source --output, read back by the CLI and the base map.
        using var t = new TempDir("transport-seam");
        var image = await OciLayoutTests.SampleImageAsync(t);
        var name = $"oci:{t.Combine("builder", relative)}";
        using var session = new RegistrySession(new RegistryClientOptions());

        var (builder, tags, host) = ImageDestinations.Destination(Spec(name), null, _ => session);
        Assert.Null(host);
        Assert.Equal([reference], tags);
        await builder.PublishAsync(image, tags, default);

        var sourceName = $"oci:{t.Combine("source", relative)}";
        var (make, tag) = BuildSourceCommand.Destination(sourceName);
        await make(session).PublishAsync(image, [tag], default);

        foreach (var (written, root) in new[] { (name, "builder"), (sourceName, "source") })
        {
            var cli = Assert.IsType<LayoutLocation>(ImageLocation.Parse(written));
            Assert.Equal(t.Combine(root, directory), cli.Directory);
            Assert.Equal(image.Digest, (await cli.ReadAsync(session, null, default)).Digest);
            var mapped = new MappedBase("x", "x", written);
            Assert.Equal(image.Digest, OciLayout.Open(mapped.LayoutDirectory).ReadImage(mapped.LayoutRef).Digest);
        }
    }

    [Theory]
    [InlineData("docker://host:5000/ns/img:tag", "host:5000", "ns/img", "tag")]
    [InlineData("docker://127.0.0.1:5000/team/app", "127.0.0.1:5000", "team/app", null)]
    public void A_registry_name_is_the_same_repository_and_tag_for_every_reader(string name, string registry, string repository, string? tag)
    {
        using var session = new RegistrySession(new RegistryClientOptions());
        var cli = Assert.IsType<RegistryLocation>(ImageLocation.Parse(name)).Reference;
        Assert.Equal((registry, repository, tag), (cli.Registry, cli.Repository, cli.Tag));

        var (builder, tags, host) = ImageDestinations.Destination(Spec(name), null, _ => session);
        Assert.Equal(registry, host);
        Assert.Equal($"docker://{registry}/{repository}", builder.Name);
        Assert.Equal([tag ?? "latest"], tags);
        // The builder also takes IMAGE_TAG without the transport, meaning the same.
        Assert.Equal(builder.Name, ImageDestinations.Destination(Spec(ImageReference.WithoutTransport(name)), null, _ => session).Destination.Name);

        var (make, sourceTag) = BuildSourceCommand.Destination(name);
        Assert.Equal(builder.Name, make(session).Name);
        Assert.Equal(tag ?? "latest", sourceTag);

        // The base map compares FROM names in Docker's normalised form: a host with a port is a registry, not a tag.
        Assert.Equal($"{registry}/{repository}:{tag ?? "latest"}", BaseImageResolver.Normalize(ImageReference.WithoutTransport(name)));
    }

    [Fact]
    public void A_digest_is_read_alike_and_refused_as_a_destination_by_both_writers()
    {
        var digest = "sha256:" + new string('a', 64);
        var name = $"host:5000/img@{digest}";
        var cli = Assert.IsType<RegistryLocation>(ImageLocation.Parse("docker://" + name)).Reference;
        Assert.Equal(("host:5000", "img", null, digest), (cli.Registry, cli.Repository, cli.Tag, cli.Digest?.ToString()));
        Assert.Equal(("host:5000/img", null, digest), ImageReference.Split(name));
        Assert.Equal(name, BaseImageResolver.Normalize(name));
        var mapped = BaseImageResolver.Resolve(name, new Dictionary<string, string> { ["host:5000/img"] = "oci:/bases/img:latest" });
        Assert.Null(mapped); // a digest matches only a mapping of the same name:tag; here none has the tag "latest"

        using var session = new RegistrySession(new RegistryClientOptions());
        var builder = Assert.Throws<Slipway.Tooling.StepFailure>(() => ImageDestinations.Destination(Spec(name), null, _ => session));
        Assert.Contains("names a digest", builder.Message);
        var source = Assert.Throws<Slipway.Builder.Cli.Commands.UsageException>(() => BuildSourceCommand.Destination("docker://" + name));
        Assert.Contains("not a digest", source.Message);
    }
}
