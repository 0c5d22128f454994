using Slipway.Source.Providers;

namespace Slipway.Source.Plan;

/// <summary>Where a peer config's system package is wanted: the build stage, the runtime image, or both.</summary>
public enum PackageStage { Both, Build, Runtime }

/// <summary>
/// The peers' system packages (Nixpacks' <c>nixPkgs</c>/<c>aptPkgs</c>, Railpack's mise <c>packages</c> and
/// <c>buildAptPackages</c>/<c>deploy.aptPackages</c>) as Debian bookworm packages: the Debian package of the same
/// name, or of the few tool names whose Debian package is named otherwise (<c>python</c> → <c>python3</c> and
/// <c>python-is-python3</c>). A name no Debian package can carry (a Nix attribute such as <c>nodejs_20</c>) is
/// one note; a name that is not a package name at all (shell syntax, an apt option, a control character) is
/// refused in one line, since it would reach <c>apt-get</c>'s argv. A valid name Debian lacks fails at install
/// with one line naming it (<see cref="UnknownPackageLine"/>).
/// </summary>
public static class SystemPackages
{
    /// <summary>Tool names (mise, Nix) whose Debian package has another name.</summary>
    private static readonly Dictionary<string, string[]> Renamed = new(StringComparer.Ordinal)
    {
        ["python"] = ["python3", "python-is-python3"],
        ["go"] = ["golang-go"],
        ["golang"] = ["golang-go"],
        ["rust"] = ["rustc", "cargo"],
        ["php"] = ["php-cli"],
        ["java"] = ["default-jre-headless"],
    };

    /// <summary>Names the Node provider installs itself (its version rules: engines, RAILPACK_NODE_VERSION, packageManager).</summary>
    private static readonly HashSet<string> NodeTools = new(StringComparer.Ordinal) { "node", "nodejs", "bun", "npm", "pnpm", "yarn" };

    public sealed record Mapping(IReadOnlyList<string> Build, IReadOnlyList<string> Runtime, IReadOnlyList<string> Notes);

    /// <summary>The Debian packages for a plan of <paramref name="provider"/>, by stage, and a note for each name with no mapping.</summary>
    public static Mapping Map(IEnumerable<(string Package, string From, PackageStage Stage)> wanted, string provider)
    {
        var build = new SortedSet<string>(StringComparer.Ordinal);
        var runtime = new SortedSet<string>(StringComparer.Ordinal);
        var notes = new List<string>();
        foreach (var (name, from, stage) in wanted)
        {
            Check(name, from);
            if (NodeTools.Contains(name) && provider == "node")
            {
                notes.Add($"{from}: '{name}' is the node provider's own (its version comes from engines, packageManager or RAILPACK_NODE_VERSION); no Debian package is added");
                continue;
            }
            if (!IsDebianName(name))
            {
                notes.Add($"{from}: '{name}' has no Debian mapping (Debian package names are lowercase letters, digits, + - .); it is not installed: name the Debian package instead, e.g. in aptPkgs");
                continue;
            }
            var debian = Renamed.TryGetValue(name, out var r) ? r : [name];
            if (stage is PackageStage.Both or PackageStage.Build) build.UnionWith(debian);
            if (stage is PackageStage.Both or PackageStage.Runtime) runtime.UnionWith(debian);
        }
        return new Mapping([.. build], [.. runtime], notes);
    }

    /// <summary>A value that is not a package name at all: one line, before it reaches any argv.</summary>
    private static void Check(string name, string from)
    {
        if (name.Length is 0 or > 100 || name[0] is '-' or '.' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.' or '_'))
            throw new FormatException($"{from}: '{Shell.Printable(name)}' is not a package name (letters, digits, + - . _, not starting with - or .); remove it or name the Debian package");
    }

    /// <summary>Debian policy's package name syntax.</summary>
    public static bool IsDebianName(string name) =>
        name.Length >= 2 && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0])) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.');

    /// <summary>apt's "Unable to locate package X" in a failed install's lines, as one line naming the package; null when absent.</summary>
    public static string? UnknownPackageLine(IEnumerable<string> lines, string suite)
    {
        const string marker = "Unable to locate package ";
        var missing = lines.Select(l => l.IndexOf(marker, StringComparison.Ordinal) is var i and >= 0 ? l[(i + marker.Length)..].Trim() : null).OfType<string>().Distinct().ToList();
        return missing.Count == 0 ? null
            : $"Debian {suite} has no package named {string.Join(", ", missing.Select(m => "'" + Shell.Printable(m) + "'"))}, asked for by the app's peer config (railpack.json / nixpacks.toml / RAILPACK_*_PACKAGES); name an existing Debian package or remove it";
    }
}
