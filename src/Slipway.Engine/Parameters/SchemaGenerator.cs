using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Engine.Parameters;

/// <summary>JSON Schema for .nuke/parameters.json, so an IDE completes parameter names, enum values and targets.</summary>
public static class SchemaGenerator
{
    public static string Generate(IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<string> targets)
    {
        var props = new JsonObject
        {
            ["$schema"] = new JsonObject { ["type"] = "string" },
            ["Target"] = new JsonObject { ["type"] = "array", ["description"] = "Targets to run", ["items"] = new JsonObject { ["$ref"] = "#/definitions/ExecutableTarget" } },
            ["Skip"] = new JsonObject { ["type"] = "array", ["description"] = "Targets to skip", ["items"] = new JsonObject { ["$ref"] = "#/definitions/ExecutableTarget" } },
            ["Verbosity"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("Quiet", "Minimal", "Normal", "Verbose") },
        };
        foreach (var p in parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var s = TypeSchema(p.Type);
            if (p.Description is not null) s["description"] = p.Description;
            if (p.IsSecret) s["default"] = "Secrets must be entered via environment variables or --parameters, never committed";
            props[p.Name] = s;
        }
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["title"] = "Build Schema",
            ["definitions"] = new JsonObject { ["ExecutableTarget"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(targets.Select(t => (JsonNode)t!).ToArray()) } },
            ["type"] = "object",
            ["properties"] = props,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject TypeSchema(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsArray) return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(t.GetElementType()!) };
        if (t == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
        if (t == typeof(int)) return new JsonObject { ["type"] = "integer" };
        if (t.IsEnum) return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Enum.GetNames(t).Select(n => (JsonNode)n!).ToArray()) };
        return new JsonObject { ["type"] = "string" };
    }
}
