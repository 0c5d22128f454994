using System.Diagnostics;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Images.Tests.Dockerfile;

public sealed class BuildahBuildTests(DockerfileFixture fixture, ITestOutputHelper output) : IClassFixture<DockerfileFixture>
{
    internal const string MultiStage = """
        # A build stage makes the greeting; the runtime stage only copies the result.
        ARG CONTAINER_APP_VERSION=1.2.3
        FROM debian:bookworm-slim AS build
        ARG GREETING=hi
        COPY . /ctx
        RUN test ! -e /ctx/secret/key && test ! -e /ctx/debug.log && test -e /ctx/keep.log
        RUN mkdir -p /out && echo "$GREETING from $(cat /ctx/message.txt)" > /out/greeting
        FROM busybox AS runtime
        COPY --from=build /out/greeting /greeting
        CMD ["cat", "/greeting"]
        FROM runtime AS debug
        RUN echo debug > /debug
        """;

    internal static string WriteRepo(TempDir repo, string name = "hello")
    {
        repo.Write($"containers/{name}/Dockerfile", MultiStage);
        repo.Write($"containers/{name}/image.yml", "target: runtime\nbuildArgs:\n  GREETING: hello\n");
        repo.Write($"containers/{name}/message.txt", "slipway\n");
        repo.Write($"containers/{name}/.dockerignore", "secret\n*.log\n!keep.log\n");
        repo.Write($"containers/{name}/secret/key", "do not send");
        repo.Write($"containers/{name}/debug.log", "noise");
        repo.Write($"containers/{name}/keep.log", "kept");
        return name;
    }

    [Fact]
    public async Task Buildah_builds_a_multi_stage_Dockerfile_from_a_local_base_pushes_it_and_it_runs()
    {
        using var repo = new TempDir("dfrepo");
        WriteRepo(repo);
        var method = fixture.Method("buildah");
        var definition = Assert.Single(method.Discover(repo.Path));
        Assert.Equal("hello", definition.Name);
        Assert.Equal("1.2.3", definition.Version);
        Assert.Equal("runtime", definition.Attribute);
        Assert.DoesNotContain(definition.InputFiles, f => f.Contains("secret") || f.EndsWith("debug.log"));
        Assert.Contains(definition.InputFiles, f => f.EndsWith("keep.log"));

        var context = fixture.Context(repo.Path, repo.Combine("work"), output.WriteLine);
        var extra = await method.ExtraInputsAsync(definition, context, default);
        Assert.Equal("engine=buildah", extra[0]);
        Assert.Contains(extra, e => e.StartsWith($"base docker.io/library/busybox:latest={fixture.Busybox.Digest}"));

        var sw = Stopwatch.StartNew();
        var image = await method.BuildAsync(definition, context, default);
        output.WriteLine($"buildah build took {sw.Elapsed.TotalSeconds:F1} s; {image.Digest}");
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.Descriptor.MediaType));

        await using var registry = await RegistryServer.StartAsync();
        using var session = new RegistrySession(new RegistryClientOptions());
        var destination = new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/hello"), session);
        await destination.PublishAsync(image, ["latest", "v1.2.3-abcdef0"], default);
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/hello:latest"));
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/hello:v1.2.3-abcdef0"));
        using var config = await Skopeo.InspectAsync($"docker://{registry.Host}/team/hello:latest", config: true);
        Assert.Equal("2023-11-14T22:13:20Z", config.RootElement.GetProperty("created").GetString());

        // Run the pushed image with buildah (chroot isolation) and read what the build stage wrote.
        var storage = new[] { "--storage-driver", "vfs", "--root", fixture.BuildahRoot, "--runroot", fixture.BuildahRoot + "-run" };
        var from = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "from", "--tls-verify=false", "--pull-always", $"docker://{registry.Host}/team/hello:latest"]) { CaptureStandardOutput = true });
        var container = from.StandardOutput.Trim().Split('\n').Last();
        try
        {
            var run = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "run", "--isolation", "chroot", container, "cat", "/greeting"]) { CaptureStandardOutput = true });
            Assert.Equal("hello from slipway", run.StandardOutput.Trim());
            var debug = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "run", "--isolation", "chroot", container, "test", "-e", "/debug"]));
            Assert.NotEqual(0, debug.ExitCode); // target: runtime stops before the debug stage
        }
        finally
        {
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "rm", container]));
        }

        // Same inputs, same source date: the same digest again.
        var again = await method.BuildAsync(definition, context, default);
        Assert.Equal(image.Digest, again.Digest);
    }

    [Fact]
    public async Task A_broken_Dockerfile_fails_naming_the_image_and_the_line()
    {
        using var repo = new TempDir("dfbroken");
        repo.Write("containers/broken/Dockerfile", "FROM busybox\nARG CONTAINER_APP_VERSION=0.1.0\nRUN echo first step\nRUN echo about to fail && exit 3\nRUN echo never\n");
        var method = fixture.Method("buildah");
        var definition = Assert.Single(method.Discover(repo.Path));
        var e = await Assert.ThrowsAsync<DockerfileBuildException>(() => method.BuildAsync(definition, fixture.Context(repo.Path, repo.Combine("work"), output.WriteLine), default));
        output.WriteLine(e.Message);
        Assert.Equal(4, e.Line);
        Assert.Contains("image 'broken'", e.Message);
        Assert.Contains("containers/broken/Dockerfile:4 (RUN echo about to fail && exit 3)", e.Message);
        Assert.Contains("about to fail", e.Message); // the tail of the log
    }
}
