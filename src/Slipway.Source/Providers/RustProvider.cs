using System.Text.RegularExpressions;
using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>
/// Rust (Cargo.toml): a package or a workspace, one binary picked from <c>[[bin]]</c>, <c>src/main.rs</c> and
/// <c>src/bin/*</c> of every member — the start override naming it, <c>[package.metadata.slipway] bin</c> /
/// <c>[workspace.metadata.slipway] bin</c>, <c>default-run</c>, the only one, or the one named like the package.
/// Built <c>--offline</c> with Debian's cargo as a static binary (crt-static) for a busybox runtime; dependencies
/// build when vendored (<c>cargo vendor</c> + <c>.cargo/config.toml</c>), otherwise they need the crates.io registry.
/// </summary>
public sealed partial class RustProvider : IProvider
{
    public const string DebianRust = "1.63";
    public string Name => "rust";
    public string LooksFor => "Cargo.toml";

    /// <summary>One binary target: its name and the package (and member directory) it belongs to.</summary>
    public sealed record Binary(string Name, string Package, string Member);

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        if (app.Read("Cargo.toml") is not { } text) return null;
        var root = CargoToml.Parse(text, "Cargo.toml");
        var decided = new List<string> { "Cargo.toml" };
        var manifests = new List<(string Member, CargoToml Toml)>();
        if (root["package"] is not null) manifests.Add(("", root));
        foreach (var member in Members(app, root))
        {
            var rel = member + "/Cargo.toml";
            if (app.Read(rel) is not { } m) throw new FormatException($"Cargo.toml: workspace member '{member}' has no Cargo.toml; fix [workspace] members");
            manifests.Add((member, CargoToml.Parse(m, rel)));
            decided.Add(rel);
        }
        if (manifests.Count == 0) throw new FormatException("Cargo.toml: neither [package] nor [workspace] members; add a [package] with a name");

        var binaries = manifests.SelectMany(m => Binaries(app, m.Member, m.Toml)).ToList();
        var bin = Pick(root, binaries, context.StartCommand);
        decided.Add(bin.Member == "" ? "Cargo.toml" : bin.Member + "/Cargo.toml");

        var version = Toolchain(app, root, manifests);
        if (version.Source.StartsWith("rust-toolchain", StringComparison.Ordinal)) decided.Add(version.Source.Split(' ')[0]);
        var vendored = Vendored(app);
        if (vendored is not null) decided.Add(vendored);
        var deps = manifests.SelectMany(m => RegistryDependencies(m.Toml)).Distinct(StringComparer.Ordinal).ToList();
        var offline = vendored is not null || deps.Count == 0;

