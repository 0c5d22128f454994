using Slipway.Source.Plan;
using Slipway.Source.Providers;
using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary>
/// Plan-level tests of the classes Railpack's examples showed: how a static site is served (busybox httpd, or Caddy for
/// a Caddyfile or an index fallback), which Node builds are static sites (SPA detection), SvelteKit's adapter-auto,
/// TanStack Start without a start script, and keeping devDependencies a start command needs.
/// </summary>
public sealed class StaticSiteTests
{
    private static readonly PackageMirrors Mirrors = new() { Npm = null };

    private static BuildPlan Detect(TempDir app, IReadOnlyDictionary<string, string>? variables = null) => new Detector(Mirrors).Detect(app.Path, variables: variables);

    private static void Package(TempDir app, string scripts, string dependencies, string devDependencies = "") =>
        app.Write("package.json", $$"""{ "name": "app", "version": "1.0.0", "scripts": { {{scripts}} }, "dependencies": { {{dependencies}} }, "devDependencies": { {{devDependencies}} } }""");

    [Fact]
    public void A_plain_static_site_is_served_by_busybox_httpd_and_answers_404_for_unknown_paths()
    {
        using var app = new TempDir("static");
        app.Write("index.html", "<h1>hi</h1>");
        var plan = Detect(app);
        Assert.Equal("busybox", plan.RuntimeBase);
        Assert.Equal("exec httpd -f -v -p ${PORT} -h /app", plan.Start);
        Assert.Null(plan.Files);
    }

    [Fact]
    public void A_Staticfile_index_fallback_is_served_by_Caddy_with_index_html_for_unknown_paths()
    {
        using var app = new TempDir("static-fallback");
        app.Write("site/index.html", "<h1>hi</h1>");
        app.Write("Staticfile", "root: site\nindex_fallback: true\n");
        var plan = Detect(app);
        Assert.Equal(StaticServer.CaddyBase, plan.RuntimeBase);
        Assert.Equal("exec caddy run --config /app/.slipway/Caddyfile --adapter caddyfile 2>&1", plan.Start);
        var caddyfile = plan.Files![StaticServer.CaddyfilePath];
        Assert.Contains("root * /app/site", caddyfile);
        Assert.Contains("try_files {path} {path}.html {path}/index.html /index.html", caddyfile);
        Assert.Contains(":{$PORT:8080}", caddyfile);
        Assert.Equal(["site"], plan.Output);
        Assert.Contains("Staticfile index_fallback", plan.DecidedBy);
        // The plan file carries the rendered Caddyfile and reads back the same.
        Assert.Equal(plan.ToJson(), BuildPlan.FromJson(plan.ToJson(), "plan.json").ToJson());
    }

