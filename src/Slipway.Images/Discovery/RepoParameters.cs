using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Tooling;

namespace Slipway.Images.Discovery;

/// <summary>
/// Values from the monorepo's <c>.nuke/parameters.json</c> (Nuke's parameter file, read by <see cref="ParametersFile"/>), e.g. <c>"Org"</c> and
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
        var path = ParametersFile.PathIn(root);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonObject? file;
        try { file = ParametersFile.Read(path); }
        catch (FormatException e) { throw new ImageCatalogException(e.Message); }
        foreach (var (name, node) in file ?? [])
            if (node is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                values[Normalize(name)] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
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
