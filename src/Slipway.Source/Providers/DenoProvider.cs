using System.Text.Json;
using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>
/// Deno apps (<c>deno.json</c>, <c>deno.jsonc</c>, <c>.deno-version</c>): Deno's official build from the npm registry
/// (<c>@deno/linux-x64-glibc</c>; <c>.deno-version</c> a version or range, default the newest 2.x), installed in the
/// build stage, the entry's imports cached into <c>/app/.deno</c> (<c>DENO_DIR</c>), the binary carried in
/// <c>/app/.slipway/bin</c> onto <c>node-official</c> (glibc, CA certificates). Start: the <c>start</c> task, else
/// <c>deno run --allow-all</c> on <c>main.ts</c> (or main.js, main.mjs, index.ts, index.js, server.ts).
/// Remote imports (jsr:, https:) need their hosts reachable from the build.
/// </summary>
public sealed class DenoProvider : IProvider
{
    private const string DenoPath = "/app/.slipway/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public string Name => "deno";
    public string LooksFor => "deno.json, deno.jsonc or .deno-version";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        var config = app.First("deno.json", "deno.jsonc");
        if (config is null && !app.Exists(".deno-version")) return null;
        var decided = new List<string>();
        if (config is not null) decided.Add(config);
        var spec = "2";
        var source = "default: newest Deno 2";
        if (app.Read(".deno-version") is { } pinned && pinned.Trim().Length > 0)
        {
            spec = Shell.VersionSpec(pinned.Trim().TrimStart('v'), ".deno-version");
            source = ".deno-version";
            decided.Add(".deno-version");
        }
        var package = TargetPlatforms.DenoPackage(context.Target);
        var version = context.Npm.Resolve(package, spec) ?? spec;
        string? startTask = null;
        if (config is not null && app.Json(config) is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("tasks", out var tasks)
            && tasks.ValueKind == JsonValueKind.Object && tasks.TryGetProperty("start", out var st) && st.ValueKind is JsonValueKind.String or JsonValueKind.Object)
            startTask = "start";
        var entry = app.First("main.ts", "main.js", "main.mjs", "index.ts", "index.js", "server.ts");
        if (startTask is null && entry is null)
            throw new FormatException($"{config ?? ".deno-version"}: a Deno app needs a `start` task or a main.ts (also main.js, main.mjs, index.ts, index.js, server.ts)");
        if (entry is not null) decided.Add(entry);
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["DENO_DIR"] = "/app/.deno", ["PATH"] = DenoPath, ["DENO_NO_UPDATE_CHECK"] = "1" };
        // Deno itself is the install (cached with the setup layer; the npm cache keeps the 47 MB tarball between builds).
        var setup = new List<string>
        {
            $"npm install --global --prefix /usr/local --no-audit --no-fund {Shell.Quote(package + "@" + version)} && mkdir -p /app/.slipway/bin && cp -L {Shell.Quote("/usr/local/lib/node_modules/" + package + "/deno")} /app/.slipway/bin/deno && chmod 755 /app/.slipway/bin/deno",
        };
        var build = new List<string>();
        if (entry is not null) build.Add("deno cache " + Shell.Quote(entry));
        return new BuildPlan
        {
            Provider = Name,
            Versions = [new PlanVersion("deno", version, source)],
            BuildBase = "node-debian",
            RuntimeBase = "node-official",
            RuntimePackages = ["libatomic1", "ca-certificates"],
            Setup = setup,
            Build = build,
            CacheDirectories = ["/root/.npm"],
            DependencyPaths = [".slipway/bin"],
            Env = env,
            BuildEnv = env,
            Start = startTask is not null ? "exec deno task start" : "exec deno run --allow-all " + Shell.Quote(entry!),
            Registries = [new RegistryNeed("npm", package + "@" + version)],
            DecidedBy = decided,
        };
    }
}
