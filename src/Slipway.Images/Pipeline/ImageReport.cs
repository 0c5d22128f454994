using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Images.Discovery;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;

namespace Slipway.Images.Pipeline;

[JsonConverter(typeof(JsonStringEnumConverter<ImageStatus>))]
public enum ImageStatus
{
    /// <summary>Built in this run and not published (BuildImages without PushImages).</summary>
    [JsonStringEnumMemberName("built")] Built,
    [JsonStringEnumMemberName("pushed")] Pushed,
    /// <summary>An image with the same input hash is already at the destination; at most tags were added.</summary>
    [JsonStringEnumMemberName("up-to-date")] UpToDate,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>What happened to one image in this run (the per-run store's entry).</summary>
public sealed class ImageResult(PlannedImage image)
{
    public PlannedImage Image { get; } = image;
    public ImageStatus Status { get; internal set; }
    public string? Reason { get; internal set; }
    public Digest? Digest { get; internal set; }
    public Digest? InputHash { get; internal set; }
    public TimeSpan Duration { get; internal set; }
    public PublishResult? Publish { get; internal set; }
    /// <summary>Tags that had to be added to an up-to-date image (empty when all were there).</summary>
    public IReadOnlyList<string> TagsAdded { get; internal set; } = [];
    /// <summary>The last lines of the build log, kept for failures.</summary>
    public IReadOnlyList<string> LogTail { get; internal set; } = [];

    internal OciImage? Built { get; set; }
    internal string? WorkDirectory { get; set; }

    /// <summary>Removes the build's scratch directory (once the image is published or failed).</summary>
    internal void RemoveWorkDirectory()
    {
        if (WorkDirectory is not { } dir) return;
        WorkDirectory = null;
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* scratch in the temp dir; the OS reclaims it */ }
    }
}

/// <summary>
/// Reporting: <c>artifacts/images.json</c> (one entry per image, written even when some images fail), the
/// one-line-per-image build summary and the log line each outcome gets.
/// </summary>
public static class ImageReport
{
    /// <summary>One line per image for the build summary (Nuke's ReportSummary).</summary>
    public static IReadOnlyList<string> SummaryLines(IEnumerable<ImageResult> results) => results.Select(r =>
    {
        // Short: the summary table has one cell per target; details are in the log and artifacts/images.json.
        var what = r.Status switch
        {
            ImageStatus.Pushed => $"pushed {r.Digest?.Short} ({r.Publish?.BlobsUploaded} blobs sent)",
            ImageStatus.Built => $"built {r.Digest?.Short}",
            ImageStatus.UpToDate => r.TagsAdded.Count == 0 ? "up to date" : $"up to date, +{string.Join(", +", r.TagsAdded)}",
            ImageStatus.Skipped => $"skipped ({Shorten(r.Reason)})",
            _ => "FAILED",
        };
        return $"{r.Image.Key}: {what}";
    }).ToList();

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>The log line(s) an image's outcome gets, as it happens.</summary>
    public static void LogOutcome(Action<ImageLogLevel, string> log, ImageResult r, bool building)
    {
        switch (r.Status)
        {
            case ImageStatus.Failed:
                log(ImageLogLevel.Error, r.Reason ?? $"image '{r.Image.Key}' failed");
                if (r.LogTail.Count > 0)
                    log(ImageLogLevel.Error, $"last {r.LogTail.Count} lines of the build log of '{r.Image.Key}':{System.Environment.NewLine}{string.Join(System.Environment.NewLine, r.LogTail.Select(l => "  | " + l))}");
                break;
            case ImageStatus.Skipped:
                log(ImageLogLevel.Warning, $"[{r.Image.Key}] skipped: {r.Reason}");
                break;
            case ImageStatus.UpToDate when building:
                log(ImageLogLevel.Info, $"[{r.Image.Key}] up to date: {r.Reason}");
                break;
            case ImageStatus.Built:
                log(ImageLogLevel.Info, $"[{r.Image.Key}] built {r.Digest} in {r.Duration.TotalSeconds:0.0}s");
                break;
            case ImageStatus.Pushed when r.Publish is null:
                log(ImageLogLevel.Info, $"[{r.Image.Key}] {r.Reason}: {r.Image.Route.Display}@{r.Digest}");
                break;
            case ImageStatus.Pushed:
                log(ImageLogLevel.Info, $"[{r.Image.Key}] pushed {r.Image.Route.Display}@{r.Digest} ({r.Publish!.BlobsUploaded} blobs uploaded, {r.Publish.BlobsSkipped} present, {r.Publish.BlobsMounted} mounted), then tags {string.Join(", ", r.Image.Tags)}");
                break;
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed record Document(
        int SchemaVersion, string Revision, string? Branch, string Created, string Destination, IReadOnlyList<Entry> Images);

    public sealed record Entry(
        string Name, string Method, string Definition, string Version, string Destination, IReadOnlyList<string> Tags,
        string? Digest, ImageStatus Status, double DurationSeconds, string? Reason, string? InputHash,
        int? BlobsUploaded, long? BytesUploaded);

    public static Document Create(ImagePlan plan, IEnumerable<ImageResult> results) => new(
        1, plan.Git.Sha, plan.Git.Branch, plan.Git.CreatedText, plan.DestinationSummary,
        results.Select(r => new Entry(
            r.Image.Key, r.Image.Method.Name, ImageCatalog.Relative(plan.Root, r.Image.Definition.DefinitionFile), r.Image.Version,
            r.Image.Route.Display, r.Image.Tags, r.Digest?.ToString(), r.Status, Math.Round(r.Duration.TotalSeconds, 3),
            r.Reason, r.InputHash?.ToString(), r.Publish?.BlobsUploaded, r.Publish?.BytesUploaded)).ToList());

    public static void Write(string path, Document document)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(document, Json));
        File.Move(tmp, path, overwrite: true);
    }

    public static Document Read(string path) =>
        JsonSerializer.Deserialize<Document>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"{path} is empty");
}
