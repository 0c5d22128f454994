using Slipway.Images.Methods.Dockerfile;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Images.Tests.Dockerfile;

/// <summary>
/// A private dockerd (<see cref="DockerDaemon"/>: vfs, no bridge, no iptables, its own dirs and socket in a temp dir)
/// for this class; DOCKER_HOST points at it while the class runs: only the Docker engine reads it, and this is the
/// only class using it. dockerd missing skips the tests visibly (<see cref="Require"/>; a failure under CI=true, see
/// <see cref="HostTools"/>); a listed dockerd that is there but does not start fails them with its log.
/// </summary>
public sealed class PrivateDockerd : IAsyncLifetime
{
    public DockerDaemon Daemon { get; private set; } = null!;
    /// <summary>Why no daemon runs here (dockerd not installed), or null.</summary>
    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            // docker.io is in build/setup-packages.txt: Setup installs it, so the daemon is normally started here.
            HostTools.Require("dockerd");
        }
        catch (SkipException e) { Unavailable = e.Message; return; }
        Daemon = await DockerDaemon.StartAsync();
        Environment.SetEnvironmentVariable("DOCKER_HOST", Daemon.Host);
    }

    /// <summary>Call first in every test: a daemon that truly cannot start here skips the test visibly (counted as skipped).</summary>
    public void Require()
    {
        if (Unavailable is { } reason) throw new SkipException($"no private dockerd: {reason}");
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("DOCKER_HOST", null);
        if (Daemon is not null) await Daemon.DisposeAsync();
    }
}

/// <summary>
/// PATH narrowed to a temp dir of links to every tool on it except the docker CLI, for as long as it lives: proves
/// the Docker engine method needs nothing but DOCKER_HOST.
/// </summary>
public sealed class PathWithoutDockerCli : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable("PATH");
    private readonly TempDir _bin = new("nodocker");

    public PathWithoutDockerCli()
    {
        foreach (var dir in (_saved ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Directory.Exists))
            foreach (var tool in Directory.EnumerateFiles(dir))
            {
                var link = Path.Combine(_bin.Path, Path.GetFileName(tool));
                if (Path.GetFileName(tool) is "docker" || File.Exists(link)) continue;
                File.CreateSymbolicLink(link, tool);
            }
        Environment.SetEnvironmentVariable("PATH", _bin.Path);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PATH", _saved);
        _bin.Dispose();
    }
}

/// <summary>Runs alone: while it does, DOCKER_HOST points at the private daemon, which "auto" engine choices elsewhere would see.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerdCollection
{
    public const string Name = "private dockerd";
}

[Collection(DockerdCollection.Name)]
public sealed class DockerEngineTests(DockerfileFixture fixture, PrivateDockerd dockerd, ITestOutputHelper output)
    : IClassFixture<DockerfileFixture>, IClassFixture<PrivateDockerd>
{
    [SkippableFact]
    public async Task Docker_engine_builds_the_multi_stage_Dockerfile_from_a_local_base_and_the_pushed_image_runs()
    {
        dockerd.Require();
        using var repo = new TempDir("dfdocker");
        BuildahBuildTests.WriteRepo(repo);
        var method = fixture.Method("docker");
        var definition = Assert.Single(method.Discover(repo.Path));
        var context = fixture.Context(repo.Path, repo.Combine("work"), output.WriteLine);
        OciImage image;
        using (new PathWithoutDockerCli())
        {
            Assert.Null(ToolRunner.Which("docker"));
            Assert.Equal("engine=docker/classic", (await method.ExtraInputsAsync(definition, context, default))[0]);
            image = await method.BuildAsync(definition, context, default);
            output.WriteLine($"built {image.Digest} through {dockerd.Daemon.Host} with no docker CLI on PATH");
            // A second build finds the base already loaded (same image ID) and gives the same layers.
            var again = await method.BuildAsync(definition, fixture.Context(repo.Path, repo.Combine("work2"), output.WriteLine), default);
            Assert.Equal(image.Layers.Select(l => l.Descriptor.Digest), again.Layers.Select(l => l.Descriptor.Digest));
        }

        await using var registry = await RegistryServer.StartAsync();
        using var session = new RegistrySession(new RegistryClientOptions());
        await new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/hello-docker"), session).PublishAsync(image, ["latest"], default);
        Assert.Equal(image.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/hello-docker:latest"));

        var storage = new[] { "--storage-driver", "vfs", "--root", fixture.BuildahRoot, "--runroot", fixture.BuildahRoot + "-run" };
        var from = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "from", "--tls-verify=false", "--pull-always", $"docker://{registry.Host}/team/hello-docker:latest"]) { CaptureStandardOutput = true });
        var container = from.StandardOutput.Trim().Split('\n').Last();
        try
        {
            var run = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "run", "--isolation", "chroot", container, "cat", "/greeting"]) { CaptureStandardOutput = true });
            Assert.Equal("hello from slipway", run.StandardOutput.Trim());
        }
        finally
        {
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "rm", container]));
        }
    }

    [SkippableFact]
    public async Task Docker_engine_failure_names_the_image_and_line()
    {
        dockerd.Require();
        using var repo = new TempDir("dfdockerbad");
        repo.Write("containers/broken/Dockerfile", "FROM busybox\n\nRUN echo ok\nRUN exit 7\n");
        var method = fixture.Method("docker");
        var definition = Assert.Single(method.Discover(repo.Path));
        DockerfileBuildException e;
        using (new PathWithoutDockerCli())
            e = await Assert.ThrowsAsync<DockerfileBuildException>(() => method.BuildAsync(definition, fixture.Context(repo.Path, repo.Combine("work"), output.WriteLine), default));
        output.WriteLine(e.Message);
        Assert.Equal(4, e.Line);
        Assert.Contains("containers/broken/Dockerfile:4 (RUN exit 7)", e.Message);
    }
}
