using System.Diagnostics;
using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Images.Pipeline;

/// <summary>
/// Building one planned image: skip (route or toolchain), input hash, up-to-date check at the destination,
/// the method's build (or its own publish, for a self-publishing method), metadata stamping. Failures become the
/// image's result with its log tail; they never escape.
/// </summary>
internal sealed class ImageBuilds(ImagePipelineOptions options, ImagePublishing publishing)
{
    public const int LogTailLines = 50;

    private readonly FileHashCache _fileHashes = new(options.FileHashCachePath);

    public async Task<ImageResult> BuildAsync(ImagePlan plan, PlannedImage image, CancellationToken ct)
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
                    options.Log(ImageLogLevel.Info, $"[{image.Key}] {line}");
                },
                SourceDate = plan.Git.CommitTime,
                Compression = options.Compression.ToLayerCompression(),
            };
            var selfPublishing = SelfPublishing(image);

            var extra = await image.Method.ExtraInputsAsync(image.Definition, context, ct);
            var inputHash = await InputHash.ComputeAsync(plan.Root, image.Definition, extra, _fileHashes, ct);
            result.InputHash = inputHash;

            if (await FindUpToDateAsync(image, inputHash, ct) is { } existing)
            {
                result.Digest = existing.Digest;
                result.TagsAdded = existing.Missing;
                return Finish(ImageStatus.UpToDate, existing.Missing.Count == 0
                    ? $"input hash {inputHash.Short} is already at {image.Route.Display}"
                    : $"input hash {inputHash.Short} is already at {image.Route.Display} as {existing.Digest.Short}; only tags {string.Join(", ", existing.Missing)} are added");
            }

            options.Log(ImageLogLevel.Info, $"[{image.Key}] building with {image.Method.Name} from {where} (input hash {inputHash.Short})");
            try
            {
                if (selfPublishing is { } method)
                {
                    // The method pushes it itself (e.g. bazel run //app:push): stamping would change the digest
                    // and publishing again would move the tags off what it pushed.
                    var pushed = await method.BuildAndPublishAsync(image.Definition, context, image.Route.Repository!, image.Tags, ct);
                    result.Digest = pushed.Digest;
                    return Finish(ImageStatus.Pushed, $"pushed by the {image.Method.Name} method itself ({image.Method.Name} delegated push)");
                }
                var built = await InCompressionAsync(await image.Method.BuildAsync(image.Definition, context, ct), ct);
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
            if (result.Built is null) result.RemoveWorkDirectory();
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
    /// The image with every layer in the run's compression: layers a tool wrote otherwise (buildah's gzip under
    /// --compression zstd, the Docker engine's uncompressed save) are recompressed as they stream (diffIDs kept);
    /// an image already all in it is returned as it is, so gzip runs keep their digests.
    /// </summary>
    private async Task<Slipway.Oci.Content.OciImage> InCompressionAsync(Slipway.Oci.Content.OciImage image, CancellationToken ct)
    {
        var wanted = options.Compression.ToLayerCompression();
        if (image.Layers.All(l => !IsTarLayer(l.Descriptor.MediaType) || MediaTypes.CompressionOf(l.Descriptor.MediaType) == wanted)) return image;
        return await Slipway.Oci.Layers.Recompression.RecompressAsync(image, new Slipway.Oci.Layers.LayerOptions { Compression = wanted }, null, ct);
    }

    private static bool IsTarLayer(string mediaType) => mediaType is MediaTypes.OciLayer or MediaTypes.OciLayerGzip or MediaTypes.OciLayerZstd or MediaTypes.DockerLayerGzip;

    /// <summary>
    /// The method, when it was configured to publish its images itself and this image goes to a registry; a self
    /// push needs one, so for an OCI layout destination Slipway publishes instead.
    /// </summary>
    private ISelfPublishingMethod? SelfPublishing(PlannedImage image)
    {
        if (image.Method is not ISelfPublishingMethod { PublishesItself: true } method) return null;
        if (image.Route.Repository is not null) return method;
        options.Log(ImageLogLevel.Warning, $"[{image.Key}] the {image.Method.Name} method's own push needs a registry destination; {image.Route.Display} is published by Slipway instead");
        return null;
    }

    /// <summary>
    /// Looks up the tags this build would get (and <c>latest</c>, which a branch build only reads) at the
    /// destination; a manifest there with the same input hash makes the build unnecessary.
    /// </summary>
    private async Task<(Digest Digest, IReadOnlyList<string> Missing)?> FindUpToDateAsync(PlannedImage image, Digest inputHash, CancellationToken ct)
    {
        var destination = publishing.Destination(image);
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
            options.Log(ImageLogLevel.Warning, $"[{image.Key}] could not check {image.Route.Display} for an up-to-date image ({e.Message.Split('\n')[0]}); building it");
        }
        return null;
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
}
