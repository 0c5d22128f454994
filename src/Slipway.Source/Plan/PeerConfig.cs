using System.Text.Json;
using Slipway.Source.Providers;
using Tomlyn.Model;

namespace Slipway.Source.Plan;

/// <summary>
/// The peers' configuration files in an app: <c>railpack.json</c> (Railpack) and <c>nixpacks.toml</c> (Nixpacks),
/// read into one set of overrides of the detected plan: the provider, install/build commands (<c>"..."</c> stands
/// for the provider's own), the start command, variables, and system packages. Each value remembers which file and
/// key set it, for <c>slipway detect</c>. railpack.json wins over nixpacks.toml where both set a value.
/// </summary>
public sealed record PeerConfig
{
    public string? Provider { get; init; }
    public IReadOnlyList<string>? Install { get; init; }
    public IReadOnlyList<string>? Build { get; init; }
    /// <summary>railpack.json's own steps (not install/build), in file order: run after the build, in the build stage.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Commands)> Steps { get; init; } = [];
    /// <summary>railpack.json <c>secrets</c>: the service variables the file says its steps read (every service variable is a build secret).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
    public string? Start { get; init; }
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    /// <summary>System packages asked for (nixPkgs, aptPkgs, railpack packages/aptPackages), each with the key that named it.</summary>
    public IReadOnlyList<(string Package, string From, PackageStage Stage)> Packages { get; init; } = [];
    /// <summary>"file key" for each value set, e.g. "nixpacks.toml [start] cmd".</summary>
    public IReadOnlyList<string> SetBy { get; init; } = [];

    public bool IsEmpty => SetBy.Count == 0;

    /// <summary>The prefixes of the peers' own settings among a service's variables (node version, commands, packages).</summary>
    public static readonly string[] SettingPrefixes = ["RAILPACK_", "NIXPACKS_"];

    /// <summary>Whether a service variable is one of the peers' settings (<c>RAILPACK_*</c>, <c>NIXPACKS_*</c>).</summary>
    public static bool IsSetting(string name) => SettingPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The config files, then the service's variables over them (NIXPACKS_*, RAILPACK_*: the peers let the environment win over the file).</summary>
    public static PeerConfig Read(AppFiles app, IReadOnlyDictionary<string, string>? variables = null)
    {
        var config = new PeerConfig();
        if (TomlFile.Read(app, "nixpacks.toml") is { } nix) config = config.Merge(FromNixpacks(nix));
        if (app.Json("railpack.json") is { } rp) config = config.Merge(FromRailpack(rp, app));
        if (variables is { Count: > 0 })
        {
            config = config.Merge(FromVariables(variables, "NIXPACKS_", "PKGS", "APT_PKGS", null));
            config = config.Merge(FromVariables(variables, "RAILPACK_", "PACKAGES", "BUILD_APT_PACKAGES", "DEPLOY_APT_PACKAGES"));
        }
        return config;
    }

    /// <summary>The peers' build variables: PREFIX INSTALL_CMD, BUILD_CMD, START_CMD and space-separated package lists.</summary>
    private static PeerConfig FromVariables(IReadOnlyDictionary<string, string> variables, string prefix, string packagesKey, string buildAptKey, string? deployAptKey)
    {
        var setBy = new List<string>();
        string? V(string key)
        {
            if (!variables.TryGetValue(prefix + key, out var v) || v.Trim().Length == 0) return null;
            setBy.Add("variable " + prefix + key);
            return v.Trim();
        }
        var packages = new List<(string, string, PackageStage)>();
        foreach (var (key, stage) in new[] { (packagesKey, PackageStage.Both), (buildAptKey, deployAptKey is null ? PackageStage.Both : PackageStage.Build), (deployAptKey, PackageStage.Runtime) })
            if (key is not null && V(key) is { } list)
                foreach (var p in list.Split(' ', StringSplitOptions.RemoveEmptyEntries)) packages.Add((p, "variable " + prefix + key, stage));
        var install = V("INSTALL_CMD");
        var build = V("BUILD_CMD");
        return new PeerConfig
        {
            Install = install is null ? null : [install],
            Build = build is null ? null : [build],
            Start = V("START_CMD"),
            Packages = packages,
            SetBy = setBy,
        };
    }

