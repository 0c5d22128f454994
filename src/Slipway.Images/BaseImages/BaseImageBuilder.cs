#pragma warning disable CA1416 // Linux only: CheckToolchain refuses other systems before any of this runs.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Slipway.Images.Methods;
using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Images.BaseImages;

public sealed record BaseImageBuildOptions
{
    /// <summary>Clamps every file time and the config's <c>created</c>: two builds with the same date give the same digest.</summary>
    public DateTimeOffset SourceDate { get; init; } = DateTimeOffset.UnixEpoch;
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>Rebuild even when the layout already holds an image of the same inputs.</summary>
    public bool Force { get; init; }
    /// <summary>Where downloaded .debs are kept between builds (debootstrap --cache-dir, and apt's downloads); null: under the output directory.</summary>
    public string? CacheDirectory { get; init; }
    /// <summary>
    /// Debootstrap bases share one minbase layer (debootstrap once; each base adds its packages as one layer on
    /// top). Off: each base is its own debootstrap in one layer, the way before (kept for bench/bases.sh).
    /// </summary>
    public bool SharedMinbase { get; init; } = true;
}

/// <summary>What <see cref="BaseImageBuilder.BuildAsync"/> did for one base.</summary>
public sealed record BaseImageResult(string Name, string LayoutPath, Digest Digest, bool UpToDate, TimeSpan Duration)
{
    /// <summary>The <see cref="BuildContext.BaseImageMap"/> value for this base.</summary>
    public string Source => $"oci:{LayoutPath}:{BaseImageCatalog.Ref}";
}

/// <summary>
/// Builds local base images from Debian packages (target <c>BaseImages</c>). Debootstrap bases share their bottom
/// layer: <c>debootstrap --variant=minbase</c> runs once, and each base with packages is a copy of that root
/// filesystem plus <c>apt-get install</c> in a chroot, stored as one layer of what apt changed on top of the shared
/// minbase layer (same digest in every base, so a registry stores and a client pulls it once). Busybox bases are
/// Debian's <c>busybox-static</c> .deb in one layer. Files whose content depends on when or where the build ran
/// are removed, and layers are written by <see cref="LayerWriter"/> with every time clamped to the source date,
/// sorted entries and numeric owners, so digests depend only on the packages.
/// </summary>
public sealed class BaseImageBuilder(BaseImageCatalog catalog)
{
    private const string BuilderVersion = "slipway-base-v1";
    private const string LayeredVersion = "slipway-base-v2-on-minbase";

    public BaseImageCatalog Catalog { get; } = catalog;

    public static ToolchainProblem? CheckToolchain(BaseImageKind kind) => kind switch
    {
        BaseImageKind.Debootstrap or BaseImageKind.Closure when ToolRunner.Which("debootstrap") is null && !File.Exists("/usr/sbin/debootstrap") =>
            new ToolchainProblem("debootstrap is not installed", "apt-get install -y debootstrap"),
        BaseImageKind.Busybox when ToolRunner.Which("apt-get") is null || ToolRunner.Which("dpkg-deb") is null =>
            new ToolchainProblem("apt-get and dpkg-deb are needed to fetch busybox-static", "use a Debian or Ubuntu host (apt-get install -y dpkg)"),
        _ when !OperatingSystem.IsLinux() => new ToolchainProblem("base images are built on Linux", "run BaseImages on a Linux host"),
        _ => null,
    };

