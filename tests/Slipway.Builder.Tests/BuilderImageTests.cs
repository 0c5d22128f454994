using System.Text.Json;
using Slipway.Builder.Callbacks;
using Slipway.Builder.Model;
using Slipway.Builder.Tests.Support;
using Slipway.Images.BaseImages;
using Slipway.Images.Methods;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Oci.Publishing;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Builder.Tests;

/// <summary>
/// Slipway's own builder image (containers/builder), built the way the pipeline builds it and then run by buildah:
/// inside it, <c>slipway builder run</c> clones a sample app from the git server (token required), builds it with
/// a nested buildah (vfs, chroot isolation) and pushes it to the registry. Slow: it publishes the binaries (both
/// self-contained, one shared runtime), builds the builder-base from Debian packages once (kept in the repo's artifacts/base-images, like
/// ./build.sh BaseImages) and copies ~130 MB through vfs storage.
/// Run alone with: dotnet test tests/Slipway.Builder.Tests --filter FullyQualifiedName~BuilderImageTests
/// </summary>
[Collection(BuilderCollection.Name)]
[Trait("Category", "Slow")]
public sealed class BuilderImageTests(BuilderServices services, ITestOutputHelper output)
{
    [Fact]
    public async Task The_builder_image_run_by_buildah_clones_builds_and_pushes_an_app_that_runs()
    {
        var root = HostTools.RepoRoot;
        HostTools.Require("buildah");
        HostTools.Require("debootstrap");
        var busybox = HostTools.Path("/bin/busybox");
        using var work = new TempDir("builderimage");
        var ct = CancellationToken.None;

        // 1. The context, staged exactly as ./build.sh StageBuilderImage does (build/Build.BuilderImage.cs).
        var dist = Path.Combine(root, "containers", "builder", "dist");
        if (Directory.Exists(dist)) Directory.Delete(dist, recursive: true);
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        await Dotnet(ct, "publish", Path.Combine(root, "src/Slipway.Cli/Slipway.Cli.csproj"), "-c", "Release", "-f", "net10.0", "-r", rid,
            "--self-contained", "true", "-p:DebugType=none", "-o", dist, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
        await Dotnet(ct, "publish", Path.Combine(root, "src/Slipway.Builder.Cli/Slipway.Builder.Cli.csproj"), "-c", "Release", "-r", rid,
            "--self-contained", "true", "-p:DebugType=none", "-o", dist, "--nologo", "-v", "quiet", "-clp:ErrorsOnly");
        foreach (var f in Directory.EnumerateFiles(dist).Where(f => f.EndsWith(".dbg") || f.EndsWith(".pdb")).ToList()) File.Delete(f);

        // 2. Its base from containers/base-images.yml, dated like the BaseImages target (a later PushImages finds it up to date).
        var catalog = BaseImageCatalog.Load(root);
        var baseDate = await BaseImageCatalog.LastChangedAsync(root, ct);
        foreach (var r in await new BaseImageBuilder(catalog).BuildAllAsync(["builder-base"], new BaseImageBuildOptions { SourceDate = baseDate, Log = output.WriteLine }, ct))
            output.WriteLine($"base {r.Name}: {(r.UpToDate ? "up to date" : "built")} in {r.Duration.TotalSeconds:F0} s, {r.Digest}");

        // 3. The image, discovered and built by the Dockerfile method like every containers/<name>.
        var method = new DockerfileMethod(new DockerfileMethodOptions { Engine = "buildah", BaseImageMap = catalog.ToBaseImageMap(), BuildahRoot = work.Combine("buildah-build") });
        var definition = method.Discover(root).Single(d => d.Name == "builder");
        var context = new BuildContext
        {
            Root = root,
            WorkDirectory = work.Combine("build"),
            Log = output.WriteLine,
            SourceDate = baseDate,
        };
        var image = await method.BuildAsync(definition, context, ct);
        output.WriteLine($"builder {definition.Version}: {image.Layers.Count} layers, {image.Layers.Sum(l => l.Descriptor.Size) / (1024 * 1024)} MiB, {image.Digest}");
        await new OciLayoutDestination(work.Combine("images")).PublishAsync(image, ["builder"], ct);

        // 4. A sample app with a RUN step, so the nested buildah really runs a container (chroot inside chroot).
        var app = "image-app";
        var commit = await services.Git.CreateRepositoryAsync(app, new Dictionary<string, byte[]>
        {
            ["Dockerfile"] = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo built inside the builder image > /built.txt\"]\nCMD [\"/bin/busybox\", \"cat\", \"/built.txt\"]\n"u8.ToArray(),
            ["busybox"] = await File.ReadAllBytesAsync(busybox, ct),
        }, executables: ["busybox"]);

        // 5. buildah run of the builder image with the builder-run contract: plain variables as --env, the secrets
        // from a mounted file (as the Job mounts its Secret), so no token is on any command line.
        var secret = WebhookSigner.NewSecret();
        await using var receiver = new CallbackReceiver(secret);
        var secrets = Directory.CreateDirectory(work.Combine("secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "env"), $"GITHUB_TOKEN={BuilderServices.GitToken}\nCALLBACK_SECRET={secret}\n", ct);
        var outDir = Directory.CreateDirectory(work.Combine("out")).FullName;
        var env = new Dictionary<string, string>
        {
            [BuildSpecEnvironment.BuildJobId] = "img-1",
            [BuildSpecEnvironment.RepoCloneUrl] = services.Git.UrlOf(app),
            [BuildSpecEnvironment.RepoRef] = "main",
            [BuildSpecEnvironment.Tenant] = "acme",
            [BuildSpecEnvironment.Service] = app,
            [BuildSpecEnvironment.CallbackUrl] = receiver.Url,
            ["BUILDER_REGISTRY"] = services.Registry.Host,
            ["BUILDER_ALLOW_HTTP_GIT_HOSTS"] = "127.0.0.1",
            ["BUILDER_GIT_TOKEN_HOSTS"] = "127.0.0.1",
            [BuildOutcome.FileVariable] = "/out/outcome.json",
        };
        var storage = new[] { "--storage-driver", "vfs", "--root", work.Combine("buildah-run"), "--runroot", work.Combine("buildah-runroot") };
        var from = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. storage, "from", "--quiet", $"oci:{work.Combine("images")}:builder"]) { CaptureStandardOutput = true }, ct);
        var container = from.StandardOutput.Trim().Split('\n').Last();
        var log = new List<string>();
        try
        {
            // CAP_SYS_ADMIN: buildah run drops it by default, and a buildah without it takes itself for rootless and
            // asks for a user namespace, which the kernel refuses to a chrooted process (unshare(CLONE_NEWUSER): EPERM).
            var run = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "run", "--isolation", "chroot", "--cap-add", "CAP_SYS_ADMIN",
                .. env.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }),
                "--volume", $"{secrets}:/run/slipway-secrets:ro", "--volume", $"{outDir}:/out",
                container, "--", "sh", "-c", "set -a; . /run/slipway-secrets/env; set +a; exec slipway builder run"])
            { OnLine = l => { lock (log) log.Add(l); output.WriteLine(l); }, TailLines = 200 }, ct);
            Assert.True(run.Succeeded, $"exit {run.ExitCode}:\n{string.Join('\n', log)}");
        }
        finally { await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "rm", container]), ct); }

        // 6. The judges: the outcome file, skopeo on the registry, the image run, the callbacks, no token anywhere.
        var outcome = Assert.IsType<BuildResult.Succeeded>(BuildOutcome.TryParse(await File.ReadAllTextAsync(Path.Combine(outDir, "outcome.json"), ct), "img-1"));
        Assert.Equal(commit, outcome.Commit);
        Assert.Equal($"{services.Registry.Host}/tenants/acme/{app}", outcome.Image.Repository);
        var reference = outcome.Image.Reference;
        // --no-tags: pushed by digest only, the repository has no tags to list (the registry answers 404 to tags/list).
        var inspect = await ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", ["inspect", "--tls-verify=false", "--no-tags", $"docker://{reference}"]) { CaptureStandardOutput = true }, ct);
        using (var doc = JsonDocument.Parse(inspect.StandardOutput))
            Assert.Equal(outcome.Image.Digest, doc.RootElement.GetProperty("Digest").GetString());
        using (var buildah = new Buildah())
            Assert.Equal("built inside the builder image", (await buildah.RunAsync(reference, ["/bin/busybox", "cat", "/built.txt"], ct)).Trim());
        Assert.Equal(["RUNNING", "SUCCEEDED"], receiver.For("img-1").Select(c => c.Status));
        Assert.Empty(receiver.Rejections);
        Leaks.AssertAbsent(BuilderServices.GitToken, log, "the builder's log");
        Leaks.AssertAbsentInTree(BuilderServices.GitToken, services.Registry.StorageDirectory);
        Leaks.AssertAbsent(BuilderServices.GitToken, services.Git.RequestedUrls, "a requested URL");
    }

    private static Task Dotnet(CancellationToken ct, params string[] args) =>
        ToolRunner.RunCheckedAsync(new ToolInvocation("dotnet", args), ct);
}
