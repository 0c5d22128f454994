using Slipway.Images.Sandbox;
using Slipway.Tooling;

namespace Slipway.Source.Imaging;

/// <summary>
/// One buildah working container of the build stage (vfs storage, chroot isolation: no daemon, no overlay, no
/// user namespaces). Steps run with <c>sh -c</c> in /app; a failed step becomes a <see cref="StepFailure"/>
/// naming the step with its last 50 lines. With a <see cref="StepSandbox"/>, each step runs in it instead.
/// </summary>
public sealed class BuildahStage(IReadOnlyList<string> storage, string container, Action<string> log, StepSandbox? sandbox = null) : IAsyncDisposable
{
    public string Container { get; } = container;
    private string? _mount;
    /// <summary>The overlay mounted on the container's root (an overlay stage) and the directory of its upper and work dirs.</summary>
    private string? _overlay, _scratch;
    private static Task<bool>? _overlaySupported;

    public static IReadOnlyList<string> StorageFlags(string? root)
    {
        root ??= Environment.GetEnvironmentVariable("SLIPWAY_BUILDAH_ROOT") ?? (Environment.UserName == "root" ? Images.Methods.Dockerfile.BuildahEngine.DefaultRootAsRoot : null);
        return root is null ? ["--storage-driver", "vfs"] : ["--storage-driver", "vfs", "--root", root, "--runroot", root.TrimEnd('/') + "-run"];
    }

