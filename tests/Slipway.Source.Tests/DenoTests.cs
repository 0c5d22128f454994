using Slipway.Source.Plan;
using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Source.Tests;

/// <summary>The Deno provider: its plan, and an app built with Deno's official build from the npm registry.</summary>
public sealed class DenoTests(SourceFixture fixture) : IClassFixture<SourceFixture>
{
    private static readonly PackageMirrors NoRegistry = new() { Npm = null };

    [Fact]
    public void A_deno_json_app_gets_Deno_from_the_npm_registry_and_runs_its_main_or_start_task()
    {
        using var app = new TempDir("deno-plan");
        app.Write("deno.jsonc", "{ // comments\n \"imports\": {} }\n");
        app.Write(".deno-version", "2.2.2\n");
        app.Write("main.ts", "console.log(1);\n");
        var plan = new Detector(NoRegistry).Detect(app.Path);
        Assert.Equal(("deno", "node-debian", "node-official"), (plan.Provider, plan.BuildBase, plan.RuntimeBase));
        Assert.Equal(new PlanVersion("deno", "2.2.2", ".deno-version"), Assert.Single(plan.Versions));
        Assert.StartsWith("npm install --global --prefix /usr/local --no-audit --no-fund @deno/linux-x64-glibc@2.2.2 && ", Assert.Single(plan.Setup));
        Assert.Equal(["deno cache main.ts"], plan.Build);
        Assert.Equal("exec deno run --allow-all main.ts", plan.Start);
        Assert.Equal("/app/.deno", plan.Env["DENO_DIR"]);

        app.Write("deno.jsonc", """{ "tasks": { "start": "deno run -A main.ts" } }""");
        Assert.Equal("exec deno task start", new Detector(NoRegistry).Detect(app.Path).Start);
    }

    [Fact]
    public void A_deno_version_with_shell_syntax_is_one_line()
    {
        using var app = new TempDir("deno-hostile");
        app.Write(".deno-version", "2$(touch /tmp/pwned)\n");
        app.Write("main.ts", "console.log(1);\n");
        var e = Assert.Throws<StepFailure>(() => new Detector(NoRegistry).Detect(app.Path));
        Assert.StartsWith(".deno-version: '2$(touch /tmp/pwned)' is not a version or range", e.Message);
    }

    [Fact]
    public async Task A_Deno_app_builds_and_prints_its_Deno_version()
    {
        var dir = fixture.Dir.Combine("deno-app-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "deno.json"), "{}\n");
        File.WriteAllText(Path.Combine(dir, ".deno-version"), "2.2.2\n");
        File.WriteAllText(Path.Combine(dir, "main.ts"), "console.log(`Hello from Deno (deno ${Deno.version.deno})`);\n");
        var log = new List<string>();
        var outcome = await new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(dir, l => { lock (log) log.Add(l); }), CancellationToken.None);
        Assert.Contains("Hello from Deno (deno 2.2.2)", await fixture.RunAsync(outcome.Image));
    }
}
