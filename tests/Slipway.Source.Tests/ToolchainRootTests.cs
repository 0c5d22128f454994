using Slipway.Images.BaseImages;
using Slipway.Images.Sandbox;
using Slipway.Oci.Layout;
using Slipway.Source.Imaging;
using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary>
/// The toolchain roots (issue 18): a base unpacked once per digest, shared by concurrent builds, and a build stage
/// with nothing to install running on an overlay of it. Each test has its own buildah storage, so "no container
/// left" is exact. Real buildah, real overlayfs (the tests run as root, like the builder's worker).
/// </summary>
public sealed class ToolchainRootTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    [Fact]
    public async Task A_base_is_unpacked_once_for_concurrent_builds_and_replaces_its_older_digest_leaving_no_container()
    {
        if (!File.Exists(Path.Combine(fixture.Options.BaseDirectory, "busybox", "index.json"))) await fixture.BasesAsync("busybox");
        using var dir = new TempDir("toolchain-roots");
        var storage = BuildahStage.StorageFlags(dir.Combine("buildah"));
        var roots = new ToolchainRoots(dir.Combine("roots"));
        var layout = Path.Combine(fixture.Options.BaseDirectory, "busybox");
        var digest = OciLayout.Open(layout).Resolve(BaseImageCatalog.Ref).Digest;
        // An entry of an earlier busybox digest, a killed process's temporary, and another base whose name starts alike.
        var stale = Directory.CreateDirectory(Path.Combine(roots.Directory, "busybox-" + new string('0', 32))).FullName;
        var killed = Directory.CreateDirectory(Path.Combine(roots.Directory, ".tmp-busybox-" + new string('1', 32))).FullName;
        var other = Directory.CreateDirectory(Path.Combine(roots.Directory, "busybox-static-" + new string('2', 32))).FullName;

        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Log(string l) { lines.Enqueue(l); output.WriteLine(l); }
        var paths = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => roots.GetAsync(storage, "busybox", $"oci:{layout}:{BaseImageCatalog.Ref}", digest, Log, default))));

        Assert.All(paths, p => Assert.Equal(roots.EntryPath("busybox", digest), p));
        Assert.True(File.Exists(Path.Combine(paths[0], "bin", "busybox")) || new FileInfo(Path.Combine(paths[0], "bin", "sh")).Exists, "the unpacked tree has the base's shell");
        Assert.Single(lines, l => l.StartsWith("unpacked the busybox base", StringComparison.Ordinal));
        Assert.False(Directory.Exists(stale), "the earlier digest's entry is removed (one entry per base)");
        Assert.False(Directory.Exists(killed), "a killed process's temporary is removed");
        Assert.True(Directory.Exists(other), "another base's entry stays");
        Assert.Empty(Directory.EnumerateDirectories(roots.Directory, ".t*"));

        // Found again without unpacking.
        Assert.Equal(paths[0], await roots.GetAsync(storage, "busybox", $"oci:{layout}:{BaseImageCatalog.Ref}", digest, Log, default));
        Assert.Single(lines, l => l.StartsWith("unpacked the busybox base", StringComparison.Ordinal));
        Assert.Empty(await ContainersAsync(storage));
    }

    [Fact]
    public async Task Concurrent_go_builds_run_on_the_shared_toolchain_root_which_a_step_cannot_change_and_leave_no_container_or_mount()
    {
        await fixture.BasesAsync("golang", "busybox");
        using var dir = new TempDir("toolchain-overlay");
        // A storage of its own: the overlay stage never copies the golang base into it, and nothing may be left in it.
        var options = fixture.Options with { BuildahRoot = dir.Combine("buildah") };
        var storage = BuildahStage.StorageFlags(options.BuildahRoot);
        const string Poison = "/usr/bin/slipway-poison-4721";
        using var plain = Corpus.Copy("go-stdlib");
        using var hostile = Corpus.Copy("go-stdlib");
        File.WriteAllText(Path.Combine(hostile.Path, "main.go"), File.ReadAllText(Path.Combine(hostile.Path, "main.go")).Replace("hello from", "hi from"));
        var logs = new[] { new System.Collections.Concurrent.ConcurrentQueue<string>(), new System.Collections.Concurrent.ConcurrentQueue<string>() };

        // One plain build, and one in the step sandbox (runc on the overlay) whose build step writes into the toolchain.
        var builds = await Task.WhenAll(
            Task.Run(() => new SourceImageBuilder(options).BuildAsync(fixture.Request(plain.Path, l => { logs[0].Enqueue(l); output.WriteLine("plain: " + l); }), default)),
            Task.Run(() => new SourceImageBuilder(options with { Sandbox = StepSandboxOptions.Default }).BuildAsync(fixture.Request(hostile.Path, l => { logs[1].Enqueue(l); output.WriteLine("sandboxed: " + l); }) with
            { BuildCommand = $"echo poisoned > {Poison} && mkdir -p /app/.slipway/bin && go build -trimpath -o /app/.slipway/bin/hello ." }, default)));

        Assert.All(logs, log => Assert.Contains(log, l => l.Contains("on an overlay of the unpacked golang base", StringComparison.Ordinal)));
        Assert.Contains("hello from go-stdlib", await ServerProbe.GetAsync(fixture, builds[0].Image, output.WriteLine));
        Assert.Contains("hi from go-stdlib", await ServerProbe.GetAsync(fixture, builds[1].Image, output.WriteLine));
        // The step's write went to its own upper directory, not to the tree every tenant's build shares.
        var golang = Path.Combine(options.BaseDirectory, "golang");
        var entry = new ToolchainRoots(Path.Combine(options.BaseDirectory, "caches", "toolchain-roots")).EntryPath("golang", OciLayout.Open(golang).Resolve(BaseImageCatalog.Ref).Digest);
        Assert.True(File.Exists(Path.Combine(entry, "usr", "bin", "go")) || Directory.Exists(Path.Combine(entry, "usr", "lib", "go")), "the golang tree is there");
        Assert.False(File.Exists(entry + Poison), "a build step wrote into the shared toolchain root");
        Assert.Empty(await ContainersAsync(storage));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(dir.Path, StringComparison.Ordinal));
    }

    private static async Task<string[]> ContainersAsync(IReadOnlyList<string> storage)
    {
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Require("buildah"), [.. storage, "containers", "--quiet", "--all"]) { CaptureStandardOutput = true });
        return r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
