using System.Collections.Concurrent;

namespace Slipway.Images.Pipeline;

/// <summary>
/// One run of the image pipeline: plan once (<see cref="ImagePlanner"/>: discover, validate, tag, route), build
/// what is not already at its destination (<see cref="ImageBuilds"/>), publish digest first, tags after
/// (<see cref="ImagePublishing"/>), report (<see cref="ImageReport"/>). The build targets call it in a few lines
/// and share one instance, which is the per-run store of results.
/// </summary>
public sealed class ImagePipeline : IAsyncDisposable, IDisposable
{
    public const int LogTailLines = ImageBuilds.LogTailLines;

    private readonly ConcurrentDictionary<string, ImageResult> _results = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _planGate = new(1, 1);
    private readonly HashSet<string> _thrown = new(StringComparer.Ordinal);
    private readonly ImagePublishing _publishing;
    private readonly ImageBuilds _builds;
    private ImagePlan? _plan;

    public ImagePipeline(ImagePipelineOptions options)
    {
        Options = options;
        _publishing = new ImagePublishing(options);
        _builds = new ImageBuilds(options, _publishing);
    }

    public ImagePipelineOptions Options { get; }

    /// <summary>Results so far, in plan order.</summary>
    public IReadOnlyList<ImageResult> Results =>
        _plan is null ? [] : _plan.Images.Select(i => _results.GetValueOrDefault(i.Key)).OfType<ImageResult>().ToList();

    public string ReportPath => Options.ReportPath ?? Path.Combine(Options.Root, "artifacts", "images.json");

    /// <summary>Discovers, filters and validates every image and decides tags and destinations. Cached per run.</summary>
    public async Task<ImagePlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        if (_plan is not null) return _plan;
        await _planGate.WaitAsync(cancellationToken);
        try
        {
            if (_plan is not null) return _plan;
            var plan = await ImagePlanner.PlanAsync(Options, cancellationToken);
            foreach (var note in plan.Notes) Options.Log(ImageLogLevel.Warning, note);
            return _plan = plan;
        }
        finally
        {
            _planGate.Release();
        }
    }

    /// <summary>The table the <c>Images</c> target prints: name, method, version, definition, tags, destination.</summary>
    public static string FormatTable(ImagePlan plan) => ImagePlanner.FormatTable(plan);

    /// <summary>
    /// Builds every planned image of <paramref name="method"/> (all methods when null) that is not already in
    /// the store. An image whose input hash is already at its destination is not built ("up to date"); a
    /// failing image is recorded and the others go on. Never throws for one image's failure.
    /// </summary>
    public async Task<IReadOnlyList<ImageResult>> BuildAsync(string? method = null, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(cancellationToken);
        var todo = plan.Images.Where(i => method is null || i.Method.Name == method).Where(i => !_results.ContainsKey(i.Key)).ToList();
        foreach (var image in todo)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await _builds.BuildAsync(plan, image, cancellationToken);
            _results[image.Key] = result;
            ImageReport.LogOutcome(Options.Log, result, building: true);
        }
        WriteReport();
        return todo.Select(i => _results[i.Key]).ToList();
    }

    /// <summary>
    /// Builds whatever has not been built yet, then publishes each built image (digest first, tags after) and
    /// adds missing tags to up-to-date ones. Writes the report. Never throws for one image's failure; call
    /// <see cref="ThrowIfFailed"/> afterwards.
    /// </summary>
    public async Task<IReadOnlyList<ImageResult>> PushAsync(CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(cancellationToken);
        await BuildAsync(null, cancellationToken);
        foreach (var result in Results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _publishing.PublishAsync(plan, result, cancellationToken);
        }
        WriteReport();
        return Results;
    }

    public IReadOnlyList<ImageResult> Failures => Results.Where(r => r.Status == ImageStatus.Failed).ToList();

    /// <summary>Throws one exception naming every failed image (and its definition file) if any failed.</summary>
    public void ThrowIfFailed()
    {
        var failed = Failures;
        if (failed.Count == 0) return;
        throw new ImagePipelineException(failed);
    }

    /// <summary>
    /// Throws for failures no earlier call has thrown for, so each failing image fails exactly one target
    /// (its method's build target, or PushImages when publishing it failed).
    /// </summary>
    public void ThrowNewFailures()
    {
        List<ImageResult> fresh;
        lock (_thrown) fresh = Failures.Where(f => _thrown.Add(f.Image.Key)).ToList();
        if (fresh.Count > 0) throw new ImagePipelineException(fresh);
    }

    /// <summary>One line per image for the build summary (Nuke's ReportSummary).</summary>
    public IReadOnlyList<string> SummaryLines() => ImageReport.SummaryLines(Results);

    public static IReadOnlyList<string> SummaryLines(IEnumerable<ImageResult> results) => ImageReport.SummaryLines(results);

    public void WriteReport()
    {
        if (_plan is null) return;
        ImageReport.Write(ReportPath, ImageReport.Create(_plan, Results));
    }

    internal static string Headline(string message, string image) => ImageBuilds.Headline(message, image);

    public void Dispose()
    {
        foreach (var r in _results.Values) { r.Built = null; r.RemoveWorkDirectory(); }
        _publishing.Dispose();
        _planGate.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Some images failed; the message names each image, its definition file and the reason.</summary>
public sealed class ImagePipelineException(IReadOnlyList<ImageResult> failed)
    : Exception($"{failed.Count} image{(failed.Count == 1 ? "" : "s")} failed:{System.Environment.NewLine}" + string.Join(System.Environment.NewLine, failed.Select(f => "  - " + f.Reason)))
{
    public IReadOnlyList<ImageResult> Failed { get; } = failed;
}
