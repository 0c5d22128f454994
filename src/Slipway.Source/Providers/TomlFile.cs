using Tomlyn;
using Tomlyn.Model;

namespace Slipway.Source.Providers;

/// <summary>TOML files of an app (Cargo.toml, pyproject.toml, mise.toml, nixpacks.toml) read by one parser; a syntax error is one line naming the file.</summary>
public static class TomlFile
{
    public static TomlTable? Read(AppFiles app, string rel)
    {
        var text = app.Read(rel);
        if (text is null) return null;
        try { return TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable(); }
        catch (TomlException e) { throw new FormatException($"{rel}: not valid TOML: {e.Message.Split('\n')[0]}"); }
    }

    /// <summary>The value at a dotted path of tables (null when a step is missing or not a table).</summary>
    public static object? Get(TomlTable? table, params string[] path)
    {
        object? current = table;
        foreach (var key in path)
            current = current is TomlTable t && t.TryGetValue(key, out var v) ? v : null;
        return current;
    }

    public static string? String(TomlTable? table, params string[] path) => Get(table, path) switch
    {
        string s => s,
        long or double or bool => Get(table, path)!.ToString(),
        _ => null,
    };

    public static IReadOnlyList<string> Strings(TomlTable? table, params string[] path) => Get(table, path) switch
    {
        TomlArray a => a.OfType<string>().ToList(),
        string s => [s],
        _ => [],
    };
}
