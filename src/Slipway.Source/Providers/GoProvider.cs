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
    public string LooksFor => "go.mod, go.work, main.go";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        var decided = new List<string>();
        string? member = null;
        var mod = app.Read("go.mod");
        if (mod is not null) decided.Add("go.mod");
        else if (app.Read("go.work") is { } work)
        {
            // A workspace: the first module it uses that has a main package is the app.
            member = WorkUses(work).FirstOrDefault(d => app.Exists(d + "/go.mod") && Directory.EnumerateFiles(app.Full(d), "*.go").Any(f => MainPackage().IsMatch(File.ReadAllText(f))));
            if (member is null) return null;
            mod = app.Read(member + "/go.mod")!;
            decided.AddRange(["go.work", member + "/go.mod"]);
        }
        else if (app.Exists("main.go")) decided.Add("main.go");
        else return null;
        mod ??= "";
        var module = ModuleLine().Match(mod) is { Success: true } mm ? mm.Groups[1].Value : "app";
        var goVersion = GoLine().Match(mod) is { Success: true } gm ? new PlanVersion("go", gm.Groups[1].Value + " (built with Debian's go 1.19)", "go.mod go directive") : new PlanVersion("go", "1.19 (Debian)", "default: Debian bookworm's golang-go");
        var requires = RequireLines(mod);
        var vendored = app.DirectoryExists("vendor");
        if (vendored) decided.Add("vendor/modules.txt");

        string package = member is null ? "." : "./" + member;
        var name = module.Split('/').Last();
        if (member is null && !Directory.EnumerateFiles(app.Directory, "*.go").Any())
        {
            var cmds = app.Subdirectories("cmd").ToList();
            var pick = cmds.FirstOrDefault(c => c.EndsWith("/" + name)) ?? cmds.FirstOrDefault();
            if (pick is not null) { package = "./" + pick; name = Path.GetFileName(pick); decided.Add(pick); }
        }
        var flags = vendored ? " -mod=vendor" : "";
        // Module and directory names come from the repository: the binary's name keeps only safe characters, the package path is quoted.
        name = SafeName(name);
        package = Shell.Quote(package);
        return new BuildPlan
        {
            Provider = Name,
            Versions = [goVersion],
            BuildBase = "golang",
            RuntimeBase = "busybox",
            RuntimePackages = ["busybox-static"],
            DependencyFiles = new[] { "go.mod", "go.sum", "go.work", "go.work.sum" }.Concat(member is null ? [] : [member + "/go.mod", member + "/go.sum"]).Where(app.Exists).Concat(vendored ? ["vendor"] : []).ToList(),
            Install = requires.Count > 0 && !vendored ? ["go mod download"] : [],
            // main.go without go.mod: a module of its own, as `go mod init` makes it (stdlib only: nothing to download).
            Build = [$"{(decided.Contains("main.go") ? "go mod init app && " : "")}mkdir -p /app/.slipway/bin && go build{flags} -trimpath -buildvcs=false -ldflags='-s -w -buildid=' -o /app/.slipway/bin/{name} {package}"],
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

    private static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).TrimStart('.', '-');
        return safe.Length == 0 ? "app" : safe;
    }

    /// <summary>The directories of go.work's use directives (one line or a block).</summary>
    private static IEnumerable<string> WorkUses(string work)
    {
        var inBlock = false;
        foreach (var raw in work.Split('\n'))
        {
            var line = raw.Split("//")[0].Trim();
            if (line.StartsWith("use (")) { inBlock = true; continue; }
            if (inBlock && line == ")") { inBlock = false; continue; }
            var dir = inBlock ? line : line.StartsWith("use ") ? line[4..].Trim() : "";
            dir = dir.Trim('"').TrimStart('.', '/');
            if (dir.Length > 0 && !dir.Contains("..")) yield return dir;
        }
    }

    [GeneratedRegex(@"^package\s+main\b", RegexOptions.Multiline)]
    private static partial Regex MainPackage();

    [GeneratedRegex(@"^module\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex ModuleLine();

    [GeneratedRegex(@"^go\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex GoLine();
}
