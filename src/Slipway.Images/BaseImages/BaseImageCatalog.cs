using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Images.BaseImages;

/// <summary>How a local base image is made.</summary>
public enum BaseImageKind
{
    /// <summary><c>debootstrap --variant=minbase</c> plus packages, cleaned of non-deterministic files.</summary>
    Debootstrap,
    /// <summary>Debian's <c>busybox-static</c> .deb unpacked, one symlink per applet: tiny and fast, for tests.</summary>
    Busybox,
    /// <summary>
    /// A runtime without a distribution around it: only the files of the packages' dependency closure (installed
    /// on the shared minbase, then picked out), busybox for <c>/bin/sh</c>, and the few generated files a program
    /// reads (passwd, group, CA bundle, loader cache). No apt, dpkg, perl or coreutils; one layer.
    /// </summary>
    Closure,
}

/// <summary>One local base image and the upstream names it stands in for.</summary>
public sealed record BaseImageDefinition
{
    public required string Name { get; init; }
    public BaseImageKind Kind { get; init; } = BaseImageKind.Debootstrap;
    public IReadOnlyList<string> Packages { get; init; } = [];
    /// <summary>Upstream references (as written in FROM) this base replaces, e.g. <c>debian:bookworm-slim</c>.</summary>
    public IReadOnlyList<string> Replaces { get; init; } = [];
    /// <summary>Drop documentation, man pages and translations, as the upstream <c>-slim</c> images do.</summary>
    public bool Slim { get; init; } = true;
    /// <summary>Default command of the image.</summary>
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    /// <summary>Node.js version whose official binary goes into /usr/local (see <see cref="NodeDistribution"/>); null: none.</summary>
    public string? Node { get; init; }
    /// <summary>npm version beside <see cref="Node"/> (the npm package, dependencies bundled); null: none.</summary>
    public string? Npm { get; init; }
}

/// <summary>
/// <c>containers/base-images.yml</c>: which local bases <c>BaseImages</c> builds and which upstream names map to
/// them. Each base lands as an OCI layout in <see cref="OutputDirectory"/>/<c>&lt;name&gt;</c> (ref <c>latest</c>).
/// </summary>
public sealed record BaseImageCatalog
{
    public const string RelativePath = "containers/base-images.yml";
    public const string DefaultOutput = "artifacts/base-images";
    public const string Ref = "latest";
    private static readonly string[] TopKeys = ["suite", "mirror", "npm-registry", "output", "bases"];
    private static readonly string[] BaseKeys = ["kind", "packages", "node", "npm", "replaces", "slim", "cmd", "env"];

    /// <summary>Where the catalog came from, as messages name it (its file, or the built-in catalog's name).</summary>
    public string Source { get; init; } = RelativePath;
    public string Suite { get; init; } = "bookworm";
    public string Mirror { get; init; } = "http://deb.debian.org/debian";
    /// <summary>Where <c>node:</c> and <c>npm:</c> versions come from (Node's binary packages and npm itself).</summary>
    public string NpmRegistry { get; init; } = NodeDistribution.DefaultRegistry;
    /// <summary>Absolute directory holding one OCI layout per base.</summary>
    public required string OutputDirectory { get; init; }
    public IReadOnlyList<BaseImageDefinition> Bases { get; init; } = [];
    /// <summary>
    /// The OCI architecture the bases are for (<c>amd64</c>, <c>arm64</c>); null: this machine's. Another machine's
    /// is cross-built: <c>debootstrap --arch</c>, with its second stage and apt run through qemu-user-static (binfmt).
    /// </summary>
    public string? Architecture { get; init; }

    public string TargetArchitecture => Architecture ?? Oci.Model.Platform.Current.Architecture;
    public bool IsCross => TargetArchitecture != Oci.Model.Platform.Current.Architecture;

    public string LayoutPath(BaseImageDefinition b) => Path.Combine(OutputDirectory, b.Name);

