using Slipway.Images.Discovery;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Images.Pipeline;
using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary><c>source: true</c> in an image settings file: the pipeline builds the directory with the source engine and publishes it to a real registry.</summary>
public sealed class SourceSettingTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    [Fact]
    public async Task A_directory_with_source_true_is_built_by_detection_not_its_Dockerfile_and_pushed_digest_then_tags()
    {
        using var repo = new TempDir("source-setting-repo");
        repo.Write("containers/web/image.yml", "name: hello-web\nsource: true\n");
        repo.Write("containers/web/index.html", "<h1>hello from a source: true image</h1>\n");
        // Would fail if the Dockerfile method picked the directory up.
        repo.Write("containers/web/Dockerfile", "FROM scratch\nRUN false\n");
        await Git(repo.Path, "init", "-q", "-b", "main");
        await Git(repo.Path, "add", "-A");
        await Git(repo.Path, "commit", "-q", "-m", "init");

        var methods = new Slipway.Images.Methods.IImageMethod[] { new DockerfileMethod("buildah"), new SourceMethod(fixture.Options) };
        Assert.Empty(await methods[0].DiscoverAsync(repo.Path, CancellationToken.None));
        var found = Assert.Single((await ImageCatalog.DiscoverAsync(repo.Path, methods, CancellationToken.None)).Entries);
        Assert.Equal(("hello-web", "source"), (found.Definition.Name, found.Method.Name));

        await using var registry = await RegistryServer.StartAsync();
        await using var pipeline = new ImagePipeline(new ImagePipelineOptions
        {
            Root = repo.Path,
            Methods = methods,
            Registry = $"{registry.Host}/team",
            Environment = new Dictionary<string, string?>(),
            Strict = true,
            Log = (_, line) => output.WriteLine(line),
        });
        var result = Assert.Single(await pipeline.PushAsync());
        pipeline.ThrowIfFailed();
        Assert.Equal(ImageStatus.Pushed, result.Status);

        var tags = await Skopeo.TagsAsync($"docker://{registry.Host}/team/hello-web");
        Assert.NotEmpty(tags);
        foreach (var tag in tags)
            Assert.Equal(result.Digest!.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/hello-web:{tag}"));
        using var config = await Skopeo.InspectAsync($"docker://{registry.Host}/team/hello-web@{result.Digest}", config: true);
        var labels = config.RootElement.GetProperty("config").GetProperty("Labels");
        Assert.Equal("static", labels.GetProperty("dev.slipway.source.provider").GetString());
        Assert.True(labels.TryGetProperty("org.opencontainers.image.revision", out _));
    }

    [Fact]
    public void A_source_setting_that_is_not_a_boolean_names_the_file_line_and_the_valid_values()
    {
        var e = Assert.Throws<FormatException>(() => ImageSettings.Parse("name: x\nsource: yes please\n", "containers/x/image.yml"));
        Assert.Equal("containers/x/image.yml:2: source 'yes please' is not valid; valid values are: true, false", e.Message);
    }

    private static Task Git(string dir, params string[] args) => ToolRunner.RunCheckedAsync(new ToolInvocation("git",
        ["-C", dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]));
}
