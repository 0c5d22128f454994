using Slipway.Oci.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Images.Discovery;

/// <summary>
/// The optional per-image settings file (<c>containers/&lt;name&gt;/image.yml</c>, <c>app/image.yml</c>):
/// <code>
/// name: my-service          # repository name instead of the directory name
/// target: runtime           # Dockerfile stage to build
/// buildArgs: { GREETING: hello }
/// platforms: [linux/amd64]
/// visibility: private       # public (default) → upstream registry, private → overlay registry
/// source: true              # build the directory with the source engine (framework detection), not its Dockerfile
/// </code>
/// Unknown keys and bad values are errors naming the file, the line and the valid choices.
/// </summary>
public sealed record ImageSettings
{
    public const string FileName = "image.yml";
    public static readonly string[] Keys = ["name", "target", "buildArgs", "platforms", "visibility", "source"];
    public static readonly string[] Visibilities = ["public", "private"];

    public string? Name { get; init; }
    public string? Target { get; init; }
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyList<string> Platforms { get; init; } = [];
    public string Visibility { get; init; } = "public";
    /// <summary>True: the source method builds this directory (detected framework); the Dockerfile method leaves it alone.</summary>
    public bool Source { get; init; }
    /// <summary>The file these settings came from, or null for defaults.</summary>
    public string? SourceFile { get; init; }

    public static ImageSettings Default { get; } = new();

    /// <summary>Reads <c>image.yml</c> (or <c>image.yaml</c>) in <paramref name="directory"/>; defaults when there is none.</summary>
    public static ImageSettings LoadFrom(string directory, string? displayDirectory = null)
    {
        foreach (var candidate in new[] { FileName, "image.yaml" })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path))
                return Parse(File.ReadAllText(path), displayDirectory is null ? path : displayDirectory.TrimEnd('/') + "/" + candidate) with { SourceFile = path };
        }
        return Default;
    }

    public static ImageSettings Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{file}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return new ImageSettings();
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{file}:{stream.Documents[0].RootNode.Start.Line}: settings must be a mapping of keys; valid keys are: {string.Join(", ", Keys)}");

        var settings = new ImageSettings();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var at = $"{file}:{keyNode.Start.Line}";
            settings = key switch
            {
                "name" => settings with { Name = RepositoryName(value, at) },
                "target" => settings with { Target = Stage(value, at) },
                "buildArgs" => settings with { BuildArgs = BuildArgsOf(value, file) },
                "platforms" => settings with { Platforms = PlatformsOf(value, file) },
                "visibility" => settings with { Visibility = VisibilityOf(value, at) },
                "source" => settings with { Source = Boolean(value, at, "source") },
                _ => throw new FormatException($"{at}: unknown key '{key}'; valid keys are: {string.Join(", ", Keys)}"),
            };
        }
        return settings;
    }

    private static string Scalar(YamlNode node, string at, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 } v } ? v
            : throw new FormatException($"{at}: '{what}' must be a single non-empty value");

    private static string RepositoryName(YamlNode node, string at)
    {
        var v = Scalar(node, $"{at}", "name");
        return ImageReference.ExplainInvalidRepository(v) is { } error ? throw new FormatException($"{at}: name {error}") : v;
    }

    private static string Stage(YamlNode node, string at)
    {
        var v = Scalar(node, at, "target");
        return v.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.') ? v
            : throw new FormatException($"{at}: target '{v}' is not a stage name (letters, digits, '-', '_', '.'); it names a 'FROM ... AS <stage>' of the Dockerfile");
    }

    private static bool Boolean(YamlNode node, string at, string what) => Scalar(node, at, what) switch
    {
        "true" => true,
        "false" => false,
        var v => throw new FormatException($"{at}: {what} '{v}' is not valid; valid values are: true, false"),
    };

    private static string VisibilityOf(YamlNode node, string at)
    {
        var v = Scalar(node, at, "visibility");
        return Visibilities.Contains(v) ? v : throw new FormatException($"{at}: visibility '{v}' is not valid; valid values are: {string.Join(", ", Visibilities)}");
    }

    private static SortedDictionary<string, string> BuildArgsOf(YamlNode node, string file)
    {
        if (node is not YamlMappingNode map)
            throw new FormatException($"{file}:{node.Start.Line}: 'buildArgs' must be a mapping NAME: value, e.g. buildArgs: {{ GREETING: hello }}");
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
                throw new FormatException($"{file}:{k.Start.Line}: build arg name '{name}' must be letters, digits and '_', not starting with a digit");
            if (v is not YamlScalarNode s)
                throw new FormatException($"{file}:{v.Start.Line}: build arg '{name}' must have a single value (quote it if it has ':' or '#')");
            result[name] = s.Value ?? "";
        }
        return result;
    }

    private static List<string> PlatformsOf(YamlNode node, string file)
    {
        var items = node switch
        {
            YamlSequenceNode seq => seq.Children.ToList(),
            YamlScalarNode s => [s],
            _ => throw new FormatException($"{file}:{node.Start.Line}: 'platforms' must be a list such as [linux/amd64, linux/arm64]"),
        };
        var result = new List<string>();
        foreach (var item in items)
        {
            var v = Scalar(item, $"{file}:{item.Start.Line}", "platforms");
            try { result.Add(Platform.Parse(v).ToString()); }
            catch (FormatException e) { throw new FormatException($"{file}:{item.Start.Line}: {e.Message}"); }
        }
        return result;
    }
}