    /// <summary>The catalog of the repo at <paramref name="root"/>; an empty one when it has no mapping file.</summary>
    /// <summary>
    /// The source date of the bases: when the catalog last changed in git (not HEAD's time, or every commit would
    /// rebuild every base, and debootstrap takes minutes). The Unix epoch outside git.
    /// </summary>
    public static async Task<DateTimeOffset> LastChangedAsync(string root, CancellationToken cancellationToken)
    {
        var r = await Slipway.Tooling.ToolRunner.RunAsync(new Slipway.Tooling.ToolInvocation("git",
            ["-C", root, "log", "-1", "--format=%cI", "--", RelativePath]) { CaptureStandardOutput = true }, cancellationToken);
        return r.Succeeded && DateTimeOffset.TryParse(r.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d : DateTimeOffset.UnixEpoch;
    }

    public static BaseImageCatalog Load(string root)
    {
        var file = Path.Combine(root, RelativePath);
        if (!File.Exists(file)) return new BaseImageCatalog { OutputDirectory = Path.Combine(root, DefaultOutput) };
        return Parse(File.ReadAllText(file), RelativePath, root);
    }

    public static BaseImageCatalog Parse(string yaml, string file, string root)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new FormatException($"{file}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}", e); }
        var catalog = new BaseImageCatalog { OutputDirectory = Path.Combine(root, DefaultOutput), Source = file };
        if (stream.Documents.Count == 0) return catalog;
        if (stream.Documents[0].RootNode is not YamlMappingNode top)
            throw new FormatException($"{file}:1: must be a mapping; valid keys are: {string.Join(", ", TopKeys)}");
        var bases = new List<BaseImageDefinition>();
        foreach (var (k, v) in top.Children)
        {
            var key = ((YamlScalarNode)k).Value;
            var at = $"{file}:{k.Start.Line}";
            switch (key)
            {
                case "suite": catalog = catalog with { Suite = Scalar(v, at, key) }; break;
                case "mirror": catalog = catalog with { Mirror = Scalar(v, at, key) }; break;
                case "npm-registry":
                    var registry = Scalar(v, at, key);
                    if (!Uri.TryCreate(registry, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                        throw new FormatException($"{at}: npm-registry '{registry}' must be an http(s) URL, e.g. {NodeDistribution.DefaultRegistry}");
                    catalog = catalog with { NpmRegistry = registry };
                    break;
                case "output":
                    // A repository's catalog names layouts inside the repository only; "/var/cache/…" or a symlink out
                    // would make any OCI layout on the builder's disk a base image of the build.
                    var output = Scalar(v, at, key);
                    catalog = catalog with
                    {
                        OutputDirectory = Tooling.PathContainment.ResolveInside(root, output)
                            ?? throw new FormatException($"{at}: output '{output}' leaves the repository (after resolving symlinks); give a directory inside it, e.g. {DefaultOutput}"),
                    };
                    break;
                case "bases":
                    if (v is not YamlMappingNode map) throw new FormatException($"{at}: 'bases' must map base names to their settings");
                    foreach (var (bk, bv) in map.Children) bases.Add(ParseBase(((YamlScalarNode)bk).Value ?? "", bv, file, (int)bk.Start.Line));
                    break;
                default: throw new FormatException($"{at}: unknown key '{key}'; valid keys are: {string.Join(", ", TopKeys)}");
            }
        }
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in bases)
            foreach (var r in b.Replaces)
            {
                var normal = BaseImageResolver.Normalize(r);
                if (taken.TryGetValue(normal, out var other) && other != b.Name)
                    throw new FormatException($"{file}: '{r}' is replaced by both '{other}' and '{b.Name}'; map each upstream name to one base");
                taken[normal] = b.Name;
            }
        return catalog with { Bases = bases };
    }

    private static BaseImageDefinition ParseBase(string name, YamlNode node, string file, int line)
    {
        if (Oci.Model.ImageReference.ExplainInvalidRepository(name) is { } err) throw new FormatException($"{file}:{line}: base name {err}");
        var b = new BaseImageDefinition { Name = name };
        if (node is YamlScalarNode { Value: null or "" }) return b;
        if (node is not YamlMappingNode map) throw new FormatException($"{file}:{line}: base '{name}' must be a mapping; valid keys are: {string.Join(", ", BaseKeys)}");
        foreach (var (k, v) in map.Children)
        {
            var key = ((YamlScalarNode)k).Value;
            var at = $"{file}:{k.Start.Line}";
            b = key switch
            {
                "kind" => b with
                {
                    Kind = Scalar(v, at, key) switch
                    {
                        "debootstrap" => BaseImageKind.Debootstrap,
                        "busybox" => BaseImageKind.Busybox,
                        "closure" => BaseImageKind.Closure,
                        var other => throw new FormatException($"{at}: kind '{other}' is not valid; valid kinds are: debootstrap, busybox, closure"),
                    },
                },
                "packages" => b with { Packages = List(v, at, key) },
                "node" => b with { Node = Version(v, at, key) },
                "npm" => b with { Npm = Version(v, at, key) },
                "replaces" => b with { Replaces = List(v, at, key) },
                "cmd" => b with { Cmd = List(v, at, key) },
                "env" => b with { Env = List(v, at, key) },
                "slim" => b with
                {
                    Slim = Scalar(v, at, key) switch
                    {
                        "true" => true,
                        "false" => false,
                        var other => throw new FormatException($"{at}: slim '{other}' must be true or false"),
                    },
                },
                _ => throw new FormatException($"{at}: unknown key '{key}' in base '{name}'; valid keys are: {string.Join(", ", BaseKeys)}"),
            };
        }
        if (b.Npm is not null && b.Node is null)
            throw new FormatException($"{file}:{line}: base '{name}' has npm but no node; add node: VERSION (npm runs on it)");
        if (b.Node is not null && b.Kind != BaseImageKind.Debootstrap)
            throw new FormatException($"{file}:{line}: base '{name}': node goes on a debootstrap base (kind {b.Kind.ToString().ToLowerInvariant()} has no place for it)");
        return b;
    }

    private static string Version(YamlNode n, string at, string key)
    {
        var v = Scalar(n, at, key);
        return NodeDistribution.ExplainInvalidVersion(v) is { } err ? throw new FormatException($"{at}: {key} {err}") : v;
    }

    private static string Scalar(YamlNode n, string at, string? key) =>
        n is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw new FormatException($"{at}: '{key}' must be a single non-empty value");

    private static List<string> List(YamlNode n, string at, string? key) => n switch
    {
        YamlSequenceNode s => s.Children.Select(c => Scalar(c, $"{at}", key)).ToList(),
        YamlScalarNode sc => [Scalar(sc, at, key)],
        _ => throw new FormatException($"{at}: '{key}' must be a list, e.g. [a, b]"),
    };

    /// <summary>
    /// Upstream name → <c>oci:LAYOUT:latest</c> for every base whose layout has been built; the form
    /// <see cref="Methods.BuildContext.BaseImageMap"/> takes.
    /// </summary>
    public IReadOnlyDictionary<string, string> ToBaseImageMap()
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in Bases)
        {
            var layout = LayoutPath(b);
            if (!File.Exists(Path.Combine(layout, "index.json"))) continue;
            foreach (var r in b.Replaces) map[r] = $"oci:{layout}:{Ref}";
        }
        return map;
    }
}
