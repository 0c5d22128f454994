using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Builder.Callbacks;

/// <summary>
/// The body of a status callback (JSON, camelCase). <see cref="Sequence"/> grows per build across attempts and
/// workers, so a receiver keeps the newest. SUCCEEDED carries image/digest/version/commit; FAILED the failing step,
/// a one-line error, the last 50 redacted log lines and whether it is final (no retry follows).
/// </summary>
public sealed record CallbackPayload
{
    public required string BuildId { get; init; }
    public required string Status { get; init; }
    public required long Sequence { get; init; }
    public required int Attempt { get; init; }
    public string? Tenant { get; init; }
    public string? Service { get; init; }
    public string? Image { get; init; }
    public string? Digest { get; init; }
    public int? Version { get; init; }
    public string? Commit { get; init; }
    public string? FailedStep { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<string>? LogTail { get; init; }
    public bool? Final { get; init; }
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static CallbackPayload Parse(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize<CallbackPayload>(body, Json) ?? throw new JsonException("empty callback body");
}