        var target = "$(rustc -vV | sed -n 's/^host: //p')";
        // Package and binary names come from Cargo.toml: quoted words, never shell syntax.
        var (pkgArg, binArg) = (Shell.Quote(bin.Package), Shell.Quote(bin.Name));
        return new BuildPlan
        {
            Provider = Name,
            Versions = [version],
            BuildBase = "rust",
            RuntimeBase = "busybox",
            RuntimePackages = ["busybox-static"],
            DependencyFiles = new[] { "Cargo.toml", "Cargo.lock", "rust-toolchain", "rust-toolchain.toml", ".cargo", "vendor" }.Where(f => app.Exists(f) || app.DirectoryExists(f)).ToList(),
            // --target keeps RUSTFLAGS (crt-static) off build scripts and proc macros, which run on the build host.
            Build = [$"T={target} && cargo build --release{(offline ? " --offline" : "")} --target \"$T\" -p {pkgArg} --bin {binArg} && mkdir -p /app/.slipway/bin && cp \"target/$T/release/\"{binArg} /app/.slipway/bin/{binArg}"],
            Start = $"exec /app/.slipway/bin/{binArg}",
            Port = 8080,
            BuildEnv = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["CARGO_TERM_COLOR"] = "never",
                ["RUSTFLAGS"] = "-C target-feature=+crt-static -C strip=symbols",
            },
            CacheDirectories = ["/root/.cargo/registry", "/root/.cargo/git"],
            Output = [".slipway/bin"],
            Registries = offline ? [] : [new RegistryNeed("crates", deps[0])],
            DecidedBy = decided.Distinct().ToList(),
        };
    }

    /// <summary>The workspace members (globs like <c>crates/*</c> expanded to directories with a Cargo.toml), minus <c>exclude</c>.</summary>
    private static List<string> Members(AppFiles app, CargoToml root)
    {
        if (root["workspace"] is not { } ws) return [];
        var exclude = CargoToml.Strings(ws.GetValueOrDefault("exclude")).Select(Norm).ToHashSet(StringComparer.Ordinal);
        var members = new List<string>();
        foreach (var pattern in CargoToml.Strings(ws.GetValueOrDefault("members")).Select(Norm))
        {
            if (pattern.EndsWith("/*", StringComparison.Ordinal))
                members.AddRange(app.Subdirectories(pattern[..^2]).Where(d => app.Exists(d + "/Cargo.toml")));
            else if (pattern is not ("" or "."))
                members.Add(pattern);
        }
        return members.Where(m => !exclude.Contains(m)).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Norm(string p) => p.Replace('\\', '/').TrimEnd('/').TrimStart('.', '/');

    /// <summary>Cargo's binary targets of one package: <c>[[bin]]</c> entries plus (unless autobins = false) src/main.rs and src/bin/*.</summary>
    public static IEnumerable<Binary> Binaries(AppFiles app, string member, CargoToml toml)
    {
        var package = toml.String("package", "name") ?? throw new FormatException($"{Prefix(member)}Cargo.toml: [package] has no name; add name = \"...\"");
        var dir = Prefix(member);
        var names = new List<string>();
        foreach (var b in toml.All("bin"))
            if (b.Values.TryGetValue("name", out var n) && CargoToml.Unquote(n) is { } name) names.Add(name);
        if (toml["package"]?.GetValueOrDefault("autobins") != "false")
        {
            if (app.Exists(dir + "src/main.rs")) names.Add(package);
            if (app.DirectoryExists(dir + "src/bin"))
            {
                names.AddRange(Directory.EnumerateFiles(app.Full(dir + "src/bin"), "*.rs").Select(Path.GetFileNameWithoutExtension)!);
                names.AddRange(app.Subdirectories(dir + "src/bin").Where(d => app.Exists(d + "/main.rs")).Select(Path.GetFileName)!);
            }
        }
        return names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(n => new Binary(n, package, member));
    }

    private static string Prefix(string member) => member == "" ? "" : member + "/";

    private static Binary Pick(CargoToml root, List<Binary> binaries, string? start)
    {
        if (binaries.Count == 0)
            throw new FormatException("Cargo.toml: no binary target (src/main.rs, src/bin/*.rs or [[bin]]) in the package or its workspace members; a library alone cannot start");
        string Choices() => string.Join(", ", binaries.Select(b => b.Member == "" ? b.Name : $"{b.Name} ({b.Member})"));
        Binary Named(string name, string where) => binaries.FirstOrDefault(b => b.Name == name)
            ?? throw new FormatException($"Cargo.toml: {where} names binary '{name}', which no package builds; valid binaries: {Choices()}");

        if (start is not null && binaries.Where(b => Regex.IsMatch(start, $@"(^|[\s/]){Regex.Escape(b.Name)}(\s|$)")).ToList() is [var byStart]) return byStart;
        if (root.String("package.metadata.slipway", "bin") is { } meta) return Named(meta, "[package.metadata.slipway] bin");
        if (root.String("workspace.metadata.slipway", "bin") is { } wmeta) return Named(wmeta, "[workspace.metadata.slipway] bin");
        if (root.String("package", "default-run") is { } run) return Named(run, "[package] default-run");
        if (binaries.Count == 1) return binaries[0];
        if (root.String("package", "name") is { } pkg && binaries.FirstOrDefault(b => b.Name == pkg) is { } same) return same;
        throw new FormatException($"Cargo.toml: {binaries.Count} binaries and none is named like the package: {Choices()}; pick one with `[workspace.metadata.slipway] bin = \"NAME\"` (or [package.metadata.slipway], or default-run) or a start command naming it");
    }

    /// <summary>The Rust version asked for: rust-toolchain(.toml), else rust-version, else Debian's.</summary>
    private static PlanVersion Toolchain(AppFiles app, CargoToml root, List<(string Member, CargoToml Toml)> manifests)
    {
        static PlanVersion Asked(string v, string source) => new("rust", $"{v} (built with Debian's rustc {DebianRust})", source);
        if (app.Read("rust-toolchain.toml") is { } tt && CargoToml.Parse(tt, "rust-toolchain.toml").String("toolchain", "channel") is { } channel)
            return Asked(channel, "rust-toolchain.toml toolchain.channel");
        if (app.Read("rust-toolchain") is { } legacy)
        {
            var first = legacy.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            if (first.StartsWith('[')) { if (CargoToml.Parse(legacy, "rust-toolchain").String("toolchain", "channel") is { } c) return Asked(c, "rust-toolchain toolchain.channel"); }
            else if (first.Length > 0) return Asked(first, "rust-toolchain");
        }
        if (root.String("workspace.package", "rust-version") is { } wv) return Asked(wv, "Cargo.toml [workspace.package] rust-version");
        foreach (var (member, toml) in manifests)
            if (toml.String("package", "rust-version") is { } rv) return Asked(rv, $"{Prefix(member)}Cargo.toml rust-version");
        return new PlanVersion("rust", $"{DebianRust} (Debian)", "default: Debian bookworm's rustc");
    }

    /// <summary>The cargo config that replaces crates.io with a vendor directory that exists, or null.</summary>
    private static string? Vendored(AppFiles app)
    {
        foreach (var config in new[] { ".cargo/config.toml", ".cargo/config" })
        {
            if (app.Read(config) is not { } text) continue;
            var toml = CargoToml.Parse(text, config);
            if (toml.String("source.crates-io", "replace-with") is not { } with) continue;
            if (toml.String($"source.{with}", "directory") is { } dir && app.DirectoryExists(dir)) return config;
        }
        return null;
    }

    /// <summary>Dependencies that come from a registry (not <c>path = </c> ones), in manifest order.</summary>
    private static IEnumerable<string> RegistryDependencies(CargoToml toml)
    {
        foreach (var t in toml.Tables)
        {
            var kind = DependencyTable().Match(t.Name);
            if (!kind.Success) continue;
            if (kind.Groups["single"].Success)
            {
                // [dependencies.name] with its keys below.
                if (!t.Values.ContainsKey("path") && !IsWorkspaceInherited(t.Values)) yield return kind.Groups["single"].Value;
                continue;
            }
            foreach (var (name, value) in t.Values)
                if (!value.Contains("path") && !value.Contains("workspace = true") && !value.Contains("workspace=true")) yield return name;
        }
    }

    private static bool IsWorkspaceInherited(IReadOnlyDictionary<string, string> values) => values.TryGetValue("workspace", out var w) && w == "true";

    [GeneratedRegex(@"^(?:workspace\.|target\.[^.]+(?:\.[^.]+)*?\.)?(?:dev-|build-)?dependencies(?:\.(?<single>[^.]+))?$")]
    private static partial Regex DependencyTable();
}