    private PeerConfig Merge(PeerConfig over) => new()
    {
        Provider = over.Provider ?? Provider,
        Install = over.Install ?? Install,
        Build = over.Build ?? Build,
        Steps = [.. Steps, .. over.Steps],
        Secrets = [.. Secrets, .. over.Secrets],
        Start = over.Start ?? Start,
        Variables = new SortedDictionary<string, string>(Variables.Concat(over.Variables).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value), StringComparer.Ordinal),
        Packages = [.. Packages, .. over.Packages],
        SetBy = [.. SetBy, .. over.SetBy],
    };

    private static PeerConfig FromNixpacks(TomlTable toml)
    {
        const string f = "nixpacks.toml";
        var setBy = new List<string>();
        IReadOnlyList<string>? Commands(string phase)
        {
            var cmds = TomlFile.Strings(toml, "phases", phase, "cmds");
            if (cmds.Count == 0 && TomlFile.String(toml, "phases", phase, "cmd") is { } one) cmds = [one];
            if (cmds.Count == 0) return null;
            setBy.Add($"{f} [phases.{phase}] cmds");
            return cmds;
        }
        var packages = new List<(string, string, PackageStage)>();
        // Nixpacks builds and runs in one image: its packages are wanted in both.
        foreach (var key in new[] { "nixPkgs", "aptPkgs", "nixLibs" })
            foreach (var p in TomlFile.Strings(toml, "phases", "setup", key))
                if (p != "...") packages.Add((p, $"{f} [phases.setup] {key}", PackageStage.Both));
        if (packages.Count > 0) setBy.Add($"{f} [phases.setup] packages");
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (TomlFile.Get(toml, "variables") is TomlTable vars)
        {
            foreach (var (k, v) in vars) variables[k] = v?.ToString() ?? "";
            setBy.Add($"{f} [variables]");
        }
        var providers = TomlFile.Strings(toml, "providers").Where(p => p != "...").ToList();
        if (providers.Count > 0) setBy.Add($"{f} providers");
        var start = TomlFile.String(toml, "start", "cmd");
        if (start is not null) setBy.Add($"{f} [start] cmd");
        return new PeerConfig
        {
            Provider = providers.FirstOrDefault(),
            Install = Commands("install"),
            Build = Commands("build"),
            Start = start,
            Variables = variables,
            Packages = packages,
            SetBy = setBy,
        };
    }

    private static PeerConfig FromRailpack(JsonElement json, AppFiles app)
    {
        const string f = "railpack.json";
        if (json.ValueKind != JsonValueKind.Object) throw new FormatException($"{f}: must be a JSON object (provider, steps, deploy, packages, …); see https://railpack.com/config/file");
        var setBy = new List<string>();
        string? S(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        JsonElement O(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        var steps = O(json, "steps");
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("steps", out var stepsValue) && stepsValue.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{f} steps: must map step names to steps, e.g. {{ \"build\": {{ \"commands\": [\"...\", \"npm run extra\"] }} }}");
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string>? Commands(string step)
        {
            var s = O(steps, step);
            if (s.ValueKind != JsonValueKind.Object) return null;
            // Railpack saves step variables in the image: they are the build's and the app's environment.
            if (O(s, "variables") is { ValueKind: JsonValueKind.Object } sv)
            {
                foreach (var p in sv.EnumerateObject()) variables[p.Name] = p.Value.ToString();
                setBy.Add($"{f} steps.{step}.variables");
            }
            if (!s.TryGetProperty("commands", out var c)) return null;
            if (c.ValueKind != JsonValueKind.Array) throw new FormatException($"{f} steps.{step}.commands: must be a list of commands");
            setBy.Add($"{f} steps.{step}.commands");
            return RailpackSteps.Commands(c, $"{f} steps.{step}.commands", app);
        }
        var custom = new List<(string, IReadOnlyList<string>)>();
        if (steps.ValueKind == JsonValueKind.Object)
            foreach (var step in steps.EnumerateObject())
            {
                if (step.Value.ValueKind != JsonValueKind.Object)
                    throw new FormatException($"{f} steps.{Shell.Printable(step.Name)}: must be a step object with commands (and optionally variables, secrets)");
                if (step.Name is "install" or "build") continue;
                if (Commands(step.Name) is { } cmds) custom.Add((step.Name, cmds.Where(c => c != "...").ToList()));
            }
        var secrets = new List<string>();
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("secrets", out var sec) && sec.ValueKind == JsonValueKind.Array)
        {
            foreach (var n in sec.EnumerateArray()) if (n.ValueKind == JsonValueKind.String && n.GetString() is { } name) secrets.Add(name);
            setBy.Add($"{f} secrets");
        }
        var deploy = O(json, "deploy");
        var start = S(deploy, "startCommand");
        if (start is not null) setBy.Add($"{f} deploy.startCommand");
        if (O(deploy, "variables") is { ValueKind: JsonValueKind.Object } dv)
        {
            foreach (var p in dv.EnumerateObject()) variables[p.Name] = p.Value.ToString();
            setBy.Add($"{f} deploy.variables");
        }
        var packages = new List<(string, string, PackageStage)>();
        // Railpack's mise packages are installed for the build and kept in the deploy image; apt packages name their stage.
        if (O(json, "packages") is { ValueKind: JsonValueKind.Object } mise)
            foreach (var p in mise.EnumerateObject()) packages.Add((p.Name, $"{f} packages", PackageStage.Both));
        if (json.TryGetProperty("buildAptPackages", out var a) && a.ValueKind == JsonValueKind.Array)
            foreach (var p in a.EnumerateArray()) if (p.ValueKind == JsonValueKind.String && p.GetString() is { } n) packages.Add((n, $"{f} buildAptPackages", PackageStage.Build));
        if (deploy.ValueKind == JsonValueKind.Object && deploy.TryGetProperty("aptPackages", out var da) && da.ValueKind == JsonValueKind.Array)
            foreach (var p in da.EnumerateArray()) if (p.ValueKind == JsonValueKind.String && p.GetString() is { } n) packages.Add((n, $"{f} deploy.aptPackages", PackageStage.Runtime));
        if (packages.Count > 0) setBy.Add($"{f} packages");
        var provider = S(json, "provider");
        if (provider is not null) setBy.Add($"{f} provider");
        var install = Commands("install");
        var build = Commands("build");
        return new PeerConfig
        {
            Provider = provider,
            Install = install,
            Build = build,
            Steps = custom,
            Secrets = secrets,
            Start = start,
            Variables = variables,
            Packages = packages,
            SetBy = setBy,
        };
    }

    /// <summary>Commands where <c>"..."</c> stands for the provider's own (Railpack's and Nixpacks' convention).</summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> configured, IReadOnlyList<string> provider) =>
        configured.SelectMany(c => c == "..." ? provider : [c]).ToList();
}
