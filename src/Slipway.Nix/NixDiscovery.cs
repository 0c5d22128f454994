using System.Text.RegularExpressions;
using Slipway.Images.Methods;
using Slipway.Oci.Model;

namespace Slipway.Nix;

/// <summary>
/// Pure planning half of the Nix method: which images a monorepo defines and how they are named and versioned.
/// <list type="bullet">
/// <item><c>flake.nix</c> at the root: every <c>packages.&lt;system&gt;.&lt;name&gt;-image</c> is an image named
/// <c>&lt;name&gt;</c>.</item>
/// <item><c>containers/&lt;name&gt;/default.nix</c>: an image named <c>&lt;name&gt;</c>, tagged with a <c>-nix</c> suffix,
/// versioned by its <c>version = "X.Y.Z";</c> line.</item>
/// </list>
/// </summary>
public static partial class NixDiscovery
{
    public const string ImageSuffix = "-image";
    public const string MethodName = "nix";
    public const string DefaultNixTagSuffix = "-nix";

    [GeneratedRegex(@"^\s*version\s*=\s*(.*?)\s*;?\s*(#.*)?$")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^""(\d+\.\d+\.\d+)""$")]
    private static partial Regex VersionValue();

    /// <summary>The first <c>version = "X.Y.Z";</c> of a file; a malformed one is an error naming file:line.</summary>
    public static string? ReadVersion(string file)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var m = VersionLine().Match(lines[i]);
            if (!m.Success) continue;
            var value = m.Groups[1].Value;
            var v = VersionValue().Match(value);
            if (v.Success) return v.Groups[1].Value;
            throw new InvalidDataException($"{file}:{i + 1}: version = {value} is not a version; write it as version = \"1.2.3\"; (three numbers, quoted)");
        }
        return null;
    }

    public static IReadOnlyList<ImageDefinition> DiscoverContainers(string root)
    {
        var containers = Path.Combine(root, "containers");
        if (!Directory.Exists(containers)) return [];
        var result = new List<ImageDefinition>();
        foreach (var dir in Directory.GetDirectories(containers).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(dir, "default.nix");
            if (!File.Exists(file)) continue;
            var name = Path.GetFileName(dir);
            if (ImageReference.ExplainInvalidRepository(name) is { } error)
                throw new InvalidDataException($"{dir}: the directory name is the image name, and {error}");
            result.Add(new ImageDefinition
            {
                Name = name,
                Method = MethodName,
                DefinitionFile = Path.GetFullPath(file),
                ContextDirectory = Path.GetFullPath(dir),
                Version = ReadVersion(file),
                TagSuffix = DefaultNixTagSuffix,
                InputFiles = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList(),
            });
        }
        return result;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_'-])""?([A-Za-z_][A-Za-z0-9_'-]*-image)""?\s*=(?!=)")]
    private static partial Regex ImageAttribute();

    /// <summary>Image attributes found in the flake's text: the fallback when it cannot be evaluated.</summary>
    public static IReadOnlyList<string> ScanFlakeText(string flakeText) =>
        ImageAttribute().Matches(flakeText).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();

    public static ImageDefinition FlakeImage(string root, string attribute, string? version)
    {
        var name = attribute.EndsWith(ImageSuffix, StringComparison.Ordinal) ? attribute[..^ImageSuffix.Length] : attribute;
        if (ImageReference.ExplainInvalidRepository(name) is { } error)
            throw new InvalidDataException($"{Path.Combine(root, "flake.nix")}: package '{attribute}' names image '{name}', and {error}");
        var inputs = new[] { "flake.nix", "flake.lock" }.Select(f => Path.Combine(root, f)).Where(File.Exists).Select(Path.GetFullPath).ToList();
        return new ImageDefinition
        {
            Name = name,
            Method = MethodName,
            DefinitionFile = Path.GetFullPath(Path.Combine(root, "flake.nix")),
            ContextDirectory = Path.GetFullPath(root),
            Version = version is not null && VersionValue().IsMatch($"\"{version}\"") ? version : null,
            Attribute = attribute,
            InputFiles = inputs,
        };
    }
}
