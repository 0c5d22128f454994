using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Images.Discovery;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;
using Slipway.Tooling;

namespace Slipway.Images.Pipeline;

/// <summary>
/// Publishing: one destination per image (registry or OCI layout, from its route), one registry session per run
/// with the run's credentials, and the publish of a built image (digest first, tags after) or the missing tags
/// of an up-to-date one.
/// </summary>
internal sealed class ImagePublishing(ImagePipelineOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, IImageDestination> _destinations = new(StringComparer.Ordinal);
    private RegistrySession? _session;

    /// <summary>Publishes what this result needs; a failure becomes the result's status. Releases the built image.</summary>
    public async Task PublishAsync(ImagePlan plan, ImageResult result, CancellationToken cancellationToken)
    {
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
                ImageReport.LogOutcome(options.Log, result, building: false);
            }
            else if (result.Status == ImageStatus.UpToDate && result.TagsAdded.Count > 0 && result.Digest is { } digest)
            {
                await Destination(result.Image).TagAsync(digest, result.TagsAdded, cancellationToken);
                options.Log(ImageLogLevel.Info, $"[{result.Image.Key}] up to date at {result.Image.Route.Display}@{digest}; tagged {string.Join(", ", result.TagsAdded)}");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Status = ImageStatus.Failed;
            result.Reason = $"image '{result.Image.Key}' ({ImageCatalog.Relative(plan.Root, result.Image.Definition.DefinitionFile)}) could not be published to {result.Image.Route.Display}: {e.Message.Split('\n')[0]}";
            ImageReport.LogOutcome(options.Log, result, building: false);
        }
        finally
        {
            result.Duration += clock.Elapsed;
            result.Built = null;
            result.RemoveWorkDirectory();
        }
    }

    public IImageDestination Destination(PlannedImage image) => _destinations.GetOrAdd(image.Key, _ =>
    {
        if (options.DestinationFactory is { } factory) return factory(image.Route);
        var progress = new PushProgress(image.Key, options.Log);
        if (image.Route.LayoutDirectory is { } dir) return new OciLayoutDestination(dir, Math.Max(1, options.Jobs), progress);
        if (image.Route.Repository is { } repo) return new RegistryDestination(repo, Session(), progress);
        throw new InvalidOperationException($"image '{image.Key}' has no destination: {image.Route.SkipReason}");
    });

    private RegistrySession Session()
    {
        lock (_destinations)
        {
            if (_session is not null) return _session;
            var baseOptions = options.RegistryClient ?? new RegistryClientOptions();
            var keychain = baseOptions.Keychain;
            if (!string.IsNullOrEmpty(options.RegistryPassword))
            {
                Secrets.Register(options.RegistryPassword);
                // Any host: the explicit pair is meant for whichever registry this run pushes to.
                keychain = keychain.Prepend(ExplicitCredentials.ForAnyHost(new RegistryCredential(options.RegistryUser, options.RegistryPassword, null, "--registry-user/--registry-password")));
            }
            _session = new RegistrySession(baseOptions with { Jobs = Math.Max(1, options.Jobs), Keychain = keychain });
            return _session;
        }
    }

    public void Dispose() => _session?.Dispose();
}