    [Theory]
    [InlineData("index_fallback: maybe", "Staticfile:1: index_fallback 'maybe' must be true or false")]
    [InlineData("root: ../../etc", "static root '../../etc' is not a directory under the app")]
    [InlineData("root: [a", "Staticfile:2: not YAML")]
    public void A_bad_Staticfile_is_one_line_naming_the_file_and_the_fix(string staticfile, string expected)
    {
        using var app = new TempDir("static-bad");
        app.Write("index.html", "x");
        app.Write("Staticfile", staticfile + "\n");
        var e = Assert.Throws<StepFailure>(() => Detect(app));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_Vite_SPA_falls_back_to_index_html_by_default_and_a_Staticfile_false_keeps_busybox()
    {
        using var app = new TempDir("vite-spa");
        Package(app, "\"build\": \"vite build\"", "", "\"vite\": \"^5.0.0\"");
        app.Write("index.html", "x");
        var plan = Detect(app);
        Assert.Equal("vite (static)", plan.Framework);
        Assert.Equal(StaticServer.CaddyBase, plan.RuntimeBase);
        Assert.Contains("root * /app/dist", plan.Files![StaticServer.CaddyfilePath]);
        Assert.Contains("/index.html\n", plan.Files![StaticServer.CaddyfilePath]);
        Assert.DoesNotContain("PATH", plan.Env.Keys);

        app.Write("Staticfile", "index_fallback: false\n");
        plan = Detect(app);
        Assert.Equal("busybox", plan.RuntimeBase);
        Assert.Equal("exec httpd -f -v -p ${PORT} -h /app/dist", plan.Start);
    }

    [Fact]
    public void A_repository_Caddyfile_is_rendered_as_Railpack_renders_its_template()
    {
        using var app = new TempDir("vite-caddy");
        Package(app, "\"build\": \"vite build\"", "", "\"vite\": \"^7.1.5\"");
        app.Write("index.html", "x");
        app.Write("Caddyfile", ":{$PORT:80} {\n\troot * {{.DIST_DIR}}\n\ttry_files {path}{{if .IndexFallback}} /index.html{{else}} =404{{end}}\n\trespond /custom \"hello\"\n}\n");
        var plan = Detect(app);
        Assert.Equal(StaticServer.CaddyBase, plan.RuntimeBase);
        Assert.Equal(":{$PORT:80} {\n\troot * /app/dist\n\ttry_files {path} /index.html\n\trespond /custom \"hello\"\n}\n", plan.Files![StaticServer.CaddyfilePath]);
        Assert.Contains("Caddyfile", plan.DecidedBy);

        // Without the fallback the else branch; and a Caddyfile alone makes a plain static site use Caddy too.
        app.Write("Staticfile", "root: dist\nindex_fallback: false\n");
        Assert.Contains("try_files {path} =404", Detect(app).Files![StaticServer.CaddyfilePath]);
    }

    [Theory]
    [InlineData("root * {{.Secret}}", "Caddyfile:2: '{{.Secret}}' names no known value")]
    [InlineData("{{if .IndexFallback}}\nx", "Caddyfile: an {{if}} has no {{end}}")]
    [InlineData("{{end}}", "Caddyfile:2: {{end}} without {{if}}")]
    [InlineData("{{template \"x\"}}", "Caddyfile:2: '{{template \"x\"}}' names no known value")]
    public void A_Caddyfile_template_action_Slipway_does_not_know_is_one_line_naming_file_and_line(string body, string expected)
    {
        using var app = new TempDir("caddy-bad");
        app.Write("index.html", "x");
        app.Write("Caddyfile", ":{$PORT} {\n" + body + "\n}\n");
        var e = Assert.Throws<StepFailure>(() => Detect(app));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_Caddyfile_that_is_a_symlink_out_of_the_repository_is_refused_not_copied_into_the_image()
    {
        using var outside = new TempDir("outside");
        var secret = outside.Write("secret", "worker's secret");
        using var app = new TempDir("caddy-link");
        app.Write("index.html", "x");
        File.CreateSymbolicLink(app.Combine("Caddyfile"), secret);
        var e = Assert.Throws<StepFailure>(() => Detect(app));
        Assert.Equal("Caddyfile: is a symlink out of the repository; commit the Caddyfile itself", e.Message);
    }

    [Fact]
    public void Angular_with_ng_build_is_a_static_site_from_angular_json_and_its_ng_serve_start_is_ignored()
    {
        using var app = new TempDir("angular");
        Package(app, "\"start\": \"ng serve\", \"build\": \"ng build\"", "\"@angular/core\": \"^19.0.0\"", "\"@angular/cli\": \"^19.0.0\"");
        app.Write("angular.json", """{ "projects": { "web": { "architect": { "build": { "builder": "@angular-devkit/build-angular:application", "options": { "outputPath": "dist/web" } } } } } }""");
        var plan = Detect(app);
        Assert.Equal("angular (static)", plan.Framework);
        Assert.Equal(["dist/web/browser"], plan.Output);
        Assert.Equal(StaticServer.CaddyBase, plan.RuntimeBase);
        Assert.DoesNotContain(plan.Build, b => b.Contains("prune"));
    }

    [Theory]
    [InlineData("next", "\"build\": \"next build\", \"start\": \"next start\"", "next.config.ts", "const c = { output: \"export\" };", "out", "next export (static)")]
    [InlineData("next", "\"build\": \"next build\"", "next.config.mjs", "export default { output: 'export', distDir: 'site' }", "site", "next export (static)")]
    [InlineData("react-scripts", "\"build\": \"react-scripts build\", \"start\": \"react-scripts start\"", "x.txt", "", "build", "create-react-app (static)")]
    [InlineData("@react-router/dev", "\"build\": \"react-router build\", \"start\": \"react-router-serve ./build/server/index.js\"", "react-router.config.ts", "export default { ssr: false }", "build/client", "react-router (static)")]
    public void Client_side_builds_are_static_sites_like_Railpack_plans_them(string dependency, string scripts, string config, string configText, string output, string framework)
    {
        using var app = new TempDir("spa");
        Package(app, scripts, $"\"{dependency}\": \"1.0.0\"");
        app.Write(config, configText);
        var plan = Detect(app);
        Assert.Equal(framework, plan.Framework);
        Assert.Equal([output], plan.Output);
        Assert.Equal(StaticServer.CaddyBase, plan.RuntimeBase);
    }

    [Fact]
    public void React_Router_with_server_rendering_runs_its_start_script()
    {
        using var app = new TempDir("rr-ssr");
        Package(app, "\"build\": \"react-router build\", \"start\": \"react-router-serve ./build/server/index.js\"", "\"@react-router/serve\": \"7.0.0\"", "\"@react-router/dev\": \"7.0.0\"");
        app.Write("react-router.config.ts", "export default { ssr: true }");
        var plan = Detect(app);
        Assert.Equal("node-runtime", plan.RuntimeBase);
        Assert.Equal("react-router-serve ./build/server/index.js", plan.Start);
    }

    [Fact]
    public void SvelteKit_with_adapter_auto_builds_the_node_adapter_and_runs_node_build()
    {
        using var app = new TempDir("sveltekit");
        Package(app, "\"build\": \"vite build\"", "", "\"@sveltejs/kit\": \"^2.0.0\", \"@sveltejs/adapter-auto\": \"^3.0.0\", \"svelte\": \"^5.0.0\", \"vite\": \"^5.0.0\"");
        app.Write("vite.config.ts", "export default {}");
        var plan = Detect(app);
        Assert.Equal("sveltekit (adapter-auto: adapter-node)", plan.Framework);
        Assert.Equal("true", plan.BuildEnv["GCP_BUILDPACKS"]);
        Assert.Equal("exec node build", plan.Start);
        Assert.Equal("node-runtime", plan.RuntimeBase);
    }

    [Fact]
    public void TanStack_Start_without_a_start_script_runs_its_server_entry_with_srvx_not_a_static_site()
    {
        using var app = new TempDir("tanstack");
        Package(app, "\"build\": \"vite build\"", "\"@tanstack/react-start\": \"^1.0.0\"", "\"vite\": \"^7.0.0\"");
        app.Write("vite.config.ts", "export default {}");
        var plan = Detect(app);
        Assert.Equal("tanstack start", plan.Framework);
        Assert.Equal("exec node_modules/.bin/srvx --prod -s ../client dist/server/server.js", plan.Start);
        Assert.Equal("node-runtime", plan.RuntimeBase);
    }

    [Fact]
    public void DevDependencies_stay_when_the_start_command_runs_a_tool_only_they_bring_and_RAILPACK_PRUNE_DEPS_false_keeps_them_all()
    {
        using var app = new TempDir("prune");
        Package(app, "\"build\": \"vite build --outDir web\", \"start\": \"vite preview --port $PORT\"", "\"left-pad\": \"1.0.0\"", "\"vite\": \"^5.0.0\"");
        app.Write("package-lock.json", "{}");
        var plan = Detect(app);
        Assert.Equal("vite preview --port $PORT", plan.Start);
        var prune = Assert.Single(plan.Build, b => b.Contains("npm prune --omit=dev"));
        // The tools are checked before and after pruning; one that pruning removed makes the install run again.
        Assert.StartsWith("had=; for b in vite; do if [ -e \"node_modules/.bin/$b\" ]", prune);
        Assert.Contains("keeping devDependencies\" >&2; npm ci", prune);

        plan = Detect(app, new Dictionary<string, string> { ["RAILPACK_PRUNE_DEPS"] = "false" });
        Assert.DoesNotContain(plan.Build, b => b.Contains("prune"));
    }

    [Theory]
    [InlineData("ng serve --host 0.0.0.0", "ng")]
    [InlineData("PORT=1 exec vite preview && echo done", "vite")]
    [InlineData("npx serve -s dist", "serve")]
    [InlineData("exec node server.js", "")]
    [InlineData("node_modules/.bin/next start", "")]
    [InlineData("$(touch /tmp/x); rm -rf /", "rm")]
    public void The_tools_a_start_command_runs_are_plain_names_only(string start, string tools) =>
        Assert.Equal(tools, string.Join(',', NodeProvider.StartTools(start)));
}

/// <summary>A static site with an index fallback, built and served by Caddy for real (no build stage: no Node needed).</summary>
public sealed class StaticSiteBuildTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    [Fact]
    public async Task A_Staticfile_index_fallback_site_answers_index_html_for_unknown_paths_and_a_repository_symlink_is_not_written_through()
    {
        using var outside = new TempDir("outside");
        using var app = new TempDir("fallback-site");
        app.Write("www/index.html", "<h1>the index</h1>");
        app.Write("www/about.html", "<h1>about</h1>");
        app.Write("Staticfile", "root: www\nindex_fallback: true\n");
        // The plan writes .slipway/Caddyfile into the staged sources: a repository's .slipway symlink must not lead it out.
        Directory.CreateSymbolicLink(app.Combine(".slipway"), outside.Path);
        var outcome = await new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(app.Path, output.WriteLine), default);
        Assert.Empty(Directory.GetFileSystemEntries(outside.Path));
        Assert.Contains("<h1>the index</h1>", await ServerProbe.GetAsync(fixture, outcome.Image, output.WriteLine, "/some/client/route"));
        Assert.Contains("<h1>about</h1>", await ServerProbe.GetAsync(fixture, outcome.Image, output.WriteLine, "/about"));
    }
}
