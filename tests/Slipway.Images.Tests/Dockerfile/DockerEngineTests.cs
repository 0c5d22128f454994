using System.Diagnostics;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Images.Tests.Dockerfile;

/// <summary>
/// A private dockerd (vfs, no bridge, no iptables; its own data-root, exec-root, pidfile and socket in a temp dir),
/// killed at the end; a daemon that cannot start makes the tests skip visibly (see <see cref="Require"/>). DOCKER_HOST is
/// set for this process while it runs: only the Docker engine reads it, and this is the only class using it.
/// </summary>
public sealed class PrivateDockerd : IAsyncLifetime
{
    private Process? _process;
    public TempDir Dir { get; } = new("dockerd");
    /// <summary>Why no daemon could be started, or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        string dockerd, docker;
        try
        {
            // docker.io is in build/setup-packages.txt: Setup installs it, so the daemon is normally started here.
            (dockerd, docker) = (HostTools.Require("dockerd"), HostTools.Require("docker"));
        }
        catch (SkipException e) { Unavailable = e.Message; return; }
        var socket = Dir.Combine("docker.sock");
        var psi = new ProcessStartInfo(dockerd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--storage-driver=vfs", "--bridge=none", "--iptables=false", "--ip6tables=false",
                     "--data-root", Dir.Combine("data"), "--exec-root", Dir.Combine("exec"), "--pidfile", Dir.Combine("dockerd.pid"), "--host", $"unix://{socket}" })
            psi.ArgumentList.Add(a);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        Environment.SetEnvironmentVariable("DOCKER_HOST", $"unix://{socket}");
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited) break;
            var info = await ToolRunner.RunAsync(new ToolInvocation(docker, ["info", "--format", "{{.ServerVersion}}"]) { CaptureStandardOutput = true });
            if (info.Succeeded) return;
            await Task.Delay(250);
        }
        Unavailable = $"dockerd did not answer within 30 s: {string.Join(" / ", log.TakeLast(3))}";
    }

    /// <summary>Call first in every test: a daemon that truly cannot start here skips the test visibly (counted as skipped).</summary>
    public void Require()
    {
        if (Unavailable is { } reason) throw new SkipException($"no private dockerd: {reason}");
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("DOCKER_HOST", null);
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        // vfs layers may still be mounted read-only by nothing, but some files are immutable-free root files: plain delete works.
        Dir.Dispose();
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
        var method = new DockerfileMethod("docker");
        var definition = Assert.Single(method.Discover(repo.Path));
        var context = fixture.Context(repo.Path, repo.Combine("work"), output.WriteLine, engine: "docker");
        Assert.Equal("engine=docker/classic", (await method.ExtraInputsAsync(definition, context, default))[0]);

        var image = await method.BuildAsync(definition, context, default);
        output.WriteLine($"docker build: {image.Digest}");

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
        var method = new DockerfileMethod("docker");
        var definition = Assert.Single(method.Discover(repo.Path));
        var e = await Assert.ThrowsAsync<DockerfileBuildException>(() => method.BuildAsync(definition, fixture.Context(repo.Path, repo.Combine("work"), output.WriteLine, "docker"), default));
        output.WriteLine(e.Message);
        Assert.Equal(4, e.Line);
        Assert.Contains("containers/broken/Dockerfile:4 (RUN exit 7)", e.Message);
    }
}
