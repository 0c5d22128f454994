using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Slipway.Images.BaseImages;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Images.Sandbox;
using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Source.Plan;
using Slipway.Tooling;

namespace Slipway.Source.Imaging;

/// <summary>
/// Turns a <see cref="BuildPlan"/> into a runtime image. The build stage (toolchain base, buildah container)
/// copies the dependency files first, runs setup + install (committed as a cached image keyed by their content,
/// so an unchanged lockfile skips the install), then copies the sources and runs the build. The runtime image is
/// the runtime base's layers plus two layers written by <see cref="LayerWriter"/> (sorted, times clamped to the
/// source date, numeric owners): dependencies, then the app. A source-only change therefore changes only the app
/// layer, and the same source gives the same digest.
/// </summary>
public sealed partial class PlanImageBuilder(SourceBuilderOptions options)
{
    public const int AppUid = 1000;
    private const string BuilderVersion = "slipway-source-v1";
    /// <summary>Where the configured registry CA file is mounted (read-only) in the build stage.</summary>

    public async Task<OciImage> BuildAsync(BuildPlan plan, string appDir, SourceBuildRequest request, CancellationToken ct)
    {
        CheckRegistries(plan);
        var catalog = SourceBases.Catalog(options.BaseDirectory, request.Platform);
        if (catalog.IsCross)
        {
            request.Log($"cross build for {request.Platform}: bases from debootstrap --arch {catalog.TargetArchitecture}, build steps through qemu-user-static");
            // The host's SDK directory holds the host's binaries: they cannot run (or ship) in another architecture's image.
            if (plan.HostToolchain is { } hostToolchain)
                throw new StepFailure("plan", FailureClass.Permanent, $"a {plan.Provider} app cannot be cross-built for {request.Platform}: its toolchain ({hostToolchain}) is this machine's SDK directory, built for {Platform.Current}; build it for {Platform.Current} only, or on a {request.Platform} builder");
            if (Slipway.Images.BaseImages.QemuBinfmt.Check(catalog.TargetArchitecture, request.Log) is { } problem)
                throw new StepFailure("build", FailureClass.Permanent, problem);
        }
        var needsStage = plan.BuildBase is not null && (plan.Setup.Count + plan.Install.Count + plan.Build.Count) > 0;
        // A peer config's system packages: the plan's bases plus those Debian packages (built once, shared by hash).
        if (plan.RuntimeSystemPackages is { Count: > 0 } runtimePackages && catalog.Bases.Any(b => b.Name == plan.RuntimeBase))
        {
            (catalog, var name) = SourceBases.WithPackages(catalog, plan.RuntimeBase, runtimePackages);
            request.Log($"runtime base {name}: {plan.RuntimeBase} + apt {string.Join(' ', runtimePackages)}");
            plan = plan with { RuntimeBase = name };
        }
        if (needsStage && plan.BuildSystemPackages is { Count: > 0 } buildPackages && catalog.Bases.Any(b => b.Name == plan.BuildBase))
        {
            (catalog, var name) = SourceBases.WithPackages(catalog, plan.BuildBase!, buildPackages);
            request.Log($"build base {name}: {plan.BuildBase} + apt {string.Join(' ', buildPackages)}");
            plan = plan with { BuildBase = name };
        }
        var bases = new List<string> { plan.RuntimeBase };
        if (needsStage) bases.Add(plan.BuildBase!);
        foreach (var b in bases.Where(b => catalog.Bases.All(x => x.Name != b)))
            throw new StepFailure("plan", FailureClass.Permanent, $"base '{b}' is not a source base{(catalog.IsCross ? $" for {request.Platform}" : "")}. Available bases are: {string.Join(", ", catalog.Bases.Select(x => x.Name))}");
        try
        {
            // A base that exists is used as it is (debootstrap takes minutes): remove its layout to rebuild it after a catalog change.
            var missing = bases.Distinct().Where(b => !File.Exists(Path.Combine(catalog.LayoutPath(catalog.Bases.First(x => x.Name == b)), "index.json"))).ToList();
            if (missing.Count > 0) await new BaseImageBuilder(catalog).BuildAllAsync(missing, new BaseImageBuildOptions { Log = request.Log }, ct);
        }
        catch (ToolException e) when (SystemPackages.UnknownPackageLine(e.Result.Tail, catalog.Suite) is { } line)
        {
            throw new StepFailure("base", FailureClass.Permanent, line, e.Result.Tail, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ToolException)
        {
            throw new StepFailure("base", FailureClass.Transient, $"making the {string.Join(" and ", bases.Distinct())} base failed: {e.Message.Split('\n')[0]}", inner: e);
        }

        var work = Path.Combine(request.WorkDirectory, "source");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var staged = Path.Combine(work, "src");
        Stage(appDir, staged, null);
        WriteFiles(plan, staged);
        var layersDir = Path.Combine(work, "layers");
        Directory.CreateDirectory(layersDir);
        var newLayers = new List<WrittenLayer>();

        if (!needsStage)
        {
            request.Log($"no build stage: the {plan.Provider} app is copied as it is");
            newLayers.AddRange(await WriteAppLayersAsync(plan, staged, layersDir, request.SourceDate, ct));
            return await AssembleAsync(plan, catalog, newLayers, request, ct);
        }
        var storage = BuildahStage.StorageFlags(options.BuildahRoot);
        var buildBase = $"oci:{catalog.LayoutPath(catalog.Bases.First(b => b.Name == plan.BuildBase))}:{BaseImageCatalog.Ref}";
        var baseDigest = OciLayout.Open(catalog.LayoutPath(catalog.Bases.First(b => b.Name == plan.BuildBase))).Resolve(BaseImageCatalog.Ref).Digest;
        var network = BuildNetwork.For(options.Mirrors, Path.Combine(work, "network"));
        var env = BuildEnvironment(plan, network);
        var depsDir = Path.Combine(work, "deps");
        Stage(appDir, depsDir, plan.DependencyFiles);
        // A host toolchain is part of the install's inputs: its SDK versions key the cached install too.
        var toolchainKey = plan.HostToolchain is { } tc ? tc + ":" + string.Join(",", Directory.GetDirectories(Path.Combine(HostToolchainDirectory(tc), "sdk")).Select(Path.GetFileName).Order(StringComparer.Ordinal)) : "";
        var key = DependencyKey(plan, baseDigest, env, depsDir, toolchainKey + (request.CacheScope is { } scope ? "\nscope:" + scope : ""));
        var cached = $"localhost/slipway-source-deps:{key[..32]}";
        var caches = CacheRoot(options.BaseDirectory, request.CacheScope);
        var layerCache = new DependencyLayerCache(Path.Combine(caches, "dependency-layers"));
        var layerCacheName = DependencyLayerCache.Name(key, LayerOptionsFor(request.SourceDate));
        if (plan.Build.Count == 0 && layerCache.TryGet(layerCacheName, layersDir) is (true, var cachedLayer))
        {
            // Same lockfile, nothing to build: the install's layer as it was, the app layer from the sources.
            request.Log("[install] dependencies unchanged and no build step: reusing the cached dependency layer (no build container)");
            if (cachedLayer is not null) newLayers.Add(cachedLayer);
            newLayers.Add(await WriteLayerAsync(AppEntries(plan, staged), layersDir, request.SourceDate, "app", ct));
            return await AssembleAsync(plan, catalog, newLayers, request, ct);
        }
        var volumes = plan.CacheDirectories.ToDictionary(c => Path.Combine(caches, plan.Provider, c.Trim('/').Replace('/', '_')), c => c);
        foreach (var (host, inside) in network.Files) volumes[host] = inside + ":ro";
        if (plan.HostToolchain is { } toolchain) volumes[HostToolchainDirectory(toolchain)] = Providers.DotnetProvider.SdkMount + ":ro";
        // The service's variables are the build's secrets (Railpack gives them to every step): a mounted file, masked in the log.
        var secrets = BuildSecrets.From(request.Variables, request.Log);
        var secretsDir = Path.Combine(work, "secrets");
        Action<string> stageLog = secrets.IsEmpty ? request.Log : l => request.Log(secrets.Mask(l));
        if (!secrets.IsEmpty) volumes[secrets.Write(secretsDir)] = BuildSecrets.MountPath + ":ro";
        var haveCache = plan.Setup.Count + plan.Install.Count > 0 && await BuildahStage.ImageExistsAsync(storage, cached, ct);
        await using var sandbox = await StepSandbox.StartAsync(options.Sandbox, request.Log, ct);
        // Nothing to install (a Go app on the standard library, a static build): the stage runs on an overlay of the
        // toolchain base unpacked once, so a rebuild copies no base; an install keeps the copied stage, whose commit is its cache.
        BuildahStage? overlay = null;
        if (options.ToolchainOverlay && !catalog.IsCross && plan.Setup.Count + plan.Install.Count == 0 && await BuildahStage.OverlaySupportedAsync(work))
        {
            var lower = await new ToolchainRoots(Path.Combine(options.BaseDirectory, "caches", "toolchain-roots")).GetAsync(storage, plan.BuildBase!, buildBase, baseDigest, request.Log, ct);
            overlay = await BuildahStage.FromOverlayAsync(storage, lower, Path.Combine(work, "overlay"), stageLog, ct, sandbox);
            if (overlay is not null)
            {
                request.Log($"[build] on an overlay of the unpacked {plan.BuildBase} base (no copy of it)");
                // A scratch container has no configuration: the base's environment (PATH) comes first, the plan's over it.
                var withBase = await BaseEnvironmentAsync(catalog.LayoutPath(catalog.Bases.First(b => b.Name == plan.BuildBase)), ct);
                foreach (var (k, v) in env) withBase[k] = v;
                env = withBase;
            }
        }
        await using var stage = overlay ?? await BuildahStage.FromAsync(storage, haveCache ? cached : buildBase, stageLog, ct, sandbox, catalog.IsCross ? catalog.TargetArchitecture : null);
        if (!secrets.IsEmpty) stage.SecretsFile = BuildSecrets.MountPath;
        try
        {
            if (haveCache) request.Log($"[install] dependencies unchanged: reusing {cached}");
            else
            {
                await stage.CopyAsync(depsDir + "/.", "/app", ct);
                foreach (var c in plan.Setup) await stage.RunAsync("setup", c, env, volumes, t => Unreachable(plan, t), ct);
                foreach (var c in plan.Install) await stage.RunAsync("install", c, env, volumes, t => Unreachable(plan, t), ct);
                if (plan.Setup.Count + plan.Install.Count > 0) await stage.CommitAsync(cached, ct);
            }
            await stage.CopyAsync(staged + "/.", "/app", ct);
            foreach (var c in plan.Build) await stage.RunAsync("build", c, env, volumes, t => Unreachable(plan, t), ct);
        }
        catch (StepFailure e) when (!secrets.IsEmpty)
        {
            // Without the inner exception: its tail is the step's output before masking.
            throw new StepFailure(e.Step, e.Class, secrets.Mask(e.Message), e.LogTail.Select(secrets.Mask).ToList());
        }
        finally
        {
            if (Directory.Exists(secretsDir)) Directory.Delete(secretsDir, recursive: true);
        }
        var root = await stage.MountAsync(ct);
        var appRoot = Path.Combine(root, "app");
        var dependencies = await WriteDependencyLayerAsync(plan, appRoot, layersDir, ct);
        var appEntries = AppEntries(plan, appRoot);
        if (dependencies is not null) newLayers.Add(dependencies);
        newLayers.Add(await WriteLayerAsync(appEntries, layersDir, request.SourceDate, "app", ct));
        // Kept for container-free rebuilds only when the sources alone give the same app layer (the install
        // wrote nothing outside the dependency paths).
        if (plan.Build.Count == 0 && SameTree(appEntries, AppEntries(plan, staged))) layerCache.Put(layerCacheName, dependencies);

        return await AssembleAsync(plan, catalog, newLayers, request, ct);
    }

    /// <summary>The environment in a base's image configuration (PATH and what the base sets).</summary>
    private static async Task<SortedDictionary<string, string>> BaseEnvironmentAsync(string layout, CancellationToken ct)
    {
        var image = OciLayout.Open(layout).ReadImage(BaseImageCatalog.Ref);
        await using var s = await image.Config.OpenReadAsync(ct);
        using var m = new MemoryStream();
        await s.CopyToAsync(m, ct);
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in OciJson.Deserialize<ImageConfig>(m.ToArray(), "build base config").Config?.Env ?? [])
            if (e.IndexOf('=') is > 0 and var i) env[e[..i]] = e[(i + 1)..];
        return env;
    }

