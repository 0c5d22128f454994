using System.Text.RegularExpressions;
using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>
/// Go modules (go.mod): the main package at the root, else <c>cmd/&lt;module name&gt;</c> or the first
/// <c>cmd/*</c>; a static binary (CGO off, trimmed paths) on a busybox runtime. Vendored modules build offline.
/// </summary>
public sealed partial class GoProvider : IProvider
{
    public string Name => "go";
    public string LooksFor => "go.mod";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        if (app.Read("go.mod") is not { } mod) return null;
        var decided = new List<string> { "go.mod" };
        var module = ModuleLine().Match(mod) is { Success: true } mm ? mm.Groups[1].Value : "app";
        var goVersion = GoLine().Match(mod) is { Success: true } gm ? new PlanVersion("go", gm.Groups[1].Value + " (built with Debian's go 1.19)", "go.mod go directive") : new PlanVersion("go", "1.19 (Debian)", "default: Debian bookworm's golang-go");
        var requires = RequireLines(mod);
        var vendored = app.DirectoryExists("vendor");
        if (vendored) decided.Add("vendor/modules.txt");

        string package = ".";
        var name = module.Split('/').Last();
        if (!Directory.EnumerateFiles(app.Directory, "*.go").Any())
        {
            var cmds = app.Subdirectories("cmd").ToList();
            var pick = cmds.FirstOrDefault(c => c.EndsWith("/" + name)) ?? cmds.FirstOrDefault();
            if (pick is not null) { package = "./" + pick; name = Path.GetFileName(pick); decided.Add(pick); }
        }
        var flags = vendored ? " -mod=vendor" : "";
        return new BuildPlan
        {
            Provider = Name,
            Versions = [goVersion],
            BuildBase = "golang",
            RuntimeBase = "busybox",
            RuntimePackages = ["busybox-static"],
            DependencyFiles = new[] { "go.mod", "go.sum" }.Where(app.Exists).Concat(vendored ? ["vendor"] : []).ToList(),
            Install = requires.Count > 0 && !vendored ? ["go mod download"] : [],
            Build = [$"mkdir -p /app/.slipway/bin && go build{flags} -trimpath -buildvcs=false -ldflags='-s -w -buildid=' -o /app/.slipway/bin/{name} {package}"],
            Start = $"exec /app/.slipway/bin/{name}",
            Port = 8080,
            BuildEnv = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["CGO_ENABLED"] = "0", ["GOFLAGS"] = "-buildvcs=false" },
            CacheDirectories = ["/root/go/pkg/mod", "/root/.cache/go-build"],
            Output = [".slipway/bin"],
            Registries = requires.Count > 0 && !vendored ? [new RegistryNeed("goproxy", requires[0])] : [],
            DecidedBy = decided,
        };
    }

    private static List<string> RequireLines(string mod)
    {
        var list = new List<string>();
        var inBlock = false;
        foreach (var raw in mod.Split('\n'))
        {
            var line = raw.Split("//")[0].Trim();
            if (line.StartsWith("require (")) { inBlock = true; continue; }
            if (inBlock && line == ")") { inBlock = false; continue; }
            if (inBlock && line.Length > 0) list.Add(line.Split(' ')[0]);
            else if (line.StartsWith("require ")) list.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        return list;
    }

    [GeneratedRegex(@"^module\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex ModuleLine();

    [GeneratedRegex(@"^go\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex GoLine();
}
