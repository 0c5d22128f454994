using System.Diagnostics;
using Slipway.Images.BaseImages;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Oci.Layout;
using Slipway.Oci.Publishing;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Images.Tests.Dockerfile;

/// <summary>
/// Slow (minutes, needs the Debian mirror): the repo's own bases from containers/base-images.yml and its own
/// Dockerfile images, built with buildah and run. Bases land in the repo's artifacts/base-images, so a second
/// run finds them up to date. Run alone with: dotnet test tests/Slipway.Images.Tests --filter Category=Slow
/// </summary>
[Trait("Category", "Slow")]
public sealed class RepoImagesTests(ITestOutputHelper output)
{
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Slipway.slnx) above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Debootstrap_bases_share_the_minbase_layer_and_build_twice_to_the_same_digests()
    {
        using var dir = new TempDir("debbase");
        var catalog = BaseImageCatalog.Parse("bases:\n  debian:\n    replaces: ['debian:bookworm-slim']\n  jq:\n    packages: [jq]\n    replaces: ['slipway.local/jq:1']\n",
            BaseImageCatalog.RelativePath, dir.Path) with { OutputDirectory = dir.Combine("bases") };
        var builder = new BaseImageBuilder(catalog);
        // A shared .deb cache keeps the second build (and later runs) off the network.
        var options = new BaseImageBuildOptions
        {
            SourceDate = DockerfileFixture.SourceDate,
            CacheDirectory = Path.Combine(RepoRoot(), "artifacts", "base-images", ".cache", "debootstrap"),
            Log = output.WriteLine,
        };
        var sw = Stopwatch.StartNew();
        var first = await builder.BuildAllAsync(null, options, default);
        var t1 = sw.Elapsed;
        var second = await builder.BuildAllAsync(null, options with { Force = true }, default);
        output.WriteLine($"debootstrap minbase + jq: {t1.TotalSeconds:F0} s, again {(sw.Elapsed - t1).TotalSeconds:F0} s");
        Assert.Equal(first.Select(r => r.Digest), second.Select(r => r.Digest));

        var debian = OciLayout.Open(first[0].LayoutPath).ReadImage(BaseImageCatalog.Ref);
        var jq = OciLayout.Open(first[1].LayoutPath).ReadImage(BaseImageCatalog.Ref);
        Assert.Single(debian.Layers);
        Assert.Equal(2, jq.Layers.Count);
        Assert.Equal(debian.Layers[0].Descriptor.Digest, jq.Layers[0].Descriptor.Digest); // one minbase blob for both
        output.WriteLine($"minbase {debian.Layers[0].Descriptor.Size / 1024} KiB, jq layer {jq.Layers[1].Descriptor.Size / 1024} KiB");

        // The judge: buildah applies the layers (whiteouts included) and jq runs on the minbase.
        using var work = new TempDir("debbaserun");
        var storage = new[] { "--storage-driver", "vfs", "--root", work.Combine("buildah"), "--runroot", work.Combine("buildah-run") };
        var from = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "from", $"oci:{first[1].LayoutPath}:{BaseImageCatalog.Ref}"]) { CaptureStandardOutput = true });
        var container = from.StandardOutput.Trim().Split('\n').Last();
        try
        {
            var run = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "run", "--isolation", "chroot", container, "sh", "-c", "jq --version && dpkg -s jq | grep Status"]) { CaptureStandardOutput = true });
            Assert.Equal("jq-1.6\nStatus: install ok installed", run.StandardOutput.Trim());
        }
        finally { await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "rm", container])); }
    }

    [Fact]
    public async Task Repo_bases_and_images_build_with_buildah_and_run()
    {
        var root = RepoRoot();
        var catalog = BaseImageCatalog.Load(root);
        var sw = Stopwatch.StartNew();
        // Dated like the BaseImages target does, so the bases this test leaves in artifacts/ are the ones
        // ./build.sh PushImages would build (and finds up to date) rather than a second set.
        var baseDate = await BaseImageCatalog.LastChangedAsync(root, default);
        foreach (var r in await new BaseImageBuilder(catalog).BuildAllAsync(null, new BaseImageBuildOptions { SourceDate = baseDate }, default))
            output.WriteLine($"base {r.Name}: {(r.UpToDate ? "up to date" : "built")} in {r.Duration.TotalSeconds:F0} s, {r.Digest}");

        using var work = new TempDir("repoimg");
        var context = new Slipway.Images.Methods.BuildContext
        {
            Root = root,
            WorkDirectory = work.Path,
            Log = _ => { },
            SourceDate = DockerfileFixture.SourceDate,
        };
        var method = new DockerfileMethod(new DockerfileMethodOptions { Engine = "buildah", BaseImageMap = catalog.ToBaseImageMap(), BuildahRoot = work.Combine("buildah") });
        var all = method.Discover(root);
        Assert.Equal(["builder", "hello-service", "toolbox", "app"], all.Select(d => d.Name));
        // The builder image needs its binaries staged first; tests/Slipway.Builder.Tests/BuilderImageTests.cs builds and runs it.
        var definitions = all.Where(d => d.Name != "builder").ToList();
        var layout = new OciLayoutDestination(work.Combine("images"));
        foreach (var d in definitions)
        {
            var t = Stopwatch.StartNew();
            var image = await method.BuildAsync(d, context, default);
            output.WriteLine($"{d.Name} {d.Version}: built in {t.Elapsed.TotalSeconds:F0} s, {image.Layers.Count} layers, {image.Layers.Sum(l => l.Descriptor.Size) / 1024} KiB, {image.Digest}");
            await layout.PublishAsync(image, [d.Name], default);
        }

        var storage = new[] { "--storage-driver", "vfs", "--root", work.Combine("buildah"), "--runroot", work.Combine("buildah-run") };
        async Task<string> Run(string image, params string[] command)
        {
            var from = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "from", "--pull-always", $"oci:{work.Combine("images")}:{image}"]) { CaptureStandardOutput = true });
            var container = from.StandardOutput.Trim().Split('\n').Last();
            try
            {
                return (await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "run", "--isolation", "chroot", container, .. command]) { CaptureStandardOutput = true })).StandardOutput.Trim();
            }
            finally { await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "rm", container])); }
        }
        Assert.Equal("hello-service 0.3.0", await Run("hello-service", "/usr/local/bin/hello-service", "--version"));
        var versions = await Run("toolbox", "/usr/local/bin/toolbox", "versions");
        Assert.Contains("toolbox 0.2.0", versions);
        Assert.Contains("jq-1.6", versions);
        Assert.Equal("ok", await Run("app", "sh", "-c", "cd /app && node server.js --check"));
        Assert.Equal("false", await Run("app", "sh", "-c", "command -v npm >/dev/null && echo true || echo false")); // runtime has no npm (node-slim is Node alone)
        output.WriteLine($"total {sw.Elapsed.TotalSeconds:F0} s");
    }
}
