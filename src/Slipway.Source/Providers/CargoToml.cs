using System.Text.RegularExpressions;

namespace Slipway.Source.Providers;

/// <summary>
/// The part of TOML that Cargo manifests and rust-toolchain files use for what detection reads: tables
/// (<c>[a.b]</c>, <c>[[bin]]</c>), string keys, string arrays (also over several lines) and inline tables as raw
/// text. Not a general TOML parser: values detection does not read are kept as raw text.
/// </summary>
public sealed partial class CargoToml
{
    /// <summary>One table in file order; <c>[[bin]]</c> tables appear once per entry.</summary>
    public sealed record Table(string Name, IReadOnlyDictionary<string, string> Values);

    public IReadOnlyList<Table> Tables { get; }

    private CargoToml(List<Table> tables) => Tables = tables;

    public static CargoToml Parse(string text, string file)
    {
        var tables = new List<Table>();
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        tables.Add(new Table("", current));
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('['))
            {
                var m = Header().Match(line);
                if (!m.Success) throw new FormatException($"{file}:{i + 1}: not a TOML table header: {line}");
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                tables.Add(new Table(m.Groups[1].Value.Replace(" ", "").Replace("\"", ""), current));
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new FormatException($"{file}:{i + 1}: expected `key = value`, found: {line}");
            var key = line[..eq].Trim().Trim('"');
            var value = line[(eq + 1)..].Trim();
            // Arrays and inline tables may span lines: read on until the brackets balance.
            while (Depth(value) > 0 && i + 1 < lines.Length) value += " " + StripComment(lines[++i]).Trim();
            current[key] = value;
        }
        return new CargoToml(tables);
    }

    public IReadOnlyDictionary<string, string>? this[string table] => Tables.FirstOrDefault(t => t.Name == table)?.Values;

    public IEnumerable<Table> All(string table) => Tables.Where(t => t.Name == table);

    /// <summary>A string value (<c>key = "x"</c>), or null.</summary>
    public string? String(string table, string key) => this[table] is { } t && t.TryGetValue(key, out var v) ? Unquote(v) : null;

    public static string? Unquote(string value) => StringValue().Match(value) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The strings of an array value (<c>["a", "b"]</c>).</summary>
    public static List<string> Strings(string? value) =>
        value is null ? [] : Quoted().Matches(value).Select(m => m.Groups[1].Value).ToList();

    private static int Depth(string value)
    {
        var depth = 0;
        var inString = false;
        foreach (var c in value)
        {
            if (c == '"') inString = !inString;
            else if (!inString && c is '[' or '{') depth++;
            else if (!inString && c is ']' or '}') depth--;
        }
        return depth;
    }

    private static string StripComment(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') inString = !inString;
            else if (line[i] == '#' && !inString) return line[..i];
        }
        return line;
    }

    [GeneratedRegex(@"^\[\[?\s*([^\]]+?)\s*\]\]?$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^[""']([^""']*)[""']$")]
    private static partial Regex StringValue();

    [GeneratedRegex(@"[""']([^""']*)[""']")]
    private static partial Regex Quoted();
}
