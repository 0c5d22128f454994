using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Tooling;

namespace Slipway.Images.Pipeline;

/// <summary>
/// One run of the image pipeline: plan once (discover, validate, tag, route), build what is not already at its
/// destination, publish (digest first, tags after), report. The build targets call it in a few lines and
/// share one instance, which is the per-run store of results.
/// </summary>
public sealed class ImagePipeline(ImagePipelineOptions options) : IAsyncDisposable, IDisposable
{
    public const int LogTailLines = 50;

    private readonly ConcurrentDictionary<string, ImageResult> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IImageDestination> _destinations = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _planGate = new(1, 1);
    private ImagePlan? _plan;
    private RegistrySession? _session;

    public ImagePipelineOptions Options { get; } = options;

    /// <summary>Results so far, in plan order.</summary>
    public IReadOnlyList<ImageResult> Results =>
        _plan is null ? [] : _plan.Images.Select(i => _results.GetValueOrDefault(i.Key)).OfType<ImageResult>().ToList();

    public string ReportPath => Options.ReportPath ?? Path.Combine(Options.Root, "artifacts", "images.json");

    // ---------------------------------------------------------------- plan

    /// <summary>Discovers, filters and validates every image and decides tags and destinations. Cached per run.</summary>
    public async Task<ImagePlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        if (_plan is not null) return _plan;
        await _planGate.WaitAsync(cancellationToken);
        try
        {
            if (_plan is not null) return _plan;
            var root = Path.GetFullPath(Options.Root);
            var catalog = ImageCatalog.Discover(root, Options.Methods).Filter(Options.Images);
            var notes = new List<string>();
            GitInfo git;
            try
            {
                git = Options.Git ?? await GitInfo.ReadAsync(root, Options.Environment, cancellationToken);
            }
            catch (GitInfoException e) when (!Options.IsStrict)
            {
                // Like Nuke without a repository: the build still runs, but images carry a placeholder commit
                // and never get `latest`. Strict (CI) runs stop instead: a pushed image must name its commit.
                git = GitInfo.Placeholder();
                notes.Add($"{e.Message}. Images are tagged with the placeholder commit {git.ShortSha} and get no 'latest' (with --strict this is an error)");
            }
            catch (GitInfoException e)
            {
                throw new ImagePlanException([e.Message]);
            }
            var router = new ImageRouter(root, Options.Registry, Options.Context, RepoParameters.Read(root).With("Org", Options.Org).With("Group", Options.Group), Options.Environment);
            _plan = ImagePlanner.Plan(root, catalog, git, router, Options.MainBranch, Options.IsStrict, notes);
            foreach (var note in _plan.Notes) Options.Log(ImageLogLevel.Warning, note);
            return _plan;
        }
        finally
        {
            _planGate.Release();
        }
    }

    /// <summary>The table the <c>Images</c> target prints: name, method, version, definition, tags, destination.</summary>
    public static string FormatTable(ImagePlan plan)
    {
        var header = new[] { "IMAGE", "METHOD", "VERSION", "DEFINITION", "TAGS", "DESTINATION" };
        var rows = plan.Images.Select(i => new[]
        {
            i.Key, i.Method.Name, i.VersionDefaulted ? $"{i.Version} (none declared)" : i.Version,
            ImageCatalog.Relative(plan.Root, i.Definition.DefinitionFile), string.Join(", ", i.Tags),
            i.Route.SkipReason is null ? i.Route.Display + (i.Definition.Visibility == "private" ? " (private)" : "") : $"skipped: {i.Route.SkipReason}",
        }).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"Commit {plan.Git.ShortSha} ({plan.Git.CreatedText}) on {plan.Git.Branch ?? "no branch"}{(plan.IsMainBranch ? " (main: tagged latest)" : "")}; destination {plan.DestinationSummary}");
        foreach (var r in rows.Prepend(header))
            sb.AppendLine(string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        if (plan.Images.Count == 0) sb.AppendLine("(no images: add containers/<name>/Dockerfile, containers/<name>/default.nix, app/Dockerfile or flake.nix image packages)");
        return sb.ToString();
    }

    // ---------------------------------------------------------------- build

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
            var result = await BuildOneAsync(plan, image, cancellationToken);
            _results[image.Key] = result;
            LogOutcome(result, building: true);
        }
        WriteReport();
        return todo.Select(i => _results[i.Key]).ToList();
    }

    private async Task<ImageResult> BuildOneAsync(ImagePlan plan, PlannedImage image, CancellationToken ct)
    {
        var result = new ImageResult(image);
        var clock = Stopwatch.StartNew();
        var where = ImageCatalog.Relative(plan.Root, image.Definition.DefinitionFile);
        try
        {
            if (image.Route.SkipReason is { } routeSkip)
                return Finish(ImageStatus.Skipped, routeSkip);

            if (image.Method.CheckToolchain(image.Definition) is { } problem)
                return Unbuildable(problem);

            result.WorkDirectory = Directory.CreateTempSubdirectory($"slipway-{image.Key}-").FullName;
            var tail = new Queue<string>();
            var context = new BuildContext
            {
                Root = plan.Root,
                WorkDirectory = result.WorkDirectory,
                Log = line =>
                {
                    line = Secrets.Redact(line);
                    lock (tail)
                    {
                        tail.Enqueue(line);
                        while (tail.Count > LogTailLines) tail.Dequeue();
                    }
                    Options.Log(ImageLogLevel.Info, $"[{image.Key}] {line}");
                },
                DockerfileEngine = Options.DockerfileEngine,
                BaseImageMap = Options.BaseImageMap,
                SourceDate = plan.Git.CommitTime,
                Options = MethodOptionsFor(image, out var delegated),
            };

            var extra = await image.Method.ExtraInputsAsync(image.Definition, context, ct);
            var inputHash = await InputHash.ComputeAsync(plan.Root, image.Definition, extra, ct);
            result.InputHash = inputHash;

            if (await FindUpToDateAsync(image, inputHash, ct) is { } existing)
            {
                result.Digest = existing.Digest;
                result.TagsAdded = existing.Missing;
                return Finish(ImageStatus.UpToDate, existing.Missing.Count == 0
                    ? $"input hash {inputHash.Short} is already at {image.Route.Display}"
                    : $"input hash {inputHash.Short} is already at {image.Route.Display} as {existing.Digest.Short}; only tags {string.Join(", ", existing.Missing)} are added");
            }

            Options.Log(ImageLogLevel.Info, $"[{image.Key}] building with {image.Method.Name} from {where} (input hash {inputHash.Short})");
            try
            {
                var built = await image.Method.BuildAsync(image.Definition, context, ct);
                if (delegated)
                {
                    // The method pushed it itself (e.g. bazel run //app:push): stamping would change the digest
                    // and publishing again would move the tags off what it pushed.
                    result.Digest = built.Digest;
                    return Finish(ImageStatus.Pushed, $"pushed by the {image.Method.Name} method itself ({image.Method.Name}.delegate-push)");
                }
                var metadata = new ImageMetadata(plan.Git.RemoteUrl, plan.Git.Sha, image.Version, plan.Git.CreatedText, inputHash);
                result.Built = await MetadataStamper.StampAsync(built, metadata, ct);
                result.Digest = result.Built.Digest;
                return Finish(ImageStatus.Built, null);
            }
            catch (Exception e) when (e is not ToolchainProblemException && (e is not OperationCanceledException || !ct.IsCancellationRequested))
            {
                List<string> lines;
                lock (tail) lines = tail.ToList();
                if (lines.Count == 0 && e is ToolException te) lines = te.Result.Tail.ToList();
                result.LogTail = lines;
                return Finish(ImageStatus.Failed, $"image '{image.Key}' ({where}) failed: {Headline(e.Message, image.Key)}");
            }
        }
        catch (ToolchainProblemException e)
        {
            // Found only once the work started (e.g. nix reaching for a flake input offline): the same answer
            // as CheckToolchain's, whichever run meets it first.
            return Unbuildable(e.Problem);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return Finish(ImageStatus.Failed, $"image '{image.Key}' ({where}) failed before its build: {e.Message}");
        }
        finally
        {
            if (result.Built is null) RemoveWorkDirectory(result);
        }

        ImageResult Unbuildable(ToolchainProblem problem) => plan.Strict
            ? Finish(ImageStatus.Failed, $"image '{image.Key}' ({where}) cannot be built: {problem} (--strict turns a missing toolchain into a failure)")
            : Finish(ImageStatus.Skipped, $"{problem}");

        ImageResult Finish(ImageStatus status, string? reason)
        {
            result.Status = status;
            result.Reason = reason;
            result.Duration = clock.Elapsed;
            return result;
        }
    }

    /// <summary>
    /// Looks up the tags this build would get (and <c>latest</c>, which a branch build only reads) at the
    /// destination; a manifest there with the same input hash makes the build unnecessary.
    /// </summary>
    private async Task<(Digest Digest, IReadOnlyList<string> Missing)?> FindUpToDateAsync(PlannedImage image, Digest inputHash, CancellationToken ct)
    {
        var destination = Destination(image);
        var candidates = image.Tags.Append(ImageTags.LatestTag(image.Definition.TagSuffix)).Distinct().ToList();
        var resolved = new Dictionary<string, Digest?>();
        try
        {
            foreach (var tag in candidates)
                resolved[tag] = (await destination.ResolveTagAsync(tag, ct))?.Digest;
            foreach (var digest in resolved.Values.OfType<Digest>().Distinct())
            {
                var bytes = await destination.GetManifestAsync(digest, ct);
                if (bytes is null) continue;
                if (MetadataStamper.AnnotationsOf(bytes).GetValueOrDefault(Annotations.InputHash) != inputHash.ToString()) continue;
                var missing = image.Tags.Where(t => resolved.GetValueOrDefault(t) != digest).ToList();
                return (digest, missing);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // An unreachable destination does not stop a build; publishing will report it if it persists.
            Options.Log(ImageLogLevel.Warning, $"[{image.Key}] could not check {image.Route.Display} for an up-to-date image ({e.Message.Split('\n')[0]}); building it");
        }
        return null;
    }

    // ---------------------------------------------------------------- push

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
            var clock = Stopwatch.StartNew();
            try
            {
                if (result.Status == ImageStatus.Built && result.Built is { } image)
                {
                    var published = await Destination(result.Image).PublishAsync(image, result.Image.Tags, cancellationToken);
                    result.Publish = published;
                    result.Digest = published.Digest;
                    result.Status = ImageStatus.Pushed;
                    result.Reason = null;
                    LogOutcome(result, building: false);
                }
                else if (result.Status == ImageStatus.UpToDate && result.TagsAdded.Count > 0 && result.Digest is { } digest)
                {
                    await Destination(result.Image).TagAsync(digest, result.TagsAdded, cancellationToken);
                    Options.Log(ImageLogLevel.Info, $"[{result.Image.Key}] up to date at {result.Image.Route.Display}@{digest}; tagged {string.Join(", ", result.TagsAdded)}");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result.Status = ImageStatus.Failed;
                result.Reason = $"image '{result.Image.Key}' ({ImageCatalog.Relative(plan.Root, result.Image.Definition.DefinitionFile)}) could not be published to {result.Image.Route.Display}: {e.Message.Split('\n')[0]}";
                LogOutcome(result, building: false);
            }
            finally
            {
                result.Duration += clock.Elapsed;
                result.Built = null;
                RemoveWorkDirectory(result);
            }
        }
        WriteReport();
        return Results;
    }

    // ---------------------------------------------------------------- outcome

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

    private readonly HashSet<string> _thrown = new(StringComparer.Ordinal);

    /// <summary>One line per image for the build summary (Nuke's ReportSummary).</summary>
    public IReadOnlyList<string> SummaryLines() => SummaryLines(Results);

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

    public void WriteReport()
    {
        if (_plan is null) return;
        ImageReport.Write(ReportPath, ImageReport.Create(_plan, Results));
    }

    private void LogOutcome(ImageResult r, bool building)
    {
        switch (r.Status)
        {
            case ImageStatus.Failed:
                Options.Log(ImageLogLevel.Error, r.Reason ?? $"image '{r.Image.Key}' failed");
                if (r.LogTail.Count > 0)
                    Options.Log(ImageLogLevel.Error, $"last {r.LogTail.Count} lines of the build log of '{r.Image.Key}':{System.Environment.NewLine}{string.Join(System.Environment.NewLine, r.LogTail.Select(l => "  | " + l))}");
                break;
            case ImageStatus.Skipped:
                Options.Log(ImageLogLevel.Warning, $"[{r.Image.Key}] skipped: {r.Reason}");
                break;
            case ImageStatus.UpToDate when building:
                Options.Log(ImageLogLevel.Info, $"[{r.Image.Key}] up to date: {r.Reason}");
                break;
            case ImageStatus.Built:
                Options.Log(ImageLogLevel.Info, $"[{r.Image.Key}] built {r.Digest} in {r.Duration.TotalSeconds:0.0}s");
                break;
            case ImageStatus.Pushed when r.Publish is null:
                Options.Log(ImageLogLevel.Info, $"[{r.Image.Key}] {r.Reason}: {r.Image.Route.Display}@{r.Digest}");
                break;
            case ImageStatus.Pushed:
                Options.Log(ImageLogLevel.Info, $"[{r.Image.Key}] pushed {r.Image.Route.Display}@{r.Digest} ({r.Publish!.BlobsUploaded} blobs uploaded, {r.Publish.BlobsSkipped} present, {r.Publish.BlobsMounted} mounted), then tags {string.Join(", ", r.Image.Tags)}");
                break;
        }
    }

    // ---------------------------------------------------------------- destinations

    private IImageDestination Destination(PlannedImage image) => _destinations.GetOrAdd(image.Key, _ =>
    {
        if (Options.DestinationFactory is { } factory) return factory(image.Route);
        if (image.Route.LayoutDirectory is { } dir) return new OciLayoutDestination(dir, Math.Max(1, Options.Jobs));
        if (image.Route.Repository is { } repo) return new RegistryDestination(repo, Session());
        throw new InvalidOperationException($"image '{image.Key}' has no destination: {image.Route.SkipReason}");
    });

    private RegistrySession Session()
    {
        lock (_destinations)
        {
            if (_session is not null) return _session;
            var baseOptions = Options.RegistryClient ?? new RegistryClientOptions();
            var credentials = new Dictionary<string, RegistryCredential>(baseOptions.ExplicitCredentials);
            if (!string.IsNullOrEmpty(Options.RegistryPassword))
            {
                Secrets.Register(Options.RegistryPassword);
                // "*": the explicit pair is meant for whichever registry this run pushes to.
                credentials["*"] = new RegistryCredential(Options.RegistryUser, Options.RegistryPassword, null, "--registry-user/--registry-password");
            }
            _session = new RegistrySession(baseOptions with { Jobs = Math.Max(1, Options.Jobs), ExplicitCredentials = credentials });
            return _session;
        }
    }

    /// <summary>
    /// The method switches for one image. <c>&lt;method&gt;.delegate-push=true</c> means the method publishes the
    /// image itself; it then gets <c>&lt;method&gt;.push-repository</c> (HOST/NS/NAME) and <c>&lt;method&gt;.push-tags</c>
    /// (comma separated). Delegation needs a registry: for an OCI layout destination it is switched off.
    /// </summary>
    private IReadOnlyDictionary<string, string> MethodOptionsFor(PlannedImage image, out bool delegated)
    {
        var options = new Dictionary<string, string>(Options.MethodOptions, StringComparer.Ordinal);
        var prefix = image.Method.Name + ".";
        delegated = options.GetValueOrDefault(prefix + "delegate-push") == "true";
        if (delegated && image.Route.Repository is { } repository)
        {
            options[prefix + "push-repository"] = repository.Name;
            options[prefix + "push-tags"] = string.Join(",", image.Tags);
        }
        else if (delegated)
        {
            Options.Log(ImageLogLevel.Warning, $"[{image.Key}] {prefix}delegate-push needs a registry destination; {image.Route.Display} is published by Slipway instead");
            options[prefix + "delegate-push"] = "false";
            delegated = false;
        }
        return options;
    }

    /// <summary>
    /// The first line of a method's error, without what the pipeline says itself: the image name prefix and a
    /// trailing "last N lines:" (the pipeline prints the log tail on its own).
    /// </summary>
    internal static string Headline(string message, string image)
    {
        var line = message.Split('\n')[0].Trim();
        foreach (var prefix in new[] { $"image '{image}': ", $"image '{image}' " })
            if (line.StartsWith(prefix, StringComparison.Ordinal)) { line = line[prefix.Length..]; break; }
        var tail = System.Text.RegularExpressions.Regex.Match(line, @"[;,]?\s*(the )?last \d+ lines( of [^:;]+)?:?\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (tail.Success) line = line[..tail.Index];
        return line.TrimEnd(' ', ':', ';', ',');
    }

    private static void RemoveWorkDirectory(ImageResult result)
    {
        if (result.WorkDirectory is not { } dir) return;
        result.WorkDirectory = null;
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* scratch in the temp dir; the OS reclaims it */ }
    }

    public void Dispose()
    {
        foreach (var r in _results.Values) { r.Built = null; RemoveWorkDirectory(r); }
        _session?.Dispose();
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
