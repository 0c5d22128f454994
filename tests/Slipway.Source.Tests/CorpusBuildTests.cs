using Slipway.Source.Tests.Support;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary>
/// Each corpus app built with buildah from its detected plan, then run: an HTTP request (or its stdout) gives the
/// expected answer. Dependencies come from the npm registry; Debian-package bases are built on first use.
/// </summary>
public sealed class CorpusBuildTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    [Theory]
    [InlineData("static-site", "hello from static-site")]
    [InlineData("python-stdlib", "hello from python-stdlib")]
    [InlineData("go-stdlib", "hello from go-stdlib")]
    [InlineData("node-npm", "hello from node-npm, a day is 86400000 ms")]
    [InlineData("node-pnpm", "hello from node-pnpm, a day is 86400000 ms")]
    [InlineData("node-yarn1", "hello from node-yarn1, a day is 86400000 ms")]
    [InlineData("node-yarn4", "hello from node-yarn4, a day is 86400000 ms")]
    [InlineData("node-bun", "hello from node-bun, a day is 86400000 ms")]
    [InlineData("node-workspace", "hello from node-workspace, a day is 86400000 ms")]
    [InlineData("node-vite", "hello from node-vite")]
    [InlineData("node-next", "hello from node-next, rendered at request time")]
    [InlineData("rust-std", "hello from rust-std")]
    [InlineData("dotnet-webapi", "hello from dotnet-webapi on .NET 10")]
    public async Task A_corpus_web_app_builds_and_answers_over_HTTP(string app, string expected)
    {
        using var dir = Corpus.Copy(app);
        var outcome = await new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(dir.Path, output.WriteLine), default);
        output.WriteLine($"{app}: {outcome.Method} {outcome.Image.Digest}, {outcome.Image.Layers.Count} layers");
        var config = SourceFixture.Config(outcome.Image).Config!;
        Assert.Equal("1000:1000", config.User);
        var body = await ServerProbe.GetAsync(fixture, outcome.Image, output.WriteLine);
        if (app == "node-vite")
        {
            // The SPA's index.html names the bundled script; the bundle holds the text.
            var script = System.Text.RegularExpressions.Regex.Match(body, @"src=""(/assets/[^""]+\.js)""").Groups[1].Value;
            Assert.NotEmpty(script);
            // A client-side route answers the index (Caddy's index fallback, as Railpack serves SPAs).
            Assert.Contains(script, await ServerProbe.GetAsync(fixture, outcome.Image, output.WriteLine, "/client/side/route"));
            body = await ServerProbe.GetAsync(fixture, outcome.Image, output.WriteLine, script);
        }
        if (app == "node-next")
        {
            // The standalone server also serves public/ (copied next to it by the build).
            Assert.Contains("hello from node-next's public folder", await ServerProbe.GetAsync(fixture, outcome.Image, output.WriteLine, "/hello.txt"));
        }
        Assert.Contains(expected, body);
    }

    [Theory]
    [InlineData("go-cmd", "hello from go-cmd")]
    [InlineData("shell", "hello from shell on port 8080")]
    [InlineData("procfile", "hello from procfile")]
    [InlineData("rust-workspace", "hello from rust-workspace")]
    [InlineData("rust-vendored", "hello from rust-vendored!")]
    [InlineData("dotnet-console", "hello from dotnet-console")]
    public async Task A_corpus_command_app_builds_and_prints_its_answer(string app, string expected)
    {
        using var dir = Corpus.Copy(app);
        var outcome = await new SourceImageBuilder(fixture.Options).BuildAsync(fixture.Request(dir.Path, output.WriteLine), default);
        Assert.Equal(expected, (await fixture.RunAsync(outcome.Image)).Trim());
    }

    [Theory]
    [InlineData("go-stdlib")]
    [InlineData("node-npm")]
    public async Task The_same_source_gives_the_same_digest_and_a_source_change_changes_only_the_app_layer(string app)
    {
        using var dir = Corpus.Copy(app);
        var builder = new SourceImageBuilder(fixture.Options);
        var first = await builder.BuildAsync(fixture.Request(dir.Path, output.WriteLine), default);
        var second = await builder.BuildAsync(fixture.Request(dir.Path, output.WriteLine), default);
        Assert.Equal(first.Image.Digest, second.Image.Digest);

        var source = Directory.GetFiles(dir.Path).First(f => f.EndsWith(".go") || f.EndsWith("server.js"));
        File.WriteAllText(source, File.ReadAllText(source).Replace("hello from", "hi from"));
        var changed = await builder.BuildAsync(fixture.Request(dir.Path, output.WriteLine), default);
        var before = first.Image.Manifest.Layers.Select(l => l.Digest).ToList();
        var after = changed.Image.Manifest.Layers.Select(l => l.Digest).ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before[..^1], after[..^1]);
        Assert.NotEqual(before[^1], after[^1]);
    }

    [Fact]
    public async Task An_unchanged_lockfile_with_nothing_to_build_rebuilds_without_a_build_container_to_the_same_image()
    {
        using var dir = Corpus.Copy("node-npm");
        // No earlier entry: the first build runs the install in a build container and stores the dependency layer.
        var cache = Path.Combine(fixture.Options.BaseDirectory, "caches", "dependency-layers");
        if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        var builder = new SourceImageBuilder(fixture.Options);
        var log = new List<string>();
        void Log(string line) { lock (log) log.Add(line); output.WriteLine(line); }

        var first = await builder.BuildAsync(fixture.Request(dir.Path, Log), default);
        Assert.DoesNotContain(log, l => l.Contains("no build container"));
        log.Clear();
        var second = await builder.BuildAsync(fixture.Request(dir.Path, Log), default);
        Assert.Contains(log, l => l.Contains("no build container"));
        Assert.DoesNotContain(log, l => l.StartsWith("[install] npm", StringComparison.Ordinal));
        // The app layer written from the sources equals the one written from the build container.
        Assert.Equal(first.Image.Digest, second.Image.Digest);

        // A later commit (another source date) with the same lockfile keeps the dependency layer: only the app layer changes.
        var later = await builder.BuildAsync(fixture.Request(dir.Path, Log) with { SourceDate = SourceFixture.SourceDate.AddDays(1) }, default);
        var before = first.Image.Manifest.Layers.Select(l => l.Digest).ToList();
        var after = later.Image.Manifest.Layers.Select(l => l.Digest).ToList();
        Assert.Equal(before[..^1], after[..^1]);
        Assert.NotEqual(before[^1], after[^1]);
        Assert.Contains("hello from node-npm, a day is 86400000 ms", await ServerProbe.GetAsync(fixture, later.Image, output.WriteLine));
    }

    [Fact]
    public async Task A_Python_dependency_without_a_PyPI_index_fails_with_one_line_naming_the_registry_and_the_dependency()
    {
        using var dir = Corpus.Copy("python-flask");
        var options = fixture.Options with { Mirrors = new PackageMirrors { PyPI = null } };
        var e = await Assert.ThrowsAsync<StepFailure>(() => new SourceImageBuilder(options).BuildAsync(fixture.Request(dir.Path, output.WriteLine), default));
        output.WriteLine(e.Message);
        Assert.Equal("install", e.Step);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("'flask==3.0.0' needs the PyPI index", e.Message);
    }

    [Fact]
    public async Task A_Go_module_without_a_module_proxy_fails_with_one_line_and_a_vendored_one_would_build()
    {
        using var dir = Corpus.Copy("go-deps");
        var options = fixture.Options with { Mirrors = new PackageMirrors { GoProxy = null } };
        var e = await Assert.ThrowsAsync<StepFailure>(() => new SourceImageBuilder(options).BuildAsync(fixture.Request(dir.Path, output.WriteLine), default));
        Assert.Contains("'github.com/google/uuid' needs the Go module proxy", e.Message);
        Assert.Contains("go mod vendor", e.Message);
    }

    [Fact]
    public async Task A_Rust_crate_without_a_crates_registry_fails_with_one_line_and_names_cargo_vendor()
    {
        using var dir = Corpus.Copy("rust-deps");
        var options = fixture.Options with { Mirrors = new PackageMirrors { Crates = null } };
        var e = await Assert.ThrowsAsync<StepFailure>(() => new SourceImageBuilder(options).BuildAsync(fixture.Request(dir.Path, output.WriteLine), default));
        output.WriteLine(e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("'itoa' needs the crates.io registry", e.Message);
        Assert.Contains("cargo vendor", e.Message);
    }

    [Fact]
    public async Task An_unreachable_npm_registry_is_one_transient_line_naming_it()
    {
        using var dir = Corpus.Copy("node-npm");
        File.AppendAllText(Path.Combine(dir.Path, "server.js"), "// unreachable-registry variant\n");
        var unreachable = $"http://127.0.0.1:{Slipway.Testing.FreePort.Next()}/";
        var options = fixture.Options with { Mirrors = new PackageMirrors { Npm = unreachable } };
        // A distinct dependency file so no cached install is reused.
        File.WriteAllText(Path.Combine(dir.Path, ".npmrc"), "fetch-retries=0\n");
        var e = await Assert.ThrowsAsync<StepFailure>(() => new SourceImageBuilder(options).BuildAsync(fixture.Request(dir.Path, output.WriteLine), default));
        output.WriteLine(e.Message);
        Assert.Equal(FailureClass.Transient, e.Class);
        Assert.Contains($"npm registry {unreachable} is unreachable", e.Message);
    }

    [Fact]
    public async Task A_failing_build_step_names_the_step_and_carries_its_last_lines()
    {
        using var dir = Corpus.Copy("static-site");
        var e = await Assert.ThrowsAsync<StepFailure>(() => new SourceImageBuilder(fixture.Options).BuildAsync(
            fixture.Request(dir.Path, output.WriteLine) with { BuildCommand = "echo compiling; echo broken >&2; exit 7" }, default));
        Assert.Equal("build", e.Step);
        Assert.Contains("`echo compiling; echo broken >&2; exit 7` failed with exit code 7", e.Message);
        Assert.Contains(e.LogTail, l => l.Contains("broken"));
    }
}
