using System.Diagnostics;
using Slipway.Builder.Tests.Support;

namespace Slipway.Builder.Tests;

/// <summary>slipway-builder's command line (System.CommandLine): help everywhere, one stream per answer, clear refusals.</summary>
public sealed class CliHelpTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => BuilderProcess.RunToEndAsync(args);

    [Fact]
    public async Task Builder_help_lists_the_verbs_on_stdout_with_exit_0()
    {
        foreach (var help in new[] { "--help", "-h", "help" })
        {
            var (exit, stdout, stderr) = await RunAsync("builder", help);
            Assert.Equal(0, exit);
            Assert.Empty(stderr);
            foreach (var verb in new[] { "builder run", "builder serve", "builder submit", "builder versions", "builder rollback", "builder job" })
                Assert.Contains(verb, stdout);
        }
        var bare = await RunAsync("builder");
        Assert.Equal((2, ""), (bare.Exit, bare.Out)); // not asked for: the usage goes to stderr
        Assert.Contains("builder run", bare.Err);
    }

    [Theory]
    [InlineData("builder run", "--registry VALUE", "BUILDER_REGISTRY", "BUILD_JOB_ID")]
    [InlineData("builder serve", "--amqp VALUE", "BUILDER_AMQP", "GITHUB_SERVER_URL")]
    [InlineData("builder submit", "--amqp VALUE", "BUILDER_AMQP", "BUILDER_QUEUE")]
    [InlineData("builder versions", "--postgres VALUE", "BUILDER_POSTGRES", "BUILDER_POSTGRES")]
    [InlineData("builder rollback", "--registry VALUE", "BUILDER_REGISTRY", "BUILDER_POSTGRES")]
    [InlineData("builder job", "--dry-run ", "on/off", "GITHUB_TOKEN")]
    [InlineData("builder job", "--seccomp-profile VALUE", "--registry-network VALUE", "--denied-egress VALUE")]
    [InlineData("builder serve", "--allow-local-repos ", "on/off", "BUILDER_STEP_SANDBOX")]
    [InlineData("builder serve", "--api-token-file VALUE", "--deny-network VALUE", "BUILDER_GIT_TOKEN_HOSTS")]
    [InlineData("builder run", "--postgres-file VALUE", "--step-sandbox VALUE", "BUILDER_ALLOW_HTTP_GIT_HOSTS")]
    [InlineData("build-source", "--ignore-dockerfile ", "on/off", "--output VALUE")]
    public async Task Every_verb_answers_help_with_its_flags_and_variables(string verb, string flag, string text, string variable)
    {
        var (exit, stdout, stderr) = await RunAsync([.. verb.Split(' '), "--help"]);
        Assert.True(exit == 0, stderr);
        Assert.Empty(stderr);
        Assert.StartsWith($"usage: slipway {verb}", stdout);
        Assert.Contains(flag, stdout);
        Assert.Contains(text, stdout);
        Assert.Contains(variable, stdout);
    }

    [Fact]
    public async Task An_unknown_flag_is_one_line_on_stderr_listing_the_valid_ones()
    {
        var (exit, stdout, stderr) = await RunAsync("builder", "serve", "--amqp", "amqp://x", "--wokers", "2");
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.StartsWith("slipway: unknown option '--wokers'; valid options: --", stderr);
        Assert.Contains("--amqp, ", stderr);
        Assert.Contains("--executor", stderr);
        Assert.Contains("--workers", stderr);
        foreach (var flag in new[] { "--api-token-file", "--step-sandbox", "--deny-network", "--allow-local-repos", "--insecure-registry" })
            Assert.Contains(flag, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Switches_need_no_value_and_double_dash_ends_the_options()
    {
        // --dry-run is a switch: the next word is not its value; --dry-run=false turns it off.
        var on = await RunAsync("builder", "job", "--dry-run", "--build-job-id", "b1", "--repo-clone-url", "https://g.test/a.git", "--image-tag", "r.test/a:1", "--image", "b:1");
        Assert.True(on.Exit == 0, on.Err);
        Assert.Contains("kind: Job", on.Out);
        var off = await RunAsync("builder", "job", "--dry-run=false", "--build-job-id", "b1", "--repo-clone-url", "https://g.test/a.git", "--image-tag", "r.test/a:1", "--image", "b:1");
        Assert.Equal(2, off.Exit);
        Assert.Contains("add --dry-run", off.Err);
        // The dind variant was removed (i17-sandbox): asking for it is one line saying why, not an unknown option.
        var dind = await RunAsync("builder", "job", "--dind", "--dry-run", "--build-job-id", "b1", "--repo-clone-url", "https://g.test/a.git", "--image-tag", "r.test/a:1", "--image", "b:1");
        Assert.Equal(2, dind.Exit);
        Assert.Contains("--dind was removed", dind.Err);
        Assert.Single(dind.Err.Trim().Split('\n'));
        // After --, words that look like flags are arguments (here: too many of them, so the usage line says so).
        var (exit, _, stderr) = await RunAsync("builder", "versions", "--postgres", "Host=127.0.0.1", "--", "--help", "tenant", "service");
        Assert.Equal(2, exit);
        Assert.Contains("usage: slipway builder versions", stderr);
        // A value that starts with '-' belongs to its flag.
        var value = await RunAsync("detect", "--build-command", "-x", "--help");
        Assert.Equal(0, value.Exit);
    }
}
