using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Tooling;

namespace Slipway.Builder.Model;

/// <summary>
/// The file form of a <see cref="BuildResult"/>: what a builder process reports about its build to whoever started
/// it, as one small JSON object, written by <c>slipway builder run</c> to the file named by <see cref="FileVariable"/>
/// (in a Kubernetes Job, the container's <c>terminationMessagePath</c>, which the kubelet copies into the pod status
/// as <c>state.terminated.message</c>; Kubernetes keeps at most 4096 bytes of it). No log tail here: the executor
/// reads that from the pod's log. On success: <c>result</c>, <c>repository</c>, <c>digest</c>, <c>commit</c>,
/// <c>tags</c>; on failure: <c>result</c>, <c>step</c>, <c>class</c>, <c>message</c> (absent values left out).
/// </summary>
public static class BuildOutcome
{
    /// <summary>The variable naming the file the builder writes its outcome to (unset: it writes none).</summary>
    public const string FileVariable = "SLIPWAY_OUTCOME_FILE";
    public const string SucceededResult = "succeeded";
    public const string FailedResult = "failed";
    /// <summary>The kubelet's limit for a termination message.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The JSON form, cut to <see cref="MaxBytes"/> by shortening the message (the only free-text field).</summary>
    public static string Serialize(BuildResult result)
    {
        var text = Json(result);
        if (Encoding.UTF8.GetByteCount(text) <= MaxBytes || result is not BuildResult.Failed failed) return text;
        var message = Secrets.Redact(failed.Message);
        var over = Encoding.UTF8.GetByteCount(text) - MaxBytes;
        var keep = Math.Max(0, message.Length - over - 64);
        return Serialize(failed with { Message = message[..keep] + " …" });
    }

    private static string Json(BuildResult result)
    {
        var o = new JsonObject();
        switch (result)
        {
            case BuildResult.Succeeded s:
                o["result"] = SucceededResult;
                o["repository"] = s.Image.Repository;
                o["digest"] = s.Image.Digest;
                if (s.Commit is not null) o["commit"] = s.Commit;
                if (s.Image.Tag is not null) o["tags"] = new JsonArray(s.Image.Tag);
                break;
            case BuildResult.Failed f:
                o["result"] = FailedResult;
                o["step"] = f.Step;
                o["class"] = ClassName(f.Class);
                o["message"] = Secrets.Redact(f.Message);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(result), result, "unknown build result");
        }
        return o.ToJsonString();
    }

    public static void WriteTo(BuildResult result, string path) => File.WriteAllText(path, Serialize(result));

    /// <summary>
    /// For <c>slipway builder run</c>: writes to the file named by <see cref="FileVariable"/> when it is set (in a
    /// Kubernetes Job, the termination-message path). False when unset or not writable: the exit code still tells.
    /// </summary>
    public static bool WriteToRequestedFile(BuildResult result, Func<string, string?> environment)
    {
        if (environment(FileVariable) is not { Length: > 0 } path) return false;
        try { WriteTo(result, path); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>
    /// The result a builder wrote for <paramref name="buildId"/>; null when the text is not an outcome (empty, a log
    /// line from a fallback policy, or a success without repository and digest). A failure without a known class
    /// reads as permanent; its log tail is empty (the reader takes it from the log).
    /// </summary>
    public static BuildResult? TryParse(string? text, string buildId)
    {
        if (string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith('{')) return null;
        try
        {
            if (JsonNode.Parse(text) is not JsonObject o) return null;
            string? Text(string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            switch (Text("result"))
            {
                case SucceededResult when Text("repository") is { } repository && Text("digest") is { } digest:
                    var tag = o["tags"] is JsonArray { Count: > 0 } tags && tags[0] is JsonValue t && t.TryGetValue<string>(out var first) ? first : null;
                    return new BuildResult.Succeeded(buildId, new PublishedImage(repository, tag, digest), Text("commit"));
                case FailedResult:
                    return new BuildResult.Failed(buildId, Text("step") ?? "build", ParseClass(Text("class")) ?? FailureClass.Permanent, Text("message") ?? "", []);
                default:
                    return null;
            }
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
