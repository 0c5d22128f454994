using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Tooling;

/// <summary>
/// The one reader of Nuke's parameter files (<c>.nuke/parameters.json</c>, <c>.nuke/parameters.&lt;profile&gt;.json</c>):
/// a JSON object, comments and trailing commas allowed. The build engine resolves parameters from it and the image
/// pipeline reads its routing names (Org, Group) from it.
/// </summary>
public static class ParametersFile
{
    /// <summary><c>.nuke/parameters.json</c> under <paramref name="root"/>.</summary>
    public static string PathIn(string root, string? profile = null) =>
        Path.Combine(root, ".nuke", profile is null ? "parameters.json" : $"parameters.{profile}.json");

    /// <summary>The file's object, or null when it does not exist; a bad file throws one line naming it and the line.</summary>
    public static JsonObject? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new FormatException($"{path} must hold a JSON object like {{ \"Org\": \"my-org\" }}");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message.Split('.')[0]}");
        }
    }
}