    /// <summary>A working container from an image (an <c>oci:DIR:REF</c> base or a cached local image name).</summary>
    /// <param name="architecture">The image's architecture when it is not this machine's (a cross build: its steps run through qemu's binfmt registration).</param>
    public static async Task<BuildahStage> FromAsync(IReadOnlyList<string> storage, string image, Action<string> log, CancellationToken ct, StepSandbox? sandbox = null, string? architecture = null)
    {
        string[] arch = architecture is null ? [] : ["--arch", architecture];
        var r = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "from", "--pull=never", "--quiet", .. arch, image]) { CaptureStandardOutput = true, OnLine = log }, ct);
        if (!r.Succeeded) throw new StepFailure("build", FailureClass.Permanent, $"buildah could not start a build container from {image} (exit code {r.ExitCode})", r.Tail);
        return new BuildahStage(storage, r.StandardOutput.Trim().Split('\n').Last().Trim(), log, sandbox);
    }

    /// <summary>
    /// A working container whose root filesystem is an overlay: <paramref name="lower"/> (an unpacked base, never
    /// written) below, this build's writes in <paramref name="scratch"/>. The container itself is an empty scratch
    /// container (nothing copied); the step runner, sandbox and mounts are the same as for a copied stage. Null when
    /// the overlay cannot be mounted (no root, no overlayfs): the caller makes a copied stage instead.
    /// </summary>
    public static async Task<BuildahStage?> FromOverlayAsync(IReadOnlyList<string> storage, string lower, string scratch, Action<string> log, CancellationToken ct, StepSandbox? sandbox = null)
    {
        // overlayfs's option syntax splits on ',' and ':' (paths are the machine's, but a refused mount is clearer).
        if (lower.IndexOfAny([',', ':']) >= 0 || scratch.IndexOfAny([',', ':']) >= 0 || !await OverlaySupportedAsync(Path.GetDirectoryName(Path.GetFullPath(scratch))!)) return null;
        var r = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "from", "--quiet", "scratch"]) { CaptureStandardOutput = true, OnLine = log }, ct);
        if (!r.Succeeded) throw new StepFailure("build", FailureClass.Permanent, $"buildah could not start a build container (exit code {r.ExitCode})", r.Tail);
        var stage = new BuildahStage(storage, r.StandardOutput.Trim().Split('\n').Last().Trim(), log, sandbox);
        try
        {
            var root = await stage.MountAsync(ct);
            var upper = Path.Combine(scratch, "upper");
            var work = Path.Combine(scratch, "work");
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            var m = await ToolRunner.RunAsync(new ToolInvocation("mount", ["-t", "overlay", "overlay", "-o", $"lowerdir={lower},upperdir={upper},workdir={work}", root]) { CaptureStandardOutput = true }, ct);
            if (!m.Succeeded)
            {
                log($"the toolchain overlay could not be mounted ({m.Tail.LastOrDefault()?.Trim()}); copying the base instead");
                await stage.DisposeAsync();
                return null;
            }
            stage._overlay = root;
            stage._scratch = scratch;
            return stage;
        }
        catch
        {
            await stage.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether this process can mount overlayfs (root with CAP_SYS_ADMIN: not in an unprivileged pod), tried
    /// once per process on empty directories made under <paramref name="workDirectory"/>.</summary>
    public static Task<bool> OverlaySupportedAsync(string workDirectory)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess) return Task.FromResult(false);
        return _overlaySupported ??= Probe(Path.Combine(workDirectory, "overlay-probe-" + Guid.NewGuid().ToString("N")));

        static async Task<bool> Probe(string dir)
        {
            try
            {
                foreach (var d in new[] { "l", "u", "w", "m" }) Directory.CreateDirectory(Path.Combine(dir, d));
                var m = await ToolRunner.RunAsync(new ToolInvocation("mount", ["-t", "overlay", "overlay", "-o", $"lowerdir={dir}/l,upperdir={dir}/u,workdir={dir}/w", $"{dir}/m"]) { CaptureStandardOutput = true });
                if (m.Succeeded) await ToolRunner.RunAsync(new ToolInvocation("umount", [$"{dir}/m"]) { CaptureStandardOutput = true });
                return m.Succeeded;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception) { return false; }
            finally { try { Directory.Delete(dir, recursive: true); } catch (IOException) { } }
        }
    }

    public static async Task<bool> ImageExistsAsync(IReadOnlyList<string> storage, string name, CancellationToken ct) =>
        (await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "inspect", "--type", "image", name]) { CaptureStandardOutput = true }, ct)).Succeeded;

    public async Task CopyAsync(string source, string destination, CancellationToken ct)
    {
        var r = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "copy", "--quiet", Container, source, destination]) { CaptureStandardOutput = true, OnLine = log }, ct);
        if (!r.Succeeded) throw new StepFailure("build", FailureClass.Permanent, $"buildah could not copy the sources into the build container (exit code {r.ExitCode})", r.Tail);
    }

    /// <summary>Runs one shell step in /app; <paramref name="volumes"/> maps host cache directories into the container.</summary>
    public async Task RunAsync(string step, string command, IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string> volumes, Func<IReadOnlyList<string>, StepFailure?> classify, CancellationToken ct)
    {
        log($"[{step}] {command}");
        var args = new List<string>(storage) { "run" };
        args.AddRange(sandbox?.BuildahFlags ?? StepSandbox.Unsandboxed);
        args.AddRange(["--workingdir", "/app"]);
        foreach (var (k, v) in env.OrderBy(e => e.Key, StringComparer.Ordinal)) args.AddRange(["--env", $"{k}={v}"]);
        foreach (var (host, inside) in volumes.OrderBy(e => e.Value, StringComparer.Ordinal))
        {
            if (!File.Exists(host)) Directory.CreateDirectory(host);
            args.AddRange(["--volume", $"{host}:{inside}"]);
        }
        args.AddRange([Container, "--", "/bin/sh", "-c", command]);
        var r = await ToolRunner.RunAsync(new ToolInvocation("buildah", args) { OnLine = log, TailLines = 50 }, ct);
        // buildah's own start failed before the step ran (sealing its memfd copy can fail with EBUSY under load):
        // the step never started, so it is run once more.
        if (!r.Succeeded && r.Tail.Any(l => l.Contains("sealing memfd copy", StringComparison.Ordinal)))
        {
            log($"[{step}] buildah could not start the step ({r.Tail.First(l => l.Contains("sealing memfd copy", StringComparison.Ordinal)).Trim()}); running it again");
            r = await ToolRunner.RunAsync(new ToolInvocation("buildah", args) { OnLine = log, TailLines = 50 }, ct);
        }
        if (r.Succeeded) return;
        throw classify(r.Tail) ?? new StepFailure(step, FailureClass.Permanent,
            $"{step} step `{command}` failed with exit code {r.ExitCode}; last {r.Tail.Count} lines follow", r.Tail);
    }

    public async Task CommitAsync(string name, CancellationToken ct)
    {
        var r = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "commit", "--quiet", "--format", "oci", "--disable-compression", Container, name]) { CaptureStandardOutput = true, OnLine = log }, ct);
        if (!r.Succeeded) log($"caching the dependency step as {name} failed (exit code {r.ExitCode}); the next build installs again");
    }

    /// <summary>The container's root filesystem on the host (vfs: a plain directory).</summary>
    public async Task<string> MountAsync(CancellationToken ct)
    {
        var r = await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "mount", Container]) { CaptureStandardOutput = true }, ct);
        if (!r.Succeeded) throw new StepFailure("build", FailureClass.Permanent, $"buildah could not mount the build container (exit code {r.ExitCode}); run as root or under `buildah unshare`", r.Tail);
        return _mount = r.StandardOutput.Trim().Split('\n').Last().Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (_overlay is not null)
        {
            // A step process still holding the tree (a detached child under chroot isolation) makes it busy: detach lazily then.
            var u = await ToolRunner.RunAsync(new ToolInvocation("umount", [_overlay]) { CaptureStandardOutput = true });
            if (!u.Succeeded) await ToolRunner.RunAsync(new ToolInvocation("umount", ["--lazy", _overlay]) { CaptureStandardOutput = true });
            _overlay = null;
        }
        if (_mount is not null) await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "umount", Container]) { CaptureStandardOutput = true });
        await ToolRunner.RunAsync(new ToolInvocation("buildah", [.. storage, "rm", Container]) { CaptureStandardOutput = true });
        if (_scratch is not null && Directory.Exists(_scratch))
            try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { } // under the build's work directory, which the next build clears
    }
}
