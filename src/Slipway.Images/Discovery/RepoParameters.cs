using System.Text.Json;

namespace Slipway.Images.Discovery;

/// <summary>
/// Values from the monorepo's <c>.nuke/parameters.json</c> (Nuke's parameter file), e.g. <c>"Org"</c> and
/// <c>"Group"</c> that name the upstream and overlay registry namespaces. Keys match case-insensitively and
/// ignore '-' and '_', as Nuke's parameter names do.
/// </summary>
public sealed class RepoParameters
{
    private readonly Dictionary<string, string> _values;

    private RepoParameters(string path, Dictionary<string, string> values)
    {
        FilePath = path;
        _values = values;
    }

    public string FilePath { get; }

    public static RepoParameters Read(string root)
    {
        var path = Path.Combine(root, ".nuke", "parameters.json");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new RepoParameters(path, values);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ImageCatalogException($"{path} must hold a JSON object like {{ \"Org\": \"my-org\" }}");
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    values[Normalize(p.Name)] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }
        catch (JsonException e)
        {
            throw new ImageCatalogException($"{path} is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        return new RepoParameters(path, values);
    }

    /// <summary>A copy where <paramref name="name"/> has <paramref name="value"/> (when not null): build parameters win over the file.</summary>
    public RepoParameters With(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return this;
        var copy = new Dictionary<string, string>(_values, StringComparer.Ordinal) { [Normalize(name)] = value };
        return new RepoParameters(FilePath, copy);
    }

    public string? Get(string name) => _values.TryGetValue(Normalize(name), out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static string Normalize(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();
}
