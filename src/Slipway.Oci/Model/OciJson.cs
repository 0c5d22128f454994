using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
        // Source-generated metadata for the OCI documents (a CLI run reads and writes a handful of them, and
        // building reflection metadata for them costs more start-up time than the whole registry exchange);
        // anything else (ImageConfig: its init-only extension data is beyond the generator) still falls back to
        // reflection. Same property order, same bytes (tests/Slipway.Oci.Tests/Model/OciJsonTests.cs).
        o.TypeInfoResolver = JsonTypeInfoResolver.Combine(OciJsonContext.Default, new DefaultJsonTypeInfoResolver());
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

[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(Descriptor))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