    /// <summary>The hash of everything that decides a base's content; stored on its manifest to skip rebuilds.</summary>
    public string InputHash(BaseImageDefinition b, DateTimeOffset sourceDate, bool onMinbase = false)
    {
        var text = new StringBuilder()
            .AppendLine(onMinbase ? LayeredVersion : BuilderVersion).AppendLine(b.Kind.ToString()).AppendLine(Catalog.Suite).AppendLine(Catalog.Mirror)
            .AppendLine(string.Join(',', b.Packages.Order(StringComparer.Ordinal))).AppendLine(b.Slim.ToString())
            .AppendLine(string.Join('\0', b.Cmd)).AppendLine(string.Join('\0', b.Env))
            .AppendLine(sourceDate.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        // Only when set, so the bases without Node keep the hashes (and digests) they had.
        if (b.Node is not null) text.AppendLine($"node {b.Node} npm {b.Npm}");
        if (Catalog.IsCross) text.AppendLine("arch " + Catalog.TargetArchitecture);
        return Digest.Sha256(Encoding.UTF8.GetBytes(text.ToString())).ToString();
    }

    public async Task<IReadOnlyList<BaseImageResult>> BuildAllAsync(IEnumerable<string>? names, BaseImageBuildOptions options, CancellationToken cancellationToken)
    {
        var wanted = names?.ToList();
        if (wanted is { Count: > 0 })
            foreach (var n in wanted.Where(n => Catalog.Bases.All(b => b.Name != n)))
                throw new ArgumentException($"no base image named '{n}' in {Catalog.Source}. Available bases are: {string.Join(", ", Catalog.Bases.Select(b => b.Name))}");
        return await BuildSetAsync(Catalog.Bases.Where(b => wanted is not { Count: > 0 } || wanted.Contains(b.Name)).ToList(), options, cancellationToken);
    }

    public async Task<BaseImageResult> BuildAsync(BaseImageDefinition b, BaseImageBuildOptions options, CancellationToken cancellationToken) =>
        (await BuildSetAsync([b], options, cancellationToken))[0];

    /// <summary>Debootstrap bases that keep the slim cleaning stack on the shared minbase (a non-slim one needs the docs the minbase dropped).</summary>
    private static bool OnMinbase(BaseImageDefinition b, BaseImageBuildOptions options) =>
        b.Kind == BaseImageKind.Closure || options.SharedMinbase && b.Kind == BaseImageKind.Debootstrap && b.Slim;

    private async Task<IReadOnlyList<BaseImageResult>> BuildSetAsync(IReadOnlyList<BaseImageDefinition> bases, BaseImageBuildOptions options, CancellationToken ct)
    {
        // Up to date without the lock: checking reads a finished layout (its index names only blobs already written),
        // so parallel builds whose bases exist never wait behind one that is building another base.
        if (!options.Force && bases.Select(b => TryUpToDate(Catalog.LayoutPath(b), InputHash(b, options.SourceDate, OnMinbase(b, options)))).ToList() is var found && found.All(d => d is not null))
        {
            foreach (var (b, d) in bases.Zip(found)) options.Log($"base {b.Name}: up to date ({d})");
            return bases.Zip(found).Select(p => new BaseImageResult(p.First.Name, Catalog.LayoutPath(p.First), p.Second!.Value, true, TimeSpan.Zero)).ToList();
        }
        // Two processes building into one output directory (parallel workers, two builds of one repository) would
        // share the minbase work tree and layouts: one builds while the others wait, then find its bases up to date.
        await using var held = await OutputLock.AcquireAsync(Catalog.OutputDirectory, options.Log, ct);
        var clock = Stopwatch.StartNew();
        var results = new BaseImageResult[bases.Count];
        var layered = new List<(int Index, string Hash)>();
        var alone = new List<Task>();
        for (var i = 0; i < bases.Count; i++)
        {
            var b = bases[i];
            var onMinbase = OnMinbase(b, options);
            var inputHash = InputHash(b, options.SourceDate, onMinbase);
            if (!options.Force && TryUpToDate(Catalog.LayoutPath(b), inputHash) is { } existing)
            {
                options.Log($"base {b.Name}: up to date ({existing})");
                results[i] = new BaseImageResult(b.Name, Catalog.LayoutPath(b), existing, true, TimeSpan.Zero);
                continue;
            }
            if (CheckToolchain(b.Kind) is { } problem) throw new InvalidOperationException($"base {b.Name}: {problem}");
            if (Catalog.IsCross)
            {
                // Busybox fetches the host's busybox-static .deb and a closure reads the host's paths: debootstrap only.
                if (b.Kind != BaseImageKind.Debootstrap)
                    throw new InvalidOperationException($"base {b.Name}: a {b.Kind.ToString().ToLowerInvariant()} base cannot be cross-built for {Catalog.TargetArchitecture}; give it kind debootstrap");
                if (QemuBinfmt.Check(Catalog.TargetArchitecture) is { } binfmt) throw new InvalidOperationException($"base {b.Name}: {binfmt}");
            }
            if (onMinbase) layered.Add((i, inputHash));
            else if (b.Kind == BaseImageKind.Busybox)
            {
                var index = i;
                // Beside the minbase's debootstrap, which mostly waits on the mirror (busybox takes seconds).
                alone.Add(Task.Run(async () => results[index] = await BuildAloneAsync(b, inputHash, options, ct), ct));
            }
            // Debootstraps one at a time: they share the .deb cache directory.
            else results[i] = await BuildAloneAsync(b, inputHash, options, ct);
        }
        if (layered.Count > 0)
            foreach (var (i, r) in await BuildOnMinbaseAsync(layered.Select(l => (l.Index, bases[l.Index], l.Hash)).ToList(), options, clock, ct))
                results[i] = r;
        await Task.WhenAll(alone);
        return results;
    }

    /// <summary>One base, one layer, its own root filesystem (busybox; debootstrap without the shared minbase).</summary>
    private async Task<BaseImageResult> BuildAloneAsync(BaseImageDefinition b, string inputHash, BaseImageBuildOptions options, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var layoutPath = Catalog.LayoutPath(b);
        var work = Path.Combine(Catalog.OutputDirectory, ".work", b.Name);
        DeleteTree(work);
        Directory.CreateDirectory(work);
        var rootfs = Path.Combine(work, "rootfs");
        try
        {
            options.Log($"base {b.Name}: making the root filesystem ({b.Kind}{(b.Packages.Count > 0 ? " + " + string.Join(' ', b.Packages) : "")})");
            if (b.Kind == BaseImageKind.Busybox) await MakeBusyboxAsync(work, rootfs, options, cancellationToken);
            else
            {
                await DebootstrapAsync(rootfs, options, cancellationToken);
                if (b.Packages.Count > 0)
                {
                    await Run("chroot", [rootfs, "apt-get", "update", "-q"], options, cancellationToken);
                    await InstallAsync(rootfs, b.Packages, options, cancellationToken);
                }
                await InstallNodeAsync(b, rootfs, options, cancellationToken);
            }
            await FinishRootfsAsync(rootfs, b.Slim, cancellationToken);
            var layer = await WriteLayerAsync(LayerWriter.EntriesFromDirectory(rootfs), await OwnersAsync(rootfs, cancellationToken), Path.Combine(work, "layer"), options, cancellationToken);
            var createdBy = b.Kind == BaseImageKind.Busybox
                ? "slipway BaseImages: busybox-static from Debian " + Catalog.Suite
                : $"slipway BaseImages: debootstrap --variant=minbase {Catalog.Suite}" + (b.Packages.Count > 0 ? " + apt-get install " + string.Join(' ', b.Packages) : "");
            var digest = await PublishAsync(b, [(layer, createdBy)], inputHash, options, cancellationToken);
            options.Log($"base {b.Name}: {digest} in {sw.Elapsed.TotalSeconds:F1} s → oci:{layoutPath}:{BaseImageCatalog.Ref}");
            return new BaseImageResult(b.Name, layoutPath, digest, false, sw.Elapsed);
        }
        finally
        {
            DeleteTree(work);
        }
    }

    /// <summary>
    /// Debootstrap once; each base with packages starts from a copy of that tree (made before cleaning, so apt has
    /// its lists and resolv.conf) and becomes the shared minbase layer plus one layer of what apt changed.
    /// </summary>
    private async Task<List<(int Index, BaseImageResult Result)>> BuildOnMinbaseAsync(
        IReadOnlyList<(int Index, BaseImageDefinition Base, string Hash)> bases, BaseImageBuildOptions options, Stopwatch clock, CancellationToken ct)
    {
        var work = Path.Combine(Catalog.OutputDirectory, ".work", "minbase");
        DeleteTree(work);
        Directory.CreateDirectory(work);
        // Node's tarballs download while debootstrap runs (different servers, both mostly waiting on the network).
        var nodeDownloads = bases.Where(b => b.Base.Node is not null).ToDictionary(b => b.Base.Name, b => FetchNodeAsync(b.Base, options, ct));
        Task<(RootfsDiff.Tree Lower, WrittenLayer Layer)>? minbaseLayer = null;
        try
        {
            var minbase = Path.Combine(work, "rootfs");
            options.Log($"base minbase: debootstrap --variant=minbase {Catalog.Suite}, shared by {string.Join(", ", bases.Select(b => b.Base.Name))}");
            await DebootstrapAsync(minbase, options, ct);
            var withPackages = bases.Where(b => b.Base.Packages.Count > 0 || b.Base.Kind == BaseImageKind.Closure).ToList();
            if (withPackages.Count > 0) await Run("chroot", [minbase, "apt-get", "update", "-q"], options, ct);
            foreach (var b in bases.Where(b => b.Base.Packages.Count > 0 || b.Base.Kind == BaseImageKind.Closure || b.Base.Node is not null))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(RootfsOf(b.Base))!);
                await ToolRunner.RunCheckedAsync(new ToolInvocation("cp", ["-a", minbase, RootfsOf(b.Base)]), ct);
            }
            var order = await LongestFirstAsync(minbase, bases.Select(b => b.Base).ToList(), ct);
            // The minbase layer is written while the first bases install: each waits for it only to diff and publish.
            minbaseLayer = Task.Run(async () =>
            {
                await FinishRootfsAsync(minbase, slim: true, ct);
                var read = RootfsDiff.Read(minbase, await OwnersAsync(minbase, ct));
                var written = await WriteLayerAsync(read.Entries.Values, null, Path.Combine(work, "minbase.layer"), options, ct);
                options.Log($"base minbase: layer {written.Digests.Digest} at {clock.Elapsed.TotalSeconds:F1} s");
                return (Lower: read, Layer: written);
            }, ct);
            var minHistory = $"slipway BaseImages: debootstrap --variant=minbase {Catalog.Suite}";
            var empty = Path.Combine(work, "whiteout");
            await File.WriteAllBytesAsync(empty, [], ct);

            // Each base is its own copy of the minbase tree, its own chroot and layout: as many at once as there
            // are cores (apt-get's downloads and dpkg's unpacking overlap; the .deb cache is shared under a lock),
            // the longest first so the last to finish is a short one.
            var results = new (int, BaseImageResult)[bases.Count];
            await Parallel.ForEachAsync(order,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = ct },
                async (n, ct) =>
                {
                    var (index, b, hash) = bases[n];
                    var layers = new List<(WrittenLayer, string)>();
                    if (b.Kind == BaseImageKind.Closure)
                    {
                        var rootfs = RootfsOf(b);
                        options.Log($"base {b.Name}: apt-get install {string.Join(' ', b.Packages)} on the shared minbase, then only their dependency closure and busybox");
                        await InstallAsync(rootfs, [.. b.Packages, PackageClosure.Shell], options, ct);
                        await FinishRootfsAsync(rootfs, b.Slim, ct);
                        var applets = await ToolRunner.RunCheckedAsync(new ToolInvocation(Path.Combine(rootfs, "usr/bin/busybox"), ["--list-full"]) { CaptureStandardOutput = true }, ct);
                        var entries = PackageClosure.Entries(RootfsDiff.Read(rootfs, await OwnersAsync(rootfs, ct)), b.Packages,
                            applets.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        var closure = await WriteLayerAsync(entries, null, Path.Combine(work, b.Name + ".layer"), options, ct);
                        layers = [(closure, $"slipway BaseImages: {string.Join(' ', b.Packages)} and their dependencies from Debian {Catalog.Suite}, busybox for sh")];
                        DeleteTree(Path.GetDirectoryName(rootfs)!);
                    }
                    else if (b.Packages.Count > 0 || b.Node is not null)
                    {
                        var rootfs = RootfsOf(b);
                        var what = new List<string>();
                        if (b.Packages.Count > 0)
                        {
                            options.Log($"base {b.Name}: apt-get install {string.Join(' ', b.Packages)} on the shared minbase");
                            await InstallAsync(rootfs, b.Packages, options, ct);
                            what.Add("apt-get install " + string.Join(' ', b.Packages));
                        }
                        if (nodeDownloads.TryGetValue(b.Name, out var download))
                        {
                            var (node, npm) = await download;
                            options.Log($"base {b.Name}: Node.js {b.Node}{(b.Npm is null ? "" : $" and npm {b.Npm}")} into /usr/local");
                            await NodeDistribution.InstallAsync(rootfs, node, npm, ct);
                            what.Add($"Node.js {b.Node} ({NodeDistribution.BinaryPackage(Catalog.TargetArchitecture)})" + (b.Npm is null ? "" : $", npm {b.Npm}"));
                        }
                        await FinishRootfsAsync(rootfs, b.Slim, ct);
                        var upper = RootfsDiff.Read(rootfs, await OwnersAsync(rootfs, ct));
                        var (lower, minLayer) = await minbaseLayer;
                        var diff = await WriteLayerAsync(RootfsDiff.Entries(lower, upper, empty), null, Path.Combine(work, b.Name + ".layer"), options, ct);
                        layers.AddRange([(minLayer, minHistory), (diff, "slipway BaseImages: " + string.Join(" + ", what))]);
                        DeleteTree(Path.GetDirectoryName(rootfs)!);
                    }
                    if (layers.Count == 0) layers.Add(((await minbaseLayer).Layer, minHistory));
                    var digest = await PublishAsync(b, layers, hash, options, ct);
                    options.Log($"base {b.Name}: {digest} ({layers.Count} layers) at {clock.Elapsed.TotalSeconds:F1} s → oci:{Catalog.LayoutPath(b)}:{BaseImageCatalog.Ref}");
                    results[n] = (index, new BaseImageResult(b.Name, Catalog.LayoutPath(b), digest, false, clock.Elapsed));
                });
            return [.. results];
        }
        finally
        {
            DeleteTree(work);
            foreach (var b in bases) DeleteTree(Path.GetDirectoryName(RootfsOf(b.Base))!);
            // A failed debootstrap leaves the downloads running; they only fill the cache, but must not outlive the call unobserved.
            try { await Task.WhenAll(nodeDownloads.Values); }
            catch (Exception) { /* reported where a base used it, or moot after the failure that got here */ }
            // Nor may the minbase layer's writer still read the tree deleted below (a base failed first).
            try { if (minbaseLayer is not null) await minbaseLayer; }
            catch (Exception) { /* the failure that got here is the one to report */ }
        }

