using System.IO.Compression;
using System.Text;
using Slipway.Source.Plan;
using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Source.Tests;

/// <summary>railpack.json's own steps (commands, file copies, PATH, variables) in the plan, and the service's variables as build secrets.</summary>
public sealed class RailpackStepTests
{
    private static readonly PackageMirrors Mirrors = new() { Npm = null };

    [Fact]
    public void Custom_steps_run_after_the_build_in_file_order_with_copies_paths_and_variables_quoted()
    {
        using var app = new TempDir("railpack-steps");
        app.Write("run.sh", "echo hi\n");
        Directory.CreateDirectory(Path.Combine(app.Path, "conf"));
        app.Write("conf/a.txt", "a\n");
        app.Write("railpack.json", """
            {
              "secrets": ["MY_SECRET"],
              "steps": {
                "first": {
                  "commands": [{ "src": ".", "dest": "." }, "./run.sh", { "src": "conf", "dest": "/etc/my app" }],
                  "secrets": ["MY_SECRET"],
                  "variables": { "NOT_SECRET": "not secret" }
                },
                "second": { "commands": [{ "path": "/usr/games" }, "cowsay hi", { "cmd": "echo done" }] }
              },
              "deploy": { "startCommand": "./run.sh" }
            }
            """);
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal("config", plan.Provider);
        Assert.Equal("debian", plan.BuildBase);
        Assert.Equal([
            "./run.sh",
            "mkdir -p -- /etc && cp -a -- conf/. '/etc/my app'",
            "export PATH=/usr/games:\"$PATH\"; cowsay hi",
            "export PATH=/usr/games:\"$PATH\"; echo done",
        ], plan.Build);
        Assert.Equal("not secret", plan.BuildEnv["NOT_SECRET"]);
        Assert.Equal("not secret", plan.Env["NOT_SECRET"]);
        Assert.Contains("railpack.json secrets", plan.DecidedBy);
        Assert.Contains("railpack.json steps.first.commands", plan.DecidedBy);
    }

    [Theory]
    [InlineData("""{ "src": "../../etc/passwd", "dest": "x" }""", "src '../../etc/passwd' must be a path inside the app")]
    [InlineData("""{ "src": "/etc/passwd", "dest": "x" }""", "src '/etc/passwd' must be a path inside the app")]
    [InlineData("""{ "src": "a", "dest": "../x" }""", "dest '../x' must be a path without ..")]
    [InlineData("""{ "src": "a\u0000b", "dest": "x" }""", "must be a path inside the app")]
    [InlineData("""{ "image": "macabees/neofetch", "src": "/usr/bin/neofetch" }""", "a copy from an image is not supported")]
    [InlineData("""{ "path": "usr/games" }""", "must be an absolute directory")]
    [InlineData("""{ "name": "x", "path": "/x" }""", "not a command this builder runs")]
    public void A_bad_step_command_is_one_line_naming_it(string command, string expected)
    {
        using var app = new TempDir("railpack-bad-step");
        app.Write("railpack.json", $$"""{ "steps": { "s": { "commands": [{{command}}] } }, "deploy": { "startCommand": "true" } }""");
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\0', e.Message);
        Assert.StartsWith("railpack.json steps.s.commands[0]: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_copy_with_shell_syntax_in_its_paths_stays_quoted()
    {
        using var app = new TempDir("railpack-copy-quoted");
        app.Write("railpack.json", """{ "steps": { "s": { "commands": [{ "src": "a$(touch x)", "dest": "b;rm -rf /" }] } }, "deploy": { "startCommand": "true" } }""");
        var plan = new Detector(Mirrors).Detect(app.Path);
        Assert.Equal("mkdir -p -- . && cp -a -- 'a$(touch x)' 'b;rm -rf '", Assert.Single(plan.Build));
    }

    [Fact]
    public void Steps_that_are_not_step_objects_are_refused_as_Railpack_does()
    {
        using var app = new TempDir("railpack-invalid");
        app.Write("railpack.json", """{ "steps": { "commands": ["npm install"] } }""");
        app.Write("start.sh", "echo hi\n");
        var e = Assert.Throws<StepFailure>(() => new Detector(Mirrors).Detect(app.Path));
        Assert.StartsWith("railpack.json steps.commands: must be a step object", e.Message);
    }
}

/// <summary>The service's variables reach every build step as secrets, and never the log, argv, the image config or a layer.</summary>
public sealed class BuildSecretTests(SourceFixture fixture) : IClassFixture<SourceFixture>
{
    [Fact]
    public async Task A_step_reads_the_services_secret_which_stays_out_of_the_log_the_config_and_every_layer()
    {
        const string secret = "s3cret-value-4711";
        var dir = fixture.Dir.Combine("secret-app-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "railpack.json"), """
            {
              "secrets": ["MY_SECRET"],
              "steps": { "check": { "commands": ["test \"${MY_SECRET%-4711}\" = s3cret-value && echo \"checked $MY_SECRET\" && echo ok > built.txt"] } },
              "deploy": { "startCommand": "cat built.txt" }
            }
            """);
        var log = new List<string>();
        await fixture.BasesAsync("debian");
        var request = fixture.Request(dir, l => { lock (log) log.Add(l); }) with { Variables = new Dictionary<string, string> { ["MY_SECRET"] = secret, ["bad name"] = "x" } };
        var outcome = await new SourceImageBuilder(fixture.Options).BuildAsync(request, CancellationToken.None);

        // The step saw it (it wrote built.txt only when the value matched; the app's files never hold the whole value) and printed it: masked.
        Assert.Contains(log, l => l.Contains("checked " + Secrets.Mask));
        Assert.DoesNotContain(log, l => l.Contains(secret));
        Assert.Contains(log, l => l.Contains("variable 'bad name' is not given to the build"));
        Assert.Equal("ok", (await fixture.RunAsync(outcome.Image)).Trim());
        var config = SourceFixture.Config(outcome.Image);
        Assert.DoesNotContain(config.Config!.Env!, e => e.Contains(secret));
        Assert.DoesNotContain(config.Config!.Env!, e => e.StartsWith("MY_SECRET=", StringComparison.Ordinal));
        foreach (var layer in outcome.Image.Layers)
        {
            await using var s = await layer.OpenReadAsync(CancellationToken.None);
            await using var gz = new GZipStream(s, CompressionMode.Decompress);
            using var m = new MemoryStream();
            await gz.CopyToAsync(m);
            Assert.DoesNotContain(secret, Encoding.Latin1.GetString(m.ToArray()));
        }
    }
}
