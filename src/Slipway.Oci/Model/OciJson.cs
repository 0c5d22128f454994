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
        // Source-generated metadata for every OCI document: the native `slipway` CLI has no reflection, and in
        // a JIT process building reflection metadata costs more start-up time than a whole registry exchange.
        // Other callers' own records (Nix's JSON formats) fall back to reflection where the runtime has it.
        // Same property order, same bytes (tests/Slipway.Oci.Tests/Model/OciJsonTests.cs).
        o.TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
            ? JsonTypeInfoResolver.Combine(OciJsonContext.Default, new DefaultJsonTypeInfoResolver())
            : OciJsonContext.Default;
        return o;
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TypeInfo<T>()) ?? throw new InvalidDataException($"{what} is 'null'");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }

    // Through the resolver rather than the generic options overloads, which native code cannot use.
    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

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
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Slipway.Oci.Layers.LayerCacheRecord))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
