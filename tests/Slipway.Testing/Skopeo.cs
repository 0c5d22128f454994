using System.Text.Json;
using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>skopeo as the independent judge of what landed in a registry or layout.</summary>
public static class Skopeo
{
    public static async Task<JsonDocument> InspectAsync(string reference, bool raw = false, bool config = false, CancellationToken ct = default)
    {
        var args = new List<string> { "inspect", "--tls-verify=false" };
        if (raw) args.Add("--raw");
        if (config) args.Add("--config");
        args.Add(reference);
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", args) { CaptureStandardOutput = true }, ct);
        return JsonDocument.Parse(r.StandardOutput);
    }

    /// <summary>The sha256 digest of the manifest a reference names, as skopeo computes it.</summary>
    public static async Task<string> DigestAsync(string reference, CancellationToken ct = default)
    {
        using var doc = await InspectAsync(reference, ct: ct);
        return doc.RootElement.GetProperty("Digest").GetString()!;
    }

    public static async Task<IReadOnlyList<string>> TagsAsync(string repository, CancellationToken ct = default)
    {
        var r = await ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", ["list-tags", "--tls-verify=false", repository]) { CaptureStandardOutput = true }, ct);
        using var doc = JsonDocument.Parse(r.StandardOutput);
        return doc.RootElement.GetProperty("Tags").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    public static Task<ToolResult> CopyAsync(string source, string destination, CancellationToken ct = default, params string[] extra) =>
        ToolRunner.RunCheckedAsync(new ToolInvocation("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", .. extra, source, destination]), ct);
}
