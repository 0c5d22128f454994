using System.Collections.Concurrent;
using System.Text;
using Slipway.Oci.Content;
using Slipway.Source.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Source.Tests.Conformance;

/// <summary>
/// Railpack's example suite as conformance tests: each example classified <c>pass</c> is built by the source
/// engine, run, and checked against its test.json (expected output, HTTP checks). The selected examples all start
/// building when the first row runs, a few at a time (SLIPWAY_RAILPACK_PARALLEL, default the core count), sharing
/// the bases, the buildah storage and the package caches; each row waits for its own build.
/// By default the <c>pass</c> rows marked <c>default</c> run; SLIPWAY_RAILPACK_EXAMPLES=default runs every row marked
/// <c>default</c> whatever its status (to measure them), =all every <c>pass</c> and <c>untested</c> row, a comma list
/// those examples.
/// </summary>
public sealed class RailpackConformanceTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    /// <summary>
    /// Lines that only Railpack's own runtime prints (its newer Caddy's start lines: its static server, and FrankenPHP
    /// for PHP; busybox httpd prints none, Debian's Caddy 2.6 words them differently, PHP's own server otherwise): a
    /// case waiting only for such a line checks that GET / answers 200.
    /// </summary>
    private static readonly string[] PeerRuntimeLines = ["using config from file", "starting server loop"];
    private const string PublicNpmRegistry = "https://registry.npmjs.org/";

    /// <summary>Stands for "no example selected" (a theory needs a row): the test then says so and passes.</summary>
    private const string NoneSelected = "(none selected)";

    public static TheoryData<string> Selected()
    {
        var data = new TheoryData<string>();
        foreach (var e in SelectedExamples()) data.Add(e);
        if (data.Count == 0) data.Add(NoneSelected);
        return data;
    }

    private static IReadOnlyList<string> SelectedExamples()
    {
        var rows = RailpackExamples.Classification();
        var want = Environment.GetEnvironmentVariable("SLIPWAY_RAILPACK_EXAMPLES");
        if (want == "default") return rows.Where(r => r.Default).Select(r => r.Example).ToList();
        if (want is { Length: > 0 } && want != "all")
            return want.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
        return rows.Where(r => (r.Status == "pass" && r.Default) || (want == "all" && r.Status is "pass" or "untested")).Select(r => r.Example).ToList();
    }

    [Theory]
    [MemberData(nameof(Selected))]
    public async Task A_Railpack_example_builds_runs_and_meets_its_test_json(string example)
    {
        if (example == NoneSelected)
        {
            output.WriteLine("no example is classified pass and default; SLIPWAY_RAILPACK_EXAMPLES=default|all|NAME,... runs others");
            return;
        }
        var builds = Builds.Start(fixture, SelectedExamples());
        var cases = RailpackExamples.Cases(example);
        var checkedCases = 0;
        foreach (var c in cases)
        {
            if (c.Platform is { } p && p != "linux/amd64") { output.WriteLine($"case for {p}: this machine is linux/amd64"); continue; }
            if (c.ConfigFile is not null) { output.WriteLine($"case with configFile {c.ConfigFile}: Slipway reads railpack.json only"); continue; }
            // The case's envs are the service's variables, at build time (RAILPACK_* settings) as at run time.
            var build = await builds.Result(example, c.Envs);
            foreach (var line in build.Log.TakeLast(200)) output.WriteLine(line);
            if (c.ShouldFail) { Assert.NotNull(build.Failure); checkedCases++; continue; }
            if (build.Failure is not null) throw new Xunit.Sdk.XunitException($"{example} did not build: {build.Failure}");
            var wanted = c.ExpectedOutput.Where(w => !PeerRuntimeLines.Contains(w)).ToList();
            // A case that only waits for Railpack's static server to start: ours must serve the site's index.
            var http = c.Http ?? (wanted.Count == 0 && c.ExpectedOutput.Count > 0 ? new TestCase.HttpCheck("/", 200, []) : null);
            if (http is not null)
            {
                var (status, body, log) = await HttpAsync(build.Image!, c, http.Path);
                output.WriteLine($"GET {http.Path} → {status}: {Head(body)}");
                foreach (var l in log) output.WriteLine("  | " + l);
                Assert.Equal(http.Expected, status);
                foreach (var w in http.ExpectedOutput) Assert.Contains(w, body);
                checkedCases++;
            }
            else if (wanted.Count > 0)
            {
                var printed = await OutputAsync(build.Image!, c, wanted);
                output.WriteLine(printed);
                foreach (var w in wanted) Assert.Contains(w, printed);
                checkedCases++;
            }
        }
        Assert.True(checkedCases > 0, $"{example}: no case of its test.json applies here");
    }

    private static string Head(string s) => s.Length > 300 ? s[..300] + "…" : s;

    /// <summary>Runs the image (PORT set, the case's envs) and collects stdout and stderr until every wanted line appeared, it exits, or 3 minutes pass.</summary>
    private async Task<string> OutputAsync(OciImage image, TestCase c, IReadOnlyList<string> wanted)
    {
        var port = FreePort.Next();
        var container = await fixture.FromAsync(image);
        var printed = new StringBuilder();
        using var cts = new CancellationTokenSource();
        var run = ToolRunner.RunAsync(new ToolInvocation("buildah", RunArgs(container, image, port, c)) { OnLine = l => { lock (printed) printed.AppendLine(l); } }, cts.Token);
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!run.IsCompleted && DateTime.UtcNow < deadline)
            {
                lock (printed) if (wanted.All(w => printed.ToString().Contains(w))) break;
                await Task.WhenAny(run, Task.Delay(250));
            }
        }
        finally
        {
            cts.Cancel();
            try { await run; } catch (OperationCanceledException) { }
            ServerProbe.KillServerOn(port);
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. fixture.Storage, "rm", container]));
        }
        lock (printed) return printed.ToString();
    }

    private async Task<(int Status, string Body, IReadOnlyList<string> Log)> HttpAsync(OciImage image, TestCase c, string path)
    {
        var port = FreePort.Next();
        var container = await fixture.FromAsync(image);
        var log = new ConcurrentQueue<string>();
        using var cts = new CancellationTokenSource();
        var server = ToolRunner.RunAsync(new ToolInvocation("buildah", RunArgs(container, image, port, c)) { OnLine = log.Enqueue }, cts.Token);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            for (var attempt = 0; attempt < 480; attempt++)
            {
                if (server.IsCompleted) throw new InvalidOperationException($"the server exited: {string.Join('\n', log.TakeLast(30))}");
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
                    return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), log.TakeLast(30).ToList());
                }
                catch (HttpRequestException) { await Task.Delay(250); }
                catch (TaskCanceledException) { }
            }
            throw new TimeoutException($"nothing answered on port {port}: {string.Join('\n', log.TakeLast(30))}");
        }
        finally
        {
            cts.Cancel();
            try { await server; } catch (OperationCanceledException) { }
            ServerProbe.KillServerOn(port);
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. fixture.Storage, "rm", container]));
        }
    }

    private List<string> RunArgs(string container, OciImage image, int port, TestCase c)
    {
        var args = new List<string>(fixture.Storage) { "run", "--isolation", "chroot", "--env", $"PORT={port}" };
        foreach (var (k, v) in c.Envs) if (k != "PORT") args.AddRange(["--env", $"{k}={v}"]);
        args.Add(container);
        args.Add("--");
        args.AddRange(SourceFixture.EntrypointAndCmd(image));
        return args;
    }

    /// <summary>The builds of the selected examples, started together and run a few at a time.</summary>
    private sealed class Builds
    {
        private static Builds? started;
        private static readonly object Gate = new();
        private readonly ConcurrentDictionary<string, Lazy<Task<Outcome>>> outcomes = new();
        private readonly SemaphoreSlim slots;
        private readonly SourceFixture fixture;
        private Task bases = Task.CompletedTask;

        public sealed record Outcome(OciImage? Image, string? Failure, IReadOnlyList<string> Log);

        private Builds(SourceFixture fixture)
        {
            this.fixture = fixture;
            var parallel = int.TryParse(Environment.GetEnvironmentVariable("SLIPWAY_RAILPACK_PARALLEL"), out var p) && p > 0 ? p : Math.Max(1, Environment.ProcessorCount);
            slots = new SemaphoreSlim(parallel);
        }

        public static Builds Start(SourceFixture fixture, IReadOnlyList<string> examples)
        {
            lock (Gate)
            {
                if (started is null)
                {
                    started = new Builds(fixture);
                    // The bases every selected example's plan names, built once up front (one base lock, one shared
                    // minbase) instead of by each build in turn.
                    var names = new SortedSet<string>(StringComparer.Ordinal);
                    foreach (var e in examples)
                        try
                        {
                            var plan = new Slipway.Source.Plan.Detector(fixture.Options.Mirrors).Detect(Path.Combine(RailpackExamples.Root, e));
                            names.Add(plan.RuntimeBase);
                            if (plan.BuildBase is { } b) names.Add(b);
                        }
                        catch (StepFailure) { } // the build reports it
                    started.bases = fixture.BasesAsync([.. names]);
                    foreach (var e in examples)
                        try { _ = started.Result(e, RailpackExamples.Cases(e).FirstOrDefault()?.Envs ?? new Dictionary<string, string>()); }
                        catch (Exception) { } // a test.json that does not parse: the row reports it
                }
                return started;
            }
        }

        /// <summary>The build of an example with a case's envs as its variables (cases with the same envs share one build).</summary>
        public Task<Outcome> Result(string example, IReadOnlyDictionary<string, string> envs)
        {
            var key = example + "\n" + string.Join("\n", envs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
            return outcomes.GetOrAdd(key, _ => new Lazy<Task<Outcome>>(() => Task.Run(() => BuildAsync(example, envs)))).Value;
        }

        private async Task<Outcome> BuildAsync(string example, IReadOnlyDictionary<string, string> envs)
        {
            try { await bases; } catch (Exception) { } // a base that could not be made: each build that needs it reports it
            await slots.WaitAsync();
            var log = new List<string>();
            void Log(string l) { lock (log) log.Add(l); }
            // Under the fixture's directory (removed when the class ends): the image's blobs may refer to files of the build.
            var dir = Copy(example, fixture.Dir.Combine("example-" + example + "-" + Guid.NewGuid().ToString("N")[..6]), fixture.Options.Mirrors.Npm);
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(25));
                var request = fixture.Request(dir, Log) with { IgnoreDockerfile = true, Variables = envs };
                var started = DateTime.UtcNow;
                var outcome = await new SourceImageBuilder(fixture.Options).BuildAsync(request, cts.Token);
                Log($"built {example} in {(DateTime.UtcNow - started).TotalSeconds:F0} s: {outcome.Method}");
                return new Outcome(outcome.Image, null, log);
            }
            catch (Exception e) when (e is StepFailure or OperationCanceledException or ToolException)
            {
                Log(e.ToString());
                return new Outcome(null, e.Message.Split('\n')[0], log);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>A copy of an example; a lockfile's public npm registry URL becomes the configured one (never committed with a machine's host).</summary>
    public static string Copy(string example, string dir, string? npmRegistry)
    {
        var source = Path.Combine(RailpackExamples.Root, example);
        foreach (var f in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(source, f);
            var dest = Path.Combine(dir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            var name = Path.GetFileName(f);
            if (npmRegistry is { Length: > 0 } && npmRegistry != PublicNpmRegistry && name is "package-lock.json" or "npm-shrinkwrap.json" or "yarn.lock" or "pnpm-lock.yaml" or "bun.lock")
                File.WriteAllText(dest, File.ReadAllText(f).Replace(PublicNpmRegistry, npmRegistry.TrimEnd('/') + "/").Replace("https://registry.yarnpkg.com/", npmRegistry.TrimEnd('/') + "/"));
            else
                File.Copy(f, dest);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dest, File.GetUnixFileMode(f));
        }
        return dir;
    }
}

