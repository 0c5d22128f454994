using Slipway.Bazel;
using Slipway.Images.Methods;
using Slipway.Nix.Tests.Support;
using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Nix.Tests;

/// <summary>
/// Bazel 7+ and rules_img cannot run here (Debian has bazel-bootstrap 4.2, GitHub is unreachable). What can be
/// real is: the consumer, on an OCI layout of the shape rules_img's image_manifest writes for its oci_layout output
/// group (oci-layout, index.json with one manifest, blobs/sha256/*, gzip layers), pushed to a real registry and run.
/// The bazel command lines are checked against a fake bazel script, named as such.
/// </summary>
public sealed class BazelTests(NixFixture fixture, ITestOutputHelper output) : IClassFixture<NixFixture>
{
    /// <summary>Writes bazel-bin/app/image_oci_layout as rules_img does: busybox + the dashboard page, one gzip layer.</summary>
    private static async Task<Digest> WriteRulesImgLayoutAsync(string layoutDir, string html)
    {
        Directory.CreateDirectory(Path.Combine(layoutDir, "blobs", "sha256"));
        var busybox = HostTools.Path("/bin/busybox");
        using var page = new TempDir("page");
        var pagePath = page.Write("index.html", html);
        var tmp = Path.Combine(layoutDir, "layer.tmp");
        LayerDigests layer;
        await using (var f = File.Create(tmp))
            layer = await LayerWriter.WriteAsync([
                LayerEntry.File("bin/busybox", busybox, 0b111_101_101),
                LayerEntry.Symlink("bin/sh", "busybox"),
                LayerEntry.File("srv/dashboard/index.html", pagePath, 0b110_100_100),
            ], f, new LayerOptions { Timestamp = DateTimeOffset.UnixEpoch }, default);
        File.Move(tmp, Path.Combine(layoutDir, "blobs", "sha256", layer.Digest.Hex));
        var config = OciJson.Serialize(new ImageConfig
        {
            Architecture = Platform.Current.Architecture, Os = "linux",
            Config = new ContainerConfig { Entrypoint = ["/bin/busybox", "cat", "/srv/dashboard/index.html"], Env = ["DASHBOARD_VERSION=0.1.0"] },
            RootFs = new RootFs { DiffIds = [layer.DiffId] },
        });
        var configDesc = Descriptor.Of(MediaTypes.OciConfig, config);
        File.WriteAllBytes(Path.Combine(layoutDir, "blobs", "sha256", configDesc.Digest.Hex), config);
        var manifest = OciJson.Serialize(new ImageManifest
        {
            Config = configDesc,
            Layers = [new Descriptor { MediaType = layer.MediaType, Digest = layer.Digest, Size = layer.Size }],
        });
        var manifestDesc = Descriptor.Of(MediaTypes.OciManifest, manifest);
        File.WriteAllBytes(Path.Combine(layoutDir, "blobs", "sha256", manifestDesc.Digest.Hex), manifest);
        File.WriteAllText(Path.Combine(layoutDir, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(Path.Combine(layoutDir, "index.json"), OciJson.Serialize(new ImageIndex { Manifests = [manifestDesc] }));
        return manifestDesc.Digest;
    }

    [SkippableFact]
    public async Task Rules_img_shaped_oci_layout_is_published_and_runs()
    {
        using var dir = new TempDir("bazelbin");
        var layout = BazelDiscovery.LayoutDirectory(dir.Path, "//app:image");
        Assert.EndsWith("app/image_oci_layout", layout);
        var digest = await WriteRulesImgLayoutAsync(layout, "<h1>dashboard</h1>");
        var image = BazelMethod.ReadLayout(layout);
        Assert.Equal(digest, image.Digest);

        using var session = new RegistrySession(new RegistryClientOptions());
        var result = await new RegistryDestination(ImageReference.Parse($"{fixture.Registry.Host}/bazel/dashboard"), session).PublishAsync(image, ["v0.1.0"], default);
        Assert.Equal(2, result.BlobsUploaded);
        Assert.Equal(digest.ToString(), await Skopeo.DigestAsync($"docker://{fixture.Registry.Host}/bazel/dashboard:v0.1.0"));
        var ran = await fixture.Buildah.RunAsync($"{fixture.Registry.Host}/bazel/dashboard:v0.1.0", ["/bin/busybox", "cat", "/srv/dashboard/index.html"]);
        Assert.Equal("<h1>dashboard</h1>", ran.Trim());
    }

    private static string FakeBazel(TempDir dir, string version, string layoutSource)
    {
        // FAKE: stands in for Bazel 7+ with rules_img, which cannot be installed here. It records its arguments,
        // answers --version and info bazel-bin, and "builds" by copying a rules_img-shaped layout into bazel-bin.
        var bin = dir.Combine("bazel-bin");
        return dir.Write("fake-bazel", $"""
            #!/bin/sh
            echo "$*" >> {dir.Combine("calls.log")}
            case "$1" in
              --version) echo "bazel {version}" ;;
              info) echo "{bin}" ;;
              build) mkdir -p {bin}/app && rm -rf {bin}/app/image_oci_layout && cp -r {layoutSource} {bin}/app/image_oci_layout ;;
              run) echo "pushed" ;;
            esac
            """).Also(p => File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [SkippableFact]
    public async Task FakeBazel_discovers_app_image_builds_its_layout_and_delegates_push_with_the_destination_flags()
    {
        using var repo = new TempDir("bazelrepo");
        File.Copy(Path.Combine(RepoPaths.Root, "MODULE.bazel"), repo.Combine("MODULE.bazel"));
        RepoPaths.Copy(Path.Combine(RepoPaths.Root, "app"), repo.Combine("app"));
        using var tools = new TempDir("fakebazel");
        var layoutSource = tools.Combine("layout");
        var digest = await WriteRulesImgLayoutAsync(layoutSource, "<h1>v1</h1>");

        var method = new BazelMethod(new BazelMethodOptions { Bazel = FakeBazel(tools, "8.4.2", layoutSource) });
        var definition = Assert.Single(await method.DiscoverAsync(repo.Path, default));
        Assert.Equal(("dashboard", "//app:image", "0.1.0", "bazel"), (definition.Name, definition.Attribute, definition.Version, definition.Method));
        Assert.Null(method.CheckToolchain(definition));

        using var work = new TempDir("bazelwork");
        var context = new BuildContext { Root = repo.Path, WorkDirectory = work.Path, Log = output.WriteLine };
        var image = await method.BuildAsync(definition, context, default);
        Assert.Equal(digest, image.Digest);
        Assert.Contains("build //app:image --output_groups=+oci_layout", File.ReadAllLines(tools.Combine("calls.log")));

        Assert.False(method.PublishesItself);
        var delegating = new BazelMethod(method.Options with { DelegatePush = true });
        Assert.True(delegating.PublishesItself);
        Assert.Contains("bazel.delegate-push=True", await delegating.ExtraInputsAsync(definition, context, default));
        await delegating.BuildAndPublishAsync(definition, context, ImageReference.Parse("127.0.0.1:5000/team/dashboard"), ["v0.1.0-abc1234", "latest"], default);
        var calls = File.ReadAllLines(tools.Combine("calls.log"));
        Assert.Contains("run //app:push --//bazel:registry=127.0.0.1:5000 --//bazel:repository=team/dashboard --//bazel:tag=v0.1.0-abc1234", calls);
        Assert.Contains("run //app:push --//bazel:registry=127.0.0.1:5000 --//bazel:repository=team/dashboard --//bazel:tag=latest", calls);
    }

    [Fact]
    public async Task Old_or_missing_bazel_is_a_toolchain_problem_with_install_instructions()
    {
        using var repo = new TempDir("bazelold");
        File.Copy(Path.Combine(RepoPaths.Root, "MODULE.bazel"), repo.Combine("MODULE.bazel"));
        RepoPaths.Copy(Path.Combine(RepoPaths.Root, "app"), repo.Combine("app"));
        using var tools = new TempDir("oldbazel");
        var old = new BazelMethod(new BazelMethodOptions { Bazel = FakeBazel(tools, "4.2.4", tools.Path) });
        var definition = Assert.Single(await old.DiscoverAsync(repo.Path, default));
        var problem = old.CheckToolchain(definition);
        Assert.NotNull(problem);
        Assert.Contains("Bazel 4.2.4", problem.Reason);
        Assert.Contains("bazelisk", problem.InstallCommand);

        var missing = new BazelMethod(new BazelMethodOptions { Bazel = tools.Combine("no-such-bazel") }).CheckToolchain(definition);
        Assert.Contains("bazel is not installed", missing!.Reason);
        await Task.CompletedTask;
    }
}

internal static class FunctionalExtensions
{
    public static T Also<T>(this T value, Action<T> action) { action(value); return value; }
}
