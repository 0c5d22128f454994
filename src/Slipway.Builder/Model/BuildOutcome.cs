using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Tooling;

namespace Slipway.Builder.Model;

/// <summary>
/// What a builder process reports about its build to whoever started it, as one small JSON object: written by
/// <c>slipway builder run</c> to the file named by <see cref="FileVariable"/> (in a Kubernetes Job, the
/// container's <c>terminationMessagePath</c>, which the kubelet copies into the pod status as
/// <c>state.terminated.message</c>; Kubernetes keeps at most 4096 bytes of it). No log tail here: the executor
/// reads that from the pod's log. On success: repository, digest, commit; on failure: step, class, message.
/// </summary>
public sealed record BuildOutcome(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("repository")] string? Repository = null,
    [property: JsonPropertyName("digest")] string? Digest = null,
    [property: JsonPropertyName("commit")] string? Commit = null,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags = null,
    [property: JsonPropertyName("step")] string? Step = null,
    [property: JsonPropertyName("class")] string? Class = null,
    [property: JsonPropertyName("message")] string? Message = null)
{
    /// <summary>The variable naming the file the builder writes its outcome to (unset: it writes none).</summary>
    public const string FileVariable = "SLIPWAY_OUTCOME_FILE";
    public const string SucceededResult = "succeeded";
    public const string FailedResult = "failed";
    /// <summary>The kubelet's limit for a termination message.</summary>
    public const int MaxBytes = 4096;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static BuildOutcome From(BuildResult result) => result switch
    {
        BuildResult.Succeeded s => new(SucceededResult, s.Repository, s.Digest, s.Commit, s.Tags.Count == 0 ? null : s.Tags),
        BuildResult.Failed f => new(FailedResult, Step: f.Step, Class: ClassName(f.Class), Message: Secrets.Redact(f.Message)),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "unknown build result"),
    };

    /// <summary>The JSON form, cut to <see cref="MaxBytes"/> by shortening the message (the only free-text field).</summary>
    public string Serialize()
    {
        var text = JsonSerializer.Serialize(this, Json);
        if (Encoding.UTF8.GetByteCount(text) <= MaxBytes || Message is null) return text;
        var over = Encoding.UTF8.GetByteCount(text) - MaxBytes;
        var keep = Math.Max(0, Message.Length - over - 64);
        return (this with { Message = Message[..keep] + " …" }).Serialize();
    }

    public void WriteTo(string path) => File.WriteAllText(path, Serialize());

    /// <summary>
    /// For <c>slipway builder run</c>: writes to the file named by <see cref="FileVariable"/> when it is set (in a
    /// Kubernetes Job, the termination-message path). False when unset or not writable: the exit code still tells.
    /// </summary>
    public bool WriteToRequestedFile(Func<string, string?> environment)
    {
        if (environment(FileVariable) is not { Length: > 0 } path) return false;
        try { WriteTo(path); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Null when the text is not an outcome (empty, or a log line from a fallback policy).</summary>
    public static BuildOutcome? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith('{')) return null;
        try
        {
            var outcome = JsonSerializer.Deserialize<BuildOutcome>(text, Json);
            return outcome?.Result is SucceededResult or FailedResult ? outcome : null;
        }
        catch (JsonException) { return null; }
    }

    public static string ClassName(FailureClass c) => c == FailureClass.Transient ? "transient" : "permanent";

    public static FailureClass? ParseClass(string? name) => name switch
    {
        "transient" => FailureClass.Transient,
        "permanent" => FailureClass.Permanent,
        _ => null,
    };
}
