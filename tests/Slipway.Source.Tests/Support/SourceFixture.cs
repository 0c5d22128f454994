using Slipway.Images.BaseImages;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Source.Tests.Support;

/// <summary>
/// Shared by the real-build tests: a private buildah storage root (removed at the end) and the source engine's
/// bases. Debian-package bases take minutes to debootstrap, so they are kept in the engine's own base cache
/// (SLIPWAY_SOURCE_BASES or ~/.cache/slipway/source-bases) and rebuilt only when their inputs change.
/// </summary>
public sealed partial class SourceFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset SourceDate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    public TempDir Dir { get; } = new("srcfx");
    /// <summary>
    /// Kept between runs like the base cache (pulling a toolchain base into fresh vfs storage costs minutes on a
    /// loaded machine); SLIPWAY_TEST_BUILDAH_ROOT moves it. Containers are removed after each use.
    /// </summary>
    public string BuildahRoot { get; } = Environment.GetEnvironmentVariable("SLIPWAY_TEST_BUILDAH_ROOT") is { Length: > 0 } r ? r : "/var/tmp/slipway-source-tests-buildah";
    public string[] Storage => ["--storage-driver", "vfs", "--root", BuildahRoot, "--runroot", BuildahRoot + "-run"];

    public SourceBuilderOptions Options => new() { BuildahRoot = BuildahRoot };

    /// <summary>How many cached install images (localhost/slipway-source-deps:*) the storage keeps, newest first (SLIPWAY_TEST_KEEP_DEPS_IMAGES).</summary>
    public static int KeepDepsImages => int.TryParse(Environment.GetEnvironmentVariable("SLIPWAY_TEST_KEEP_DEPS_IMAGES"), out var n) && n >= 0 ? n : 30;

    /// <summary>
    /// The kept storage grows with every changed lockfile or plan (vfs stores each image as a full copy of its root
    /// filesystem: 0.3–1 GB each): the oldest install images beyond <see cref="KeepDepsImages"/> are removed (one in
    /// use by a running build stays).
    /// </summary>
    public async Task InitializeAsync()
    {
        var deps = (await ImagesAsync()).Where(i => i.Names.Any(n => n.StartsWith("localhost/slipway-source-deps:", StringComparison.Ordinal)))
            .OrderByDescending(i => i.Created).Skip(KeepDepsImages).ToList();
        foreach (var image in deps) await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. Storage, "rmi", image.Id]));
        // Run images of fixtures that are gone (a killed test run never disposed its fixture).
        var orphans = (await ImagesAsync()).SelectMany(i => i.Names).Where(n => RunImage().Match(n) is { Success: true } m && !Directory.Exists(m.Groups[1].Value));
        foreach (var name in orphans) await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. Storage, "rmi", name]));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^localhost(/.+/srcfx-[0-9a-f]+)/run-[0-9a-f]+:[^:/]+$")]
    private static partial System.Text.RegularExpressions.Regex RunImage();

    private sealed record StoredImage(string Id, IReadOnlyList<string> Names, string Created);

    private async Task<IReadOnlyList<StoredImage>> ImagesAsync()
    {
        if (!Directory.Exists(BuildahRoot)) return [];
        var run = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. Storage, "images", "--json"]) { CaptureStandardOutput = true });
        if (run.ExitCode != 0 || string.IsNullOrWhiteSpace(run.StandardOutput)) return [];
        using var doc = System.Text.Json.JsonDocument.Parse(run.StandardOutput);
        return doc.RootElement.EnumerateArray().Select(e => new StoredImage(
            e.GetProperty("id").GetString()!,
            e.TryGetProperty("names", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.Array ? n.EnumerateArray().Select(x => x.GetString()!).ToList() : [],
            e.TryGetProperty("createdatraw", out var c) ? c.GetString() ?? "" : "")).ToList();
    }

    /// <summary>Builds (or finds up to date) the named source bases.</summary>
    public async Task BasesAsync(params string[] names)
    {
        var catalog = SourceBases.Catalog(Options.BaseDirectory);
        await new BaseImageBuilder(catalog).BuildAllAsync(names, new BaseImageBuildOptions(), default);
    }

    public SourceBuildRequest Request(string dir, Action<string> log) => new()
    {
        Directory = dir,
        WorkDirectory = System.IO.Path.Combine(Dir.Path, "work-" + Guid.NewGuid().ToString("N")[..8]),
        SourceDate = SourceDate,
        Log = log,
    };

    /// <summary>Publishes the image to a layout and runs its entrypoint+cmd (or <paramref name="command"/>) with buildah; returns stdout.</summary>
    public async Task<string> RunAsync(OciImage image, IReadOnlyList<string>? command = null, IReadOnlyList<string>? env = null)
    {
        var container = await FromAsync(image);
        try
        {
            var args = new List<string>(Storage) { "run", "--isolation", "chroot" };
            foreach (var e in env ?? []) args.AddRange(["--env", e]);
            args.Add(container);
            args.Add("--");
            args.AddRange(command ?? EntrypointAndCmd(image));
            var run = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", args) { CaptureStandardOutput = true });
            return run.StandardOutput;
        }
        finally
        {
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. Storage, "rm", container]));
        }
    }

    public static IReadOnlyList<string> EntrypointAndCmd(OciImage image)
    {
        var config = OciJson.Deserialize<ImageConfig>(ReadAll(image.Config), "config").Config;
        return [.. config?.Entrypoint ?? [], .. config?.Cmd ?? []];
    }

    public static ImageConfig Config(OciImage image) => OciJson.Deserialize<ImageConfig>(ReadAll(image.Config), "config");

    private static byte[] ReadAll(IBlob blob)
    {
        using var s = blob.OpenReadAsync(default).GetAwaiter().GetResult();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    public async Task<string> FromAsync(OciImage image)
    {
        var layout = Dir.Combine("run-" + image.Digest.Hex[..12]);
        await new OciLayoutDestination(layout).PublishAsync(image, ["run"], default);
        var from = await ToolRunner.RunCheckedAsync(new ToolInvocation("buildah", [.. Storage, "from", "--pull-always", $"oci:{layout}:run"]) { CaptureStandardOutput = true });
        return from.StandardOutput.Trim().Split('\n').Last();
    }

    /// <summary>The images pulled to run built apps (named after this fixture's layouts) go with the fixture: each is a full root filesystem.</summary>
    public async Task DisposeAsync()
    {
        foreach (var name in (await ImagesAsync()).SelectMany(i => i.Names).Where(n => n.StartsWith("localhost" + Dir.Path + "/", StringComparison.Ordinal)))
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. Storage, "rmi", name]));
        Dir.Dispose();
    }
}

