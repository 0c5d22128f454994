using System.Text.Json;

namespace Slipway.Source.Providers;

/// <summary>Read-only view of the app directory for providers: existence, text and JSON by relative path.</summary>
public sealed class AppFiles(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public bool Exists(string rel) => File.Exists(Full(rel));
    public bool DirectoryExists(string rel) => System.IO.Directory.Exists(Full(rel));
    public string? Read(string rel) => Exists(rel) ? File.ReadAllText(Full(rel)) : null;
    public string Full(string rel) => Path.Combine(Directory, rel);

    /// <summary>The first of <paramref name="names"/> that exists.</summary>
    public string? First(params string[] names) => names.FirstOrDefault(Exists);

    public IEnumerable<string> Subdirectories(string rel) => DirectoryExists(rel)
        ? System.IO.Directory.GetDirectories(Full(rel)).Select(d => Path.GetRelativePath(Directory, d).Replace('\\', '/')).Order(StringComparer.Ordinal)
        : [];

    public JsonElement? Json(string rel)
    {
        var text = Read(rel);
        if (text is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{rel}:{(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message.Split('\n')[0]}");
        }
    }
}
