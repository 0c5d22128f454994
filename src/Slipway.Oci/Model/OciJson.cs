using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Oci.Model;

/// <summary>One JSON configuration for every OCI document, so the bytes we hash are the bytes we send.</summary>
public static class OciJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
            // Keep '+', '<', '>' etc. literal, as other tools do, so hand-written and generated JSON agree.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new DigestJsonConverter());
        return o;
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{what} is 'null'");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <summary>Reads just the <c>mediaType</c> field of a manifest, falling back to the Content-Type given.</summary>
    public static string SniffMediaType(ReadOnlySpan<byte> json, string? fallback)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String)
                    return mt.GetString()!;
                if (doc.RootElement.TryGetProperty("manifests", out _)) return MediaTypes.OciIndex;
                if (doc.RootElement.TryGetProperty("layers", out _)) return fallback ?? MediaTypes.OciManifest;
            }
        }
        catch (JsonException) { }
        return fallback ?? MediaTypes.OciManifest;
    }
}

internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Digest.TryParse(reader.GetString(), out var d, out var error) ? d : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
