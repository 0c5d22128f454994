using System.Text.Json;
using Slipway.Builder.Model;
using Slipway.Builder.Queue;
using Slipway.Builder.Tests.Support;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

/// <summary>The service's RAILPACK_*/NIXPACKS_* settings reach the source engine from a queue request and from the builder container's environment.</summary>
public sealed class PeerVariableTests
{
    private static string Request(object variables) => JsonSerializer.Serialize(new { id = "pv1", repo = "https://github.com/o/r.git", tenant = "t", service = "s", variables });

    [Fact]
    public void A_requests_variables_become_the_spec_and_the_Jobs_environment_and_back()
    {
        var spec = BuildRequest.Parse(System.Text.Encoding.UTF8.GetBytes(Request(new Dictionary<string, string> { ["RAILPACK_NODE_VERSION"] = "22", ["NIXPACKS_START_CMD"] = "node x.js" }))).ToSpec(1, null, null);
        Assert.Equal("22", spec.Variables!["RAILPACK_NODE_VERSION"]);
        var env = BuildSpecEnvironment.ToEnvironment(spec);
        Assert.Equal("node x.js", env["NIXPACKS_START_CMD"]);
        var again = BuildSpecEnvironment.FromEnvironment(n => env.GetValueOrDefault(n), null, [.. env.Keys, "PATH"]);
        Assert.Equal(spec.Variables, again.Variables);
    }

    [Fact]
    public void The_environments_RAILPACK_settings_go_into_the_Kubernetes_Job()
    {
        var yaml = Slipway.Builder.Cli.Commands.BuilderJobCommand.Render(
            ["--dry-run", "--build-job-id", "b1", "--repo-clone-url", "https://git.test/a/b.git", "--tenant", "acme", "--service", "web", "--image", "builder:1"],
            [new("RAILPACK_NODE_VERSION", "22"), new("BUILDER_GIT_TOKEN_HOSTS", "git.test"), new("UNRELATED", "x")]);
        Assert.Contains("name: RAILPACK_NODE_VERSION", yaml);
        Assert.DoesNotContain("UNRELATED", yaml);
    }

    [Theory]
    [InlineData("DATABASE_URL", "x", "'DATABASE_URL' is not a RAILPACK_* or NIXPACKS_* setting")]
    [InlineData("RAILPACK_X;rm -rf /", "x", "is not a RAILPACK_* or NIXPACKS_* setting")]
    [InlineData("RAILPACK_START_CMD", "a\u0000b", "RAILPACK_START_CMD: the value must be at most 4096 characters without NUL")]
    public void A_bad_variable_in_a_request_is_one_line(string name, string value, string expected)
    {
        var request = BuildRequest.Parse(System.Text.Encoding.UTF8.GetBytes(Request(new Dictionary<string, string> { [name] = value })));
        var e = Assert.Throws<StepFailure>(() => request.ToSpec(1, null, null));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\0', e.Message);
        Assert.Contains("variables: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task The_builder_containers_RAILPACK_START_CMD_sets_the_images_start()
    {
        HostTools.Require("buildah");
        using var repo = new TestGitRepo(prefix: "peer-vars-app");
        repo.Write("start.sh", "echo from start.sh\n");
        var commit = repo.Commit("app", TestGitRepo.DefaultDate);
        using var work = new TempDir("peer-vars-work");
        var layout = work.Combine("out");
        await using var run = BuilderProcess.Start(["builder", "run", "--allow-local-repos"], new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = "peer-vars-1",
            ["REPO_CLONE_URL"] = "file://" + repo.Root,
            ["REPO_REF"] = commit,
            ["IMAGE_TAG"] = $"oci:{layout}:1",
            ["BUILDER_WORK_DIR"] = work.Path,
            ["RAILPACK_START_CMD"] = "echo from railpack",
        });
        var exit = await run.WaitAsync(TimeSpan.FromMinutes(15));
        Assert.True(exit == 0, run.AllOutput);
        var image = OciLayout.Open(layout).ReadImage("1");
        await using var s = await image.Config.OpenReadAsync(CancellationToken.None);
        using var m = new MemoryStream();
        await s.CopyToAsync(m);
        var config = Slipway.Oci.Model.OciJson.Deserialize<ImageConfig>(m.ToArray(), "config");
        Assert.Equal(["echo from railpack"], config.Config!.Cmd!);
    }
}