        string RootfsOf(BaseImageDefinition b) => Path.Combine(Catalog.OutputDirectory, ".work", "on-minbase-" + b.Name, "rootfs");
    }

    /// <summary>
    /// The bases' positions, the most packages to install first (apt-get's simulation on the minbase; Node's tarballs
    /// count as ten), so two bases in parallel do not end with the longest alone. Order only: the images do not change.
    /// </summary>
    private static async Task<List<int>> LongestFirstAsync(string minbase, IReadOnlyList<BaseImageDefinition> bases, CancellationToken ct)
    {
        var weights = new int[bases.Count];
        if (bases.Count <= Environment.ProcessorCount) return [.. Enumerable.Range(0, bases.Count)];
        await Parallel.ForEachAsync(Enumerable.Range(0, bases.Count), new ParallelOptions { MaxDegreeOfParallelism = 2 * Environment.ProcessorCount, CancellationToken = ct }, async (i, ct) =>
        {
            var b = bases[i];
            weights[i] = b.Node is null ? 0 : 10;
            if (b.Packages.Count == 0) return;
            var simulated = await ToolRunner.RunAsync(new ToolInvocation("chroot", [minbase, "apt-get", "install", "-s", "-q", "--no-install-recommends", .. b.Packages])
                { CaptureStandardOutput = true, Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" } }, ct);
            if (simulated.Succeeded) weights[i] += simulated.StandardOutput.Split('\n').Count(l => l.StartsWith("Inst ", StringComparison.Ordinal));
        });
        return [.. Enumerable.Range(0, bases.Count).OrderByDescending(i => weights[i]).ThenBy(i => i)];
    }

    private static Digest? TryUpToDate(string layoutPath, string inputHash)
    {
        try
        {
            var layout = OciLayout.Open(layoutPath);
            var image = layout.ReadImage(BaseImageCatalog.Ref);
            return image.Manifest.Annotations?.GetValueOrDefault(Annotations.InputHash) == inputHash
                && image.Blobs.All(x => layout.HasBlob(x.Descriptor)) ? image.Digest : null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException) { return null; }
    }

    private async Task MakeBusyboxAsync(string work, string rootfs, BaseImageBuildOptions options, CancellationToken ct)
    {
        var download = Path.Combine(work, "deb");
        Directory.CreateDirectory(download);
        // The sandbox user cannot write into a root-owned temp dir; downloading as root is what we want here.
        await Run("apt-get", ["-o", "APT::Sandbox::User=root", "download", "busybox-static"], options, ct, download);
        var deb = Directory.GetFiles(download, "*.deb").Single();
        await Run("dpkg-deb", ["-x", deb, rootfs], options, ct);
        var busybox = Path.Combine(rootfs, "bin", "busybox");
        var list = await ToolRunner.RunCheckedAsync(new ToolInvocation(busybox, ["--list-full"]) { CaptureStandardOutput = true }, ct);
        foreach (var applet in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = Path.Combine(rootfs, applet);
            if (File.Exists(path) || Directory.Exists(path)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.CreateSymbolicLink(path, "/bin/busybox");
        }
        foreach (var dir in new[] { "etc", "root", "tmp", "var/tmp", "home", "dev", "proc", "sys", "run" })
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)0b1_111_111_111);
        File.SetUnixFileMode(Path.Combine(rootfs, "var/tmp"), (UnixFileMode)0b1_111_111_111);
        File.SetUnixFileMode(Path.Combine(rootfs, "root"), (UnixFileMode)0b111_000_000);
        File.WriteAllText(Path.Combine(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    }

    /// <summary>Node's binary (and npm, when the base names it) for this machine's architecture, from the cache or the registry.</summary>
    private async Task<(string Node, string? Npm)> FetchNodeAsync(BaseImageDefinition b, BaseImageBuildOptions options, CancellationToken ct)
    {
        var node = Fetch(NodeDistribution.BinaryPackage(Catalog.TargetArchitecture), b.Node!);
        var npm = b.Npm is null ? Task.FromResult<string?>(null) : Fetch("npm", b.Npm)!;
        return (await node, await npm);

        // Once per package and version in a run, however many bases want it (node and node-slim share one binary).
        Task<string> Fetch(string package, string version) => nodeFetches.GetOrAdd($"{package}@{version}", _ =>
            new NodeDistribution(Catalog.NpmRegistry, Path.Combine(Path.GetDirectoryName(DebCache(options))!, "npm"))
                .FetchAsync(package, version, m => options.Log($"bases: {m}"), ct));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<string>> nodeFetches = new();

    private async Task InstallNodeAsync(BaseImageDefinition b, string rootfs, BaseImageBuildOptions options, CancellationToken ct)
    {
        if (b.Node is null) return;
        var (node, npm) = await FetchNodeAsync(b, options, ct);
        options.Log($"base {b.Name}: Node.js {b.Node}{(b.Npm is null ? "" : $" and npm {b.Npm}")} into /usr/local");
        await NodeDistribution.InstallAsync(rootfs, node, npm, ct);
    }

    private string DebCache(BaseImageBuildOptions options) =>
        Path.GetFullPath(options.CacheDirectory ?? Path.Combine(Catalog.OutputDirectory, ".cache", "debootstrap"));

    private async Task DebootstrapAsync(string rootfs, BaseImageBuildOptions options, CancellationToken ct)
    {
        var cache = DebCache(options);
        Directory.CreateDirectory(cache);
        // Cross: the second stage runs the target's binaries in the chroot through qemu-user-static (binfmt, F flag).
        string[] arch = Catalog.IsCross ? [$"--arch={Catalog.TargetArchitecture}"] : [];
        // dpkg syncs every file it unpacks; a tree that becomes a layer (or is thrown away) needs none of that: a
        // quarter of debootstrap's time, and of each base's apt-get install (the copies inherit it). Clean drops it.
        var dpkgConfig = Path.Combine(rootfs, UnsafeIoConfig);
        Directory.CreateDirectory(Path.GetDirectoryName(dpkgConfig)!);
        await File.WriteAllTextAsync(dpkgConfig, "force-unsafe-io\n", ct);
        await Run(ToolRunner.Which("debootstrap") ?? "/usr/sbin/debootstrap",
            ["--variant=minbase", .. arch, $"--cache-dir={cache}", Catalog.Suite, rootfs, Catalog.Mirror], options, ct);
    }

    private const string UnsafeIoConfig = "etc/dpkg/dpkg.cfg.d/slipway-unsafe-io";

    /// <summary>
    /// apt-get install in a chroot (debootstrap --include resolves dependencies only partly; npm then misses
    /// modules). The .debs come from and go back to the one cache debootstrap uses, so no package is downloaded twice.
    /// </summary>
    private async Task InstallAsync(string rootfs, IReadOnlyList<string> packages, BaseImageBuildOptions options, CancellationToken ct)
    {
        var cache = DebCache(options);
        var archives = Path.Combine(rootfs, "var/cache/apt/archives");
        Directory.CreateDirectory(archives);
        await SharedCacheAsync(() => ShareDebsAsync(cache, archives, ct), ct);
        var policy = Path.Combine(rootfs, "usr/sbin/policy-rc.d");
        await File.WriteAllTextAsync(policy, "#!/bin/sh\nexit 101\n", ct);
        File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);
        try
        {
            await Run("chroot", [rootfs, "apt-get", "install", "-y", "-q", "--no-install-recommends", .. packages], options, ct);
        }
        finally
        {
            File.Delete(policy);
        }
        await SharedCacheAsync(() => ShareDebsAsync(archives, cache, ct), ct);
    }

    // Bases installing at once share the .deb cache: one cp -n at a time, so none meets another's half-made link.
    private readonly SemaphoreSlim cacheGate = new(1, 1);

    private async Task SharedCacheAsync(Func<Task> action, CancellationToken ct)
    {
        await cacheGate.WaitAsync(ct);
        try { await action(); }
        finally { cacheGate.Release(); }
    }

    /// <summary>Hard-links (copies across file systems) the .debs of one directory into another, keeping what is there.</summary>
    private static async Task ShareDebsAsync(string from, string to, CancellationToken ct)
    {
        string[] find = ["find", from, "-maxdepth", "1", "-name", "*.deb", "-exec", "cp", "-n"];
        if (!(await ToolRunner.RunAsync(new ToolInvocation(find[0], [.. find[1..], "-l", "-t", to, "{}", "+"]), ct)).Succeeded)
            await ToolRunner.RunCheckedAsync(new ToolInvocation(find[0], [.. find[1..], "-t", to, "{}", "+"]), ct);
    }

    /// <summary>Cleans the tree and drops FIFOs, sockets and device nodes, which cannot be layer files (opening a FIFO would block).</summary>
    private static async Task FinishRootfsAsync(string rootfs, bool slim, CancellationToken ct)
    {
        Clean(rootfs, slim);
        await ToolRunner.RunCheckedAsync(new ToolInvocation("find", [rootfs, "(", "-type", "p", "-o", "-type", "s", "-o", "-type", "c", "-o", "-type", "b", ")", "-delete"]), ct);
    }

    private static Task<ToolResult> Run(string tool, IReadOnlyList<string> args, BaseImageBuildOptions options, CancellationToken ct, string? cwd = null) =>
        ToolRunner.RunCheckedAsync(new ToolInvocation(tool, args)
        {
            WorkingDirectory = cwd,
            OnLine = options.Log,
            Environment = new Dictionary<string, string?>
            {
                ["SOURCE_DATE_EPOCH"] = options.SourceDate.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["DEBIAN_FRONTEND"] = "noninteractive",
                ["LC_ALL"] = "C.UTF-8",
            },
        }, ct);

    /// <summary>
    /// Removes what differs between two builds of the same packages: logs, apt/debconf caches and lists,
    /// machine identity, the ldconfig aux cache, Python bytecode, host files debootstrap copies in, and device
    /// nodes (the runtime provides /dev). With <paramref name="slim"/>, docs/man/locales go too.
    /// </summary>
    internal static void Clean(string rootfs, bool slim)
    {
        string P(string rel) => Path.Combine(rootfs, rel);
        void EmptyDir(string rel)
        {
            var d = P(rel);
            if (!Directory.Exists(d)) return;
            foreach (var e in new DirectoryInfo(d).EnumerateFileSystemInfos()) Remove(e.FullName);
        }
        foreach (var rel in new[] { "var/lib/apt/lists", "var/cache/apt", "var/log", "tmp", "var/tmp", "dev", "proc", "sys", "run", "var/cache/man", "var/cache/ldconfig" })
            EmptyDir(rel);
        if (Directory.Exists(P("var/lib/apt/lists"))) Directory.CreateDirectory(P("var/lib/apt/lists/partial"));
        if (Directory.Exists(P("var/cache/apt"))) Directory.CreateDirectory(P("var/cache/apt/archives/partial"));
        foreach (var rel in new[] { "etc/machine-id", "var/lib/dbus/machine-id", "etc/hostname", "etc/resolv.conf", "etc/hosts",
                     "root/.bash_history", "var/lib/systemd/random-seed", "etc/ld.so.cache.new", UnsafeIoConfig })
            Remove(P(rel));
        foreach (var dir in new[] { "var/cache/debconf", "var/lib/dpkg", "etc" })
            if (Directory.Exists(P(dir)))
                foreach (var f in Directory.EnumerateFiles(P(dir), "*-old").Concat(Directory.EnumerateFiles(P(dir), "*-")))
                    Remove(f);
        if (Directory.Exists(P("usr")))
            // Never through symlinks: Debian's node-* doc dirs link to each other in cycles.
            foreach (var d in Directory.EnumerateDirectories(P("usr"), "__pycache__",
                         new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }).ToList())
                Remove(d);
        if (slim)
        {
            foreach (var rel in new[] { "usr/share/man", "usr/share/info", "usr/share/lintian", "usr/share/linda", "usr/share/groff" }) EmptyDir(rel);
            if (Directory.Exists(P("usr/share/locale")))
                foreach (var e in new DirectoryInfo(P("usr/share/locale")).EnumerateFileSystemInfos().Where(e => e.Name != "locale.alias")) Remove(e.FullName);
            if (Directory.Exists(P("usr/share/doc")))
                foreach (var pkg in new DirectoryInfo(P("usr/share/doc")).EnumerateFileSystemInfos())
                {
                    // Keep the licences, as the upstream slim images do.
                    if (pkg is DirectoryInfo d && d.LinkTarget is null)
                        foreach (var e in d.EnumerateFileSystemInfos().Where(e => e.Name != "copyright")) Remove(e.FullName);
                }
        }
    }

    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists) { info.Delete(); return; }
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    private static void DeleteTree(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    /// <summary>A layer written to a file, before it goes into one or more layouts.</summary>
    private sealed record WrittenLayer(LayerDigests Digests, string File);

    private static async Task<WrittenLayer> WriteLayerAsync(IEnumerable<LayerEntry> entries, IReadOnlyDictionary<string, (int Uid, int Gid)>? owners,
        string file, BaseImageBuildOptions options, CancellationToken ct)
    {
        if (owners is not null) entries = entries.Select(e => owners.TryGetValue(e.Path, out var o) ? e with { Uid = o.Uid, Gid = o.Gid } : e);
        await using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        return new WrittenLayer(await LayerWriter.WriteAsync(entries, stream, new LayerOptions { Timestamp = options.SourceDate }, ct), file);
    }

    /// <summary>Writes the image (layers bottom first) into a staging layout, then swaps it in for the base's layout.</summary>
    private async Task<Digest> PublishAsync(BaseImageDefinition b, IReadOnlyList<(WrittenLayer Layer, string CreatedBy)> layers, string inputHash, BaseImageBuildOptions options, CancellationToken ct)
    {
        var layoutPath = Catalog.LayoutPath(b);
        var staging = layoutPath + ".new";
        DeleteTree(staging);
        var layout = OciLayout.OpenOrCreate(staging);
        var blobs = new List<IBlob>();
        foreach (var (layer, _) in layers)
        {
            var d = layer.Digests;
            File.Copy(layer.File, layout.BlobPath(d.Digest), overwrite: true);
            blobs.Add(new FileBlob(new Descriptor { MediaType = d.MediaType, Digest = d.Digest, Size = d.Size }, layout.BlobPath(d.Digest)));
        }

        var created = options.SourceDate.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var env = new List<string> { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };
        env.AddRange(b.Env);
        var platform = Platform.Current with { Architecture = Catalog.TargetArchitecture };
        var config = new ImageConfig
        {
            Created = created,
            Architecture = platform.Architecture,
            Os = platform.Os,
            Config = new ContainerConfig
            {
                Env = env,
                Cmd = b.Cmd.Count > 0 ? b.Cmd : [b.Kind == BaseImageKind.Busybox ? "sh" : "bash"],
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["dev.slipway.base"] = b.Name },
            },
            RootFs = new RootFs { DiffIds = layers.Select(l => l.Layer.Digests.DiffId).ToList() },
            History = layers.Select(l => new HistoryEntry { Created = created, CreatedBy = l.CreatedBy }).ToList(),
        };
        var image = OciImage.Create(config, blobs, new Dictionary<string, string>
        {
            [Annotations.Created] = created,
            [Annotations.InputHash] = inputHash,
            [Annotations.Title] = b.Name,
        });
        await layout.WriteBlobAsync(image.Config, ct);
        await layout.WriteBlobAsync(image.ManifestMediaType, image.ManifestBytes, ct);
        await layout.SetRefAsync(BaseImageCatalog.Ref, image.ManifestDescriptor, ct);
        DeleteTree(layoutPath);
        Directory.Move(staging, layoutPath);
        return image.Digest;
    }

    /// <summary>Files not owned by root:root (e.g. /etc/shadow's group), found with find(1): .NET does not expose owners.</summary>
    private static async Task<Dictionary<string, (int Uid, int Gid)>> OwnersAsync(string rootfs, CancellationToken ct)
    {
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation("find", [rootfs, "-mindepth", "1", "(", "!", "-uid", "0", "-o", "!", "-gid", "0", ")", "-printf", "%U %G %P\\n"])
        { CaptureStandardOutput = true }, ct);
        var result = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var line in r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            result[parts[2]] = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        return result;
    }
}