/// <summary>Runs an image's server in a buildah container (chroot isolation shares the host network) and asks it over HTTP.</summary>
public static class ServerProbe
{
    public static async Task<string> GetAsync(SourceFixture fixture, OciImage image, Action<string> log, string path = "/")
    {
        var port = FreePort.Next();
        var container = await fixture.FromAsync(image);
        using var cts = new CancellationTokenSource();
        var args = new List<string>(fixture.Storage) { "run", "--isolation", "chroot", "--env", $"PORT={port}", container, "--" };
        args.AddRange(SourceFixture.EntrypointAndCmd(image));
        var server = ToolRunner.RunAsync(new ToolInvocation("buildah", args) { OnLine = log }, cts.Token);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            for (var attempt = 0; attempt < 240; attempt++)
            {
                if (server.IsCompleted) throw new InvalidOperationException($"the server exited: {string.Join('\n', (await server).Tail)}");
                try { return await http.GetStringAsync($"http://127.0.0.1:{port}{path}"); }
                catch (HttpRequestException) { await Task.Delay(250); }
                catch (TaskCanceledException) { }
            }
            throw new TimeoutException($"nothing answered on port {port}");
        }
        finally
        {
            // Killing `buildah run` leaves the server it started re-parented to init: that is the process whose
            // environment has this probe's PORT (reserved for this test alone) and whose root is not the host's.
            cts.Cancel();
            try { await server; } catch (OperationCanceledException) { }
            KillServerOn(port);
            await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. fixture.Storage, "rm", container]));
        }
    }

    public static void KillServerOn(int port)
    {
        var marker = System.Text.Encoding.UTF8.GetBytes($"\0PORT={port}\0");
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if (new DirectoryInfo(Path.Combine(dir, "root")).LinkTarget is null or "/") continue;
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (((ReadOnlySpan<byte>)[0, .. environ]).IndexOf(marker) >= 0)
                    System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException) { }
        }
    }
}
