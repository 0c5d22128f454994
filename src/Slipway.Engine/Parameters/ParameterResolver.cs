using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Engine.Parameters;

/// <summary>Everything a parameter value can come from, in precedence order.</summary>
public sealed record ParameterSources(
    IReadOnlyDictionary<string, IReadOnlyList<string>> CommandLine,
    IReadOnlyDictionary<string, string?> Environment,
    JsonObject? ParametersJson,
    JsonObject? ProfileJson,
    string? ProfileName,
    string RootDirectory);

public sealed class ParameterException(string message) : Exception(message);

/// <summary>
/// Resolves one parameter: command line (<c>--kebab-case</c>), then environment (exact name, then ignoring case
/// and underscores), then <c>.nuke/parameters.&lt;profile&gt;.json</c> for <c>--profile</c>, then
/// <c>.nuke/parameters.json</c>; the first source that has it wins.
/// </summary>
public static class ParameterResolver
{
    public static string ToKebab(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    internal static string Loose(string s) => s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The value and a description of where it came from, or (null, "default") when no source has it.</summary>
    public static (object? Value, string Source) Resolve(string name, Type type, ParameterSources sources)
    {
        var kebab = ToKebab(name);
        if (sources.CommandLine.TryGetValue(kebab, out var cli))
            return (Convert(name, type, cli, $"--{kebab}", sources.RootDirectory), "command line");

        // An empty variable (FOO= in a CI config) counts as unset rather than as a bad value.
        if (sources.Environment.TryGetValue(name, out var exact) && !string.IsNullOrEmpty(exact))
            return (Convert(name, type, SplitValue(exact, type), $"environment variable {name}", sources.RootDirectory), $"environment ({name})");
        var loose = sources.Environment.Where(kv => !string.IsNullOrEmpty(kv.Value) && Loose(kv.Key) == Loose(name)).OrderBy(kv => kv.Key, StringComparer.Ordinal).FirstOrDefault();
        if (loose.Key is not null)
            return (Convert(name, type, SplitValue(loose.Value!, type), $"environment variable {loose.Key}", sources.RootDirectory), $"environment ({loose.Key})");

        // A profile exists to override the defaults, so its file wins over parameters.json (as in Nuke).
        if (FromJson(sources.ProfileJson, name) is { } pnode)
            return (ConvertJson(name, type, pnode, $".nuke/parameters.{sources.ProfileName}.json", sources.RootDirectory), $".nuke/parameters.{sources.ProfileName}.json");
        if (FromJson(sources.ParametersJson, name) is { } node)
            return (ConvertJson(name, type, node, ".nuke/parameters.json", sources.RootDirectory), ".nuke/parameters.json");
        return (null, "default");
    }

    private static JsonNode? FromJson(JsonObject? json, string name) =>
        json?.FirstOrDefault(kv => kv.Key == name || Loose(kv.Key) == Loose(name)).Value;

    private static IReadOnlyList<string> SplitValue(string value, Type type) =>
        ElementType(type) is not null ? value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [value];

    private static Type? ElementType(Type type) => type.IsArray ? type.GetElementType() : null;

    private static object? ConvertJson(string name, Type type, JsonNode node, string source, string root)
    {
        var values = node is JsonArray arr ? arr.Select(n => n?.ToString() ?? "").ToList()
            : [node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString()];
        if (ElementType(type) is null && values.Count != 1) throw new ParameterException($"{source}: '{name}' must be a single value, not a list");
        return Convert(name, type, ElementType(type) is not null && node is not JsonArray ? SplitValue(values[0], type) : values, source, root);
    }

    public static object? Convert(string name, Type type, IReadOnlyList<string> values, string source, string root)
    {
        if (ElementType(type) is { } element)
        {
            var items = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var array = Array.CreateInstance(element, items.Count);
            for (var i = 0; i < items.Count; i++) array.SetValue(ConvertOne(name, element, items[i], source, root), i);
            return array;
        }
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (values.Count == 0)
        {
            if (underlying == typeof(bool)) return true; // a bare switch: --strict
            throw new ParameterException($"{source} needs a value");
        }
        if (values.Count > 1) throw new ParameterException($"{source} takes one value, got {values.Count}: {string.Join(" ", values)}");
        return ConvertOne(name, underlying, values[0], source, root);
    }

    private static object ConvertOne(string name, Type type, string value, string source, string root)
    {
        if (type == typeof(string)) return value;
        if (type == typeof(bool))
            return value.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw new ParameterException($"{source}: '{value}' is not a boolean for {name}. Valid values are: true, false"),
            };
        if (type == typeof(int))
            return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var i)
                ? i : throw new ParameterException($"{source}: '{value}' is not a whole number for {name}");
        if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => Loose(n) == Loose(value));
            return match is not null ? Enum.Parse(type, match)
                : throw new ParameterException($"{source}: '{value}' is not a valid {name}. Valid values are: {string.Join(", ", Enum.GetNames(type).Select(ToKebab))}");
        }
        if (type == typeof(AbsolutePath)) return new AbsolutePath(Path.GetFullPath(Path.Combine(root, value)));
        throw new ParameterException($"parameter {name} has type {type.Name}, which parameters can't be; use string, bool, int, an enum, AbsolutePath or an array of those");
    }

    /// <summary>Reads a parameters file; a syntax error names the file and line.</summary>
    public static JsonObject? ReadJson(string path)
    {
        try { return Slipway.Tooling.ParametersFile.Read(path); }
        catch (FormatException e) { throw new ParameterException(e.Message); }
    }
}
