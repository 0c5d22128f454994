using Slipway.Builder.Callbacks;
using Slipway.Builder.Queue;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

/// <summary>
/// Twenty builds through one real worker — Dockerfile at the root, Dockerfile at a given path, the source engine
/// (static site), a failing Dockerfile and a repository no provider matches — and after each one nothing of it is
/// left: no workspace, no buildah container or image, no temp files, no mounts, no child processes. Everything the
/// worker could write to is redirected into this test's directories (TMPDIR, the default buildah root, the source
/// bases), so what is measured is the worker's own footprint. The one thing allowed to stay is the fixed cache of
/// source bases (the busybox base the static site runs on, made by the first source build and reused: building
/// it per build would cost a debootstrap or busybox install every time); its size must not change after that.
/// </summary>
[Collection(BuilderCollection.Name)]
public sealed class CleanupTests(BuilderServices services) : IAsyncLifetime
{
    private readonly string _queue = "cleanup-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _secret = WebhookSigner.NewSecret();
    private readonly TempDir _dir = new("cleanup");
    private CallbackReceiver _receiver = null!;
    private BuilderProcess? _worker;

    public async Task InitializeAsync()
    {
        _receiver = new CallbackReceiver(_secret);
        await services.Git.CreateRepositoryAsync("c-docker", new Dictionary<string, string>
        {
            ["Dockerfile"] = "FROM scratch\nCOPY hello.txt /hello.txt\n",
            ["hello.txt"] = "hello\n",
        });
        await services.Git.CreateRepositoryAsync("c-path", new Dictionary<string, string>
        {
            ["build/Containerfile"] = "FROM scratch\nCOPY hello.txt /srv/hello.txt\n",
            ["hello.txt"] = "from a path\n",
        });
        await services.Git.CreateRepositoryAsync("c-static", new Dictionary<string, string> { ["index.html"] = "<h1>hi</h1>\n" });
        await services.Git.CreateRepositoryAsync("c-broken", new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\nCOPY missing.txt /x\n" });
        await services.Git.CreateRepositoryAsync("c-nothing", new Dictionary<string, string> { ["notes.txt"] = "no app here\n" });
    }

    private sealed record Kind(string Repo, string? Dockerfile, bool Succeeds);

    private static readonly Kind[] Kinds =
    [
        new("c-docker", null, true),
        new("c-path", "build/Containerfile", true),
        new("c-static", null, true),
        new("c-broken", null, false),
        new("c-nothing", null, false),
    ];

    [Fact]
    public async Task Twenty_builds_success_and_failure_leave_no_workspace_container_image_temp_file_or_process_behind()
    {
        var rabbit = await services.RabbitAsync();
        var db = await services.Postgres.CreateDatabaseAsync();
        var work = Directory.CreateDirectory(_dir.Combine("work")).FullName;
        var tmp = Directory.CreateDirectory(_dir.Combine("tmp")).FullName;
        var bases = Directory.CreateDirectory(_dir.Combine("bases")).FullName;
        var defaultRoot = _dir.Combine("buildah-default");
        var topology = new QueueTopology(_queue, TimeSpan.FromSeconds(1));
        _worker = BuilderProcess.Start(
            ["builder", "serve", "--amqp", rabbit.AmqpUrl, "--postgres", db, "--registry", services.Registry.Host, "--queue", _queue,
             "--retry-delay", "1", "--max-attempts", "1", "--work-dir", work, .. BuilderServices.AllowTestGit],
            new Dictionary<string, string>
            {
                ["BUILDER_CALLBACK_SECRET"] = _secret,
                ["TMPDIR"] = tmp,
                ["SLIPWAY_SOURCE_BASES"] = bases,
                ["SLIPWAY_BUILDAH_ROOT"] = defaultRoot,
            });

        var samples = new List<(int Build, DiskUse Tmp, DiskUse Bases)>();
        for (var i = 0; i < 20; i++)
        {
            var kind = Kinds[i % Kinds.Length];
            var id = $"cleanup-{i:00}-{kind.Repo}";
            await BuildPublisher.SubmitAsync(rabbit.AmqpUrl, topology, new BuildRequest
            {
                Id = id, Repo = services.Git.UrlOf(kind.Repo), Ref = "main", Tenant = "clean", Service = kind.Repo,
                Dockerfile = kind.Dockerfile, Token = BuilderServices.GitToken, CallbackUrl = _receiver.Url,
            }, default);
            var last = await FinalCallbackAsync(id);
            Assert.True(kind.Succeeds == (last.Status == "SUCCEEDED"), $"{id} ended {last.Status} ({last.FailedStep}: {last.Error}); worker log:\n{_worker.AllOutput}");

            // The final callback goes out after the executor removed the workspace: nothing may be left now.
            Assert.Empty(Directory.GetFileSystemEntries(work));
            Assert.Empty(_worker.Descendants());
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(_dir.Path, StringComparison.Ordinal));
            samples.Add((i + 1, DiskUse.Of(tmp), DiskUse.Of(bases)));
        }

        // Builds 1-5 ran every kind once (the first source build made the busybox base); from then on nothing grows.
        var after5 = samples[4];
        foreach (var s in samples.Skip(5))
        {
            Assert.True(s.Tmp == after5.Tmp, $"TMPDIR grew from {after5.Tmp} after build 5 to {s.Tmp} after build {s.Build}: {string.Join(", ", Directory.GetFileSystemEntries(tmp))}");
            Assert.True(s.Bases == after5.Bases, $"the source bases grew from {after5.Bases} after build 5 to {s.Bases} after build {s.Build}");
        }
        // Nothing used buildah's default storage (each build has its own, inside its workspace).
        Assert.False(Directory.Exists(defaultRoot) && Directory.EnumerateFileSystemEntries(defaultRoot).Any(), $"something used buildah's default storage {defaultRoot}");
        var containers = await ToolRunner.RunAsync(new ToolInvocation("buildah", ["--storage-driver", "vfs", "--root", defaultRoot, "--runroot", defaultRoot + "-run", "containers", "--quiet", "--all"]) { CaptureStandardOutput = true }, default);
        Assert.Equal("", containers.StandardOutput.Trim());
        Assert.Equal(12, _receiver.Accepted.Count(p => p.Status == "SUCCEEDED"));
        Assert.Equal(8, _receiver.Accepted.Count(p => p.Status == "FAILED"));
        Leaks.AssertAbsent(BuilderServices.GitToken, _worker.Output, "the worker log");
    }

    /// <summary>The build's final callback; fails at once (with the worker's log) when the worker died.</summary>
    private async Task<CallbackPayload> FinalCallbackAsync(string id)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            if (_receiver.For(id).FirstOrDefault(p => p.Final == true) is { } p) return p;
            if (_worker!.HasExited || DateTime.UtcNow > until)
                throw new TimeoutException($"no final callback for {id} (worker {(_worker.HasExited ? "exited" : "still running")}); worker log:\n{_worker.AllOutput}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        await _receiver.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>Files and bytes under a directory (symbolic links counted, not followed).</summary>
public readonly record struct DiskUse(int Files, long Bytes)
{
    public static DiskUse Of(string directory)
    {
        if (!Directory.Exists(directory)) return new DiskUse(0, 0);
        int files = 0; long bytes = 0;
        foreach (var f in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            files++;
            if (f is FileInfo { LinkTarget: null } fi) bytes += fi.Length;
        }
        return new DiskUse(files, bytes);
    }

    public override string ToString() => $"{Files} entries, {Bytes} bytes";
}