/// <summary>The classification covers every example, and docs/source.md carries the table generated from it.</summary>
public sealed class RailpackClassificationTests
{
    [Fact]
    public void Every_example_has_exactly_one_classification_row_with_a_reason()
    {
        var rows = RailpackExamples.Classification();
        Assert.Equal(RailpackExamples.Examples, rows.Select(r => r.Example).Order(StringComparer.Ordinal).ToList());
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason), $"{r.Example}: a reason is required"));
    }

    [Fact]
    public void The_docs_table_is_the_one_generated_from_the_classification()
    {
        var docs = File.ReadAllText(RailpackExamples.DocsFile);
        var begin = docs.IndexOf(RailpackExamples.BeginMarker, StringComparison.Ordinal);
        var end = docs.IndexOf(RailpackExamples.EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/source.md lacks the markers {RailpackExamples.BeginMarker} … {RailpackExamples.EndMarker}");
        var current = docs[(begin + RailpackExamples.BeginMarker.Length)..end].Trim('\n');
        var generated = RailpackExamples.Table().Trim('\n');
        if (current != generated && Environment.GetEnvironmentVariable("SLIPWAY_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(RailpackExamples.DocsFile, docs[..(begin + RailpackExamples.BeginMarker.Length)] + "\n" + generated + "\n" + docs[end..]);
            return;
        }
        Assert.True(current == generated, "docs/source.md's Railpack conformance table is stale: run this test with SLIPWAY_UPDATE_DOCS=1 and commit docs/source.md");
    }
}