    /// <summary>
    /// Where a build's package caches and cached dependency layers live: one directory per cache scope (the
    /// tenant), named by a hash so no scope string can climb out of it or collide with another's name.
    /// </summary>
    public static string CacheRoot(string baseDirectory, string? scope) =>
        scope is null ? Path.Combine(baseDirectory, "caches")
        : Path.Combine(baseDirectory, "caches", "scopes", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))[..32]);

    private static bool SameTree(IReadOnlyList<LayerEntry> a, IReadOnlyList<LayerEntry> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Path == p.Second.Path && p.First.Kind == p.Second.Kind && p.First.Mode == p.Second.Mode && p.First.LinkTarget == p.Second.LinkTarget);

    /// <summary>The dependency layer (when the plan has one and it is not empty) and the app layer.</summary>
    private static async Task<List<WrittenLayer>> WriteAppLayersAsync(BuildPlan plan, string appRoot, string layersDir, DateTimeOffset date, CancellationToken ct)
    {
        var result = new List<WrittenLayer>();
        if (await WriteDependencyLayerAsync(plan, appRoot, layersDir, ct) is { } dependencies) result.Add(dependencies);
        result.Add(await WriteLayerAsync(AppEntries(plan, appRoot), layersDir, date, "app", ct));
        return result;
    }

    /// <summary>
    /// The plan's dependency paths as one layer, or null when there are none. Its times are the epoch, not the
    /// commit's date: the layer depends on the lockfile alone, so a new commit with the same lockfile re-uploads
    /// only the app layer.
    /// </summary>
    private static async Task<WrittenLayer?> WriteDependencyLayerAsync(BuildPlan plan, string appRoot, string layersDir, CancellationToken ct)
    {
        var depEntries = new List<LayerEntry>();
        foreach (var d in plan.DependencyPaths.Select(Clean).Where(d => Directory.Exists(Path.Combine(appRoot, d))))
            depEntries.AddRange(Parents("app/" + d).Concat(LayerWriter.EntriesFromDirectory(Path.Combine(appRoot, d), "app/" + d)));
        return depEntries.Count == 0 ? null
            : await WriteLayerAsync(depEntries, layersDir, DateTimeOffset.UnixEpoch, "dependencies: " + string.Join(", ", plan.DependencyPaths), ct);
    }

    /// <summary>The app layer's entries: the plan's outputs under /app, without the dependency paths and byte-code caches.</summary>
    private static List<LayerEntry> AppEntries(BuildPlan plan, string appRoot)
    {
        var appEntries = new List<LayerEntry> { LayerEntry.Directory("app") };
        var skip = plan.DependencyPaths.Select(Clean).ToHashSet(StringComparer.Ordinal);
        foreach (var o in plan.Output.Select(Clean))
        {
            var full = o == "" ? appRoot : Path.Combine(appRoot, o);
            var prefix = o == "" ? "app" : "app/" + o;
            if (File.Exists(full)) { appEntries.AddRange(Parents(prefix)); appEntries.Add(LayerEntry.File(prefix, full)); continue; }
            if (!Directory.Exists(full))
            {
                if (o is "public") continue; // optional in framework outputs
                throw new StepFailure("build", FailureClass.Permanent, $"the build left no '{o}' in /app; the plan's output names it (fix the build command or the plan's output)");
            }
            appEntries.AddRange(Parents(prefix));
            appEntries.AddRange(LayerWriter.EntriesFromDirectory(full, prefix).Where(e => !Excluded(e.Path, skip)));
        }
        foreach (var f in (plan.Files?.Keys ?? []).Select(Clean))
        {
            appEntries.AddRange(Parents("app/" + f));
            appEntries.Add(LayerEntry.File("app/" + f, Path.Combine(appRoot, f)));
        }
        var distinct = Distinct(appEntries);
        distinct.Sort((x, y) => string.CompareOrdinal(x.Path, y.Path));
        return distinct;
    }

    private static bool Excluded(string path, HashSet<string> dependencyPaths)
    {
        var rel = path.Length > 4 ? path[4..] : "";
        if (dependencyPaths.Any(d => rel == d || rel.StartsWith(d + "/", StringComparison.Ordinal))) return true;
        // Byte-code caches hold compile times; the runtime recompiles them when it needs to.
        return rel.Split('/').Contains("__pycache__");
    }

    private static string Clean(string p)
    {
        var t = p.Trim().Trim('/');
        if (t.StartsWith("./", StringComparison.Ordinal)) t = t[2..];
        return t is "." ? "" : t;
    }

    private static IEnumerable<LayerEntry> Parents(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++) yield return LayerEntry.Directory(string.Join('/', parts[..i]));
    }

    private static List<LayerEntry> Distinct(IEnumerable<LayerEntry> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return entries.Where(e => seen.Add(e.Path)).ToList();
    }

    private static LayerOptions LayerOptionsFor(DateTimeOffset date) => new() { Timestamp = date, NormalizeModes = false };

    private static async Task<WrittenLayer> WriteLayerAsync(IEnumerable<LayerEntry> entries, string dir, DateTimeOffset date, string what, CancellationToken ct)
    {
        var tmp = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".tmp");
        LayerDigests d;
        await using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            d = await LayerWriter.WriteAsync(Distinct(entries), file, LayerOptionsFor(date), ct);
        var path = Path.Combine(dir, d.Digest.Hex);
        File.Move(tmp, path, overwrite: true);
        return new WrittenLayer(d, path, what);
    }

    private async Task<OciImage> AssembleAsync(BuildPlan plan, BaseImageCatalog catalog, List<WrittenLayer> layers, SourceBuildRequest request, CancellationToken ct)
    {
        var runtime = OciLayout.Open(catalog.LayoutPath(catalog.Bases.First(b => b.Name == plan.RuntimeBase))).ReadImage(BaseImageCatalog.Ref);
        ImageConfig baseConfig;
        await using (var s = await runtime.Config.OpenReadAsync(ct))
        using (var m = new MemoryStream())
        {
            await s.CopyToAsync(m, ct);
            baseConfig = OciJson.Deserialize<ImageConfig>(m.ToArray(), "runtime base config");
        }
        var created = request.SourceDate.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in baseConfig.Config?.Env ?? []) if (e.IndexOf('=') is > 0 and var i) env[e[..i]] = e[(i + 1)..];
        foreach (var (k, v) in plan.Env) env[k] = v;
        env["PORT"] = plan.Port.ToString(CultureInfo.InvariantCulture);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in baseConfig.Config?.Labels ?? new Dictionary<string, string>()) labels[k] = v;
        foreach (var (k, v) in await SourceLabels.ForAsync(request, plan, created, ct)) labels[k] = v;

        var config = baseConfig with
        {
            Created = created,
            Config = (baseConfig.Config ?? new ContainerConfig()) with
            {
                User = $"{AppUid}:{AppUid}",
                WorkingDir = BuildPlan.AppRoot,
                Env = env.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
                Entrypoint = ["/bin/sh", "-c"],
                Cmd = [plan.Start],
                ExposedPorts = new SortedDictionary<string, EmptyObject>(StringComparer.Ordinal) { [$"{plan.Port}/tcp"] = new EmptyObject() },
                Labels = labels,
            },
            RootFs = new RootFs { DiffIds = [.. baseConfig.RootFs.DiffIds, .. layers.Select(l => l.Digests.DiffId)] },
            History = [.. baseConfig.History ?? [], .. layers.Select(l => new HistoryEntry { Created = created, CreatedBy = $"slipway source ({plan.Provider}): {l.What}" })],
        };
        var blobs = runtime.Layers.Concat(layers.Select(l => (IBlob)new FileBlob(
            new Descriptor { MediaType = l.Digests.MediaType, Digest = l.Digests.Digest, Size = l.Digests.Size }, l.Path))).ToList();
        return OciImage.Create(config, blobs, labels.Where(l => l.Key.StartsWith("org.opencontainers.image.", StringComparison.Ordinal)).ToDictionary());
    }

    /// <summary>The plan's own files (<see cref="BuildPlan.Files"/>) into the staged sources, over what the repository has there.</summary>
    private static void WriteFiles(BuildPlan plan, string staged)
    {
        foreach (var (path, content) in plan.Files ?? new Dictionary<string, string>())
        {
            var rel = Clean(path);
            if (rel.Length == 0 || rel.Split('/').Any(p => p is ".." or "."))
                throw new StepFailure("plan", FailureClass.Permanent, $"the plan's file '{Providers.Shell.Printable(path)}' is not a path under /app; name files relative to /app without '..'");
            // The staged copy keeps the repository's symlinks: one on the way (.slipway -> /etc) is replaced, never followed.
            var dir = staged;
            var parts = rel.Split('/');
            foreach (var part in parts[..^1])
            {
                dir = Path.Combine(dir, part);
                if (new FileInfo(dir) is { } link && (link.LinkTarget is not null || link.Exists)) link.Delete();
                Directory.CreateDirectory(dir);
            }
            var dest = Path.Combine(dir, parts[^1]);
            if (new FileInfo(dest) is { } old && (old.LinkTarget is not null || old.Exists)) old.Delete();
            else if (Directory.Exists(dest)) Directory.Delete(dest, recursive: true);
            File.WriteAllText(dest, content);
        }
    }

    /// <summary>Copies the app (without .git, node_modules, .venv and what .dockerignore excludes); only <paramref name="only"/> when given.</summary>
    private static void Stage(string appDir, string target, IReadOnlyList<string>? only)
    {
        Directory.CreateDirectory(target);
        var ignore = DockerIgnore.Load(File.Exists(Path.Combine(appDir, ".dockerignore")) ? Path.Combine(appDir, ".dockerignore") : null);
        foreach (var full in ignore.ContextFiles(appDir))
        {
            var rel = Path.GetRelativePath(appDir, full).Replace('\\', '/');
            var top = rel.Split('/')[0];
            if (top is ".git" or "node_modules" or ".venv" or "__pycache__" || rel.Contains("/node_modules/") || rel.Contains("/__pycache__/")) continue;
            if (only is not null && !only.Any(o => rel == o || rel.StartsWith(o.TrimEnd('/') + "/", StringComparison.Ordinal))) continue;
            var dest = Path.Combine(target, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            var info = new FileInfo(full);
            if (info.LinkTarget is { } link) File.CreateSymbolicLink(dest, link);
            else File.Copy(full, dest, overwrite: true);
        }
    }

    private static string DependencyKey(BuildPlan plan, Digest baseDigest, IReadOnlyDictionary<string, string> env, string depsDir, string toolchainKey)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { h.AppendData(Encoding.UTF8.GetBytes(s)); h.AppendData([0]); }
        Add(BuilderVersion);
        if (toolchainKey.Length > 0) Add(toolchainKey);
        Add(baseDigest.ToString());
        foreach (var c in plan.Setup.Concat(["--"]).Concat(plan.Install)) Add(c);
        foreach (var (k, v) in env.OrderBy(e => e.Key, StringComparer.Ordinal)) Add($"{k}={v}");
        foreach (var f in Directory.EnumerateFiles(depsDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Add(Path.GetRelativePath(depsDir, f));
            using var s = File.OpenRead(f);
            h.AppendData(SHA256.HashData(s));
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>The plan's build environment plus the configured mirrors (configuration, not part of the plan).</summary>
    private static IReadOnlyDictionary<string, string> BuildEnvironment(BuildPlan plan, BuildNetwork network)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = "/root", ["CI"] = "true" };
        foreach (var (k, v) in plan.BuildEnv) env[k] = v;
        // The network setting comes last: a plan does not pick the registry, the CA or the proxy.
        foreach (var (k, v) in network.Environment) env[k] = v;
        return env;
    }

    /// <summary>The configured directory of a host toolchain, checked before any container starts.</summary>
    private string HostToolchainDirectory(string toolchain) => toolchain switch
    {
        Providers.DotnetProvider.Toolchain when options.DotnetRoot is { } root && File.Exists(Path.Combine(root, "dotnet")) && Directory.Exists(Path.Combine(root, "sdk")) => root,
        Providers.DotnetProvider.Toolchain => throw new StepFailure("build", FailureClass.Permanent,
            $"a .NET app needs a .NET SDK directory (with dotnet and sdk/), and '{options.DotnetRoot ?? "(none)"}' is not one; set SLIPWAY_DOTNET_ROOT to it (the base path `dotnet --info` shows, without sdk/VERSION)"),
        _ => throw new StepFailure("plan", FailureClass.Permanent, $"host toolchain '{toolchain}' is unknown; valid toolchains: {Providers.DotnetProvider.Toolchain}"),
    };

    /// <summary>The one-line refusal when the plan needs a registry this machine has no mirror for.</summary>
    private void CheckRegistries(BuildPlan plan)
    {
        foreach (var need in plan.Registries)
        {
            var (url, name, variable, vendored) = Registry(need.Registry);
            if (url is null)
                throw new StepFailure("install", FailureClass.Permanent,
                    $"dependency '{need.Dependency}' needs the {name}, which is not configured here; set {variable} to a mirror, or {vendored}");
        }
    }

    private (string? Url, string Name, string Variable, string Vendored) Registry(string registry) => registry switch
    {
        "npm" => (options.Mirrors.Npm, "npm registry", "SLIPWAY_NPM_REGISTRY", "commit node_modules"),
        "pypi" => (options.Mirrors.PyPI, "PyPI index (pypi.org)", "SLIPWAY_PYPI_INDEX", "vendor wheels in ./wheels"),
        "goproxy" => (options.Mirrors.GoProxy, "Go module proxy (proxy.golang.org)", "SLIPWAY_GOPROXY", "vendor them with `go mod vendor`"),
        "crates" => (options.Mirrors.Crates, "crates.io registry", "SLIPWAY_CRATES_REGISTRY", "vendor them with `cargo vendor`"),
        "nuget" => (options.Mirrors.NuGet, "NuGet source (nuget.org)", "SLIPWAY_NUGET_SOURCE", "drop the package reference"),
        _ => (null, registry + " registry", "a mirror setting", "vendor the dependency"),
    };

    /// <summary>An install/build that failed because a package registry could not be reached: one transient line naming it.</summary>
    private StepFailure? Unreachable(BuildPlan plan, IReadOnlyList<string> tail)
    {
        var line = tail.FirstOrDefault(l => NetworkError().IsMatch(l));
        if (line is null) return null;
        var registry = plan.Provider switch { "node" => "npm", "python" => "pypi", "go" => "goproxy", "rust" => "crates", "dotnet" => "nuget", _ => "npm" };
        var (url, name, variable, _) = Registry(registry);
        // A host that is not the registry (fonts, binaries from a CDN): named as such, a mirror setting would not help.
        if (FailedHost().Match(line) is { Success: true } h && Uri.TryCreate(url, UriKind.Absolute, out var u) && !h.Groups[1].Value.Equals(u.Host, StringComparison.OrdinalIgnoreCase))
            return new StepFailure("install", FailureClass.Transient, $"the build reached for {h.Groups[1].Value}, which is not the {name} and is unreachable ({line.Trim()}); vendor what it fetches or build where that host is reachable", tail);
        return new StepFailure("install", FailureClass.Transient, $"the {name} {url} is unreachable ({line.Trim()}); check the network or set {variable} to a reachable mirror", tail);
    }

    [GeneratedRegex(@"(?:ENOTFOUND|EAI_AGAIN|Could not resolve host:?)\s+([A-Za-z0-9.-]+)")]
    private static partial Regex FailedHost();

    [GeneratedRegex(@"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|Could not resolve host|Temporary failure in name resolution|Network is unreachable|connection refused")]
    private static partial Regex NetworkError();
}
