using System.Collections.Concurrent;
using Slipway.Images.Methods;
using Slipway.Nix.Formats;
using Slipway.Nix.Layers;
using Slipway.Oci.Content;

namespace Slipway.Nix;

/// <summary>
/// Nix images: nix2container packages of the root flake and <c>containers/&lt;name&gt;/default.nix</c> files.
/// Builds with nix, then reads the output (nix2container JSON, docker-archive, stream script, Slipway's own
/// closure JSON) into an image whose layers stream from the store at push time.
/// Its settings are a <see cref="NixMethodOptions"/>.
/// </summary>
public sealed class NixMethod(NixMethodOptions? options = null, Func<bool>? nixInstalled = null) : IImageMethod
{
    public NixMethodOptions Options { get; } = options ?? new NixMethodOptions();

    // A hook so the "no nix" path can be tested on a machine that has nix.
    private readonly Func<bool> _nixInstalled = nixInstalled ?? (() => NixCli.IsInstalled);

    // Per flake directory: why its packages could not be listed (used as the skip reason).
    private readonly ConcurrentDictionary<string, ToolchainProblem> _flakeProblems = new(StringComparer.Ordinal);

    public string Name => NixDiscovery.MethodName;

    public async Task<IReadOnlyList<ImageDefinition>> DiscoverAsync(string root, CancellationToken cancellationToken)
    {
        root = Path.GetFullPath(root);
        var result = new List<ImageDefinition>();
        var flake = Path.Combine(root, "flake.nix");
        if (File.Exists(flake)) result.AddRange(await DiscoverFlakeAsync(root, flake, cancellationToken));
        result.AddRange(NixDiscovery.DiscoverContainers(root));
        return result;
    }

    private async Task<IEnumerable<ImageDefinition>> DiscoverFlakeAsync(string root, string flake, CancellationToken cancellationToken)
    {
        if (_nixInstalled())
        {
            try
            {
                var images = await new NixCli().ListFlakeImagesAsync(root, NixCli.CurrentSystem, cancellationToken);
                _flakeProblems.TryRemove(root, out _);
                return images.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => NixDiscovery.FlakeImage(root, i.Key, i.Value)).ToList();
            }
            catch (NixFetchException e)
            {
                _flakeProblems[root] = FetchProblem(flake, isFlake: true, e);
            }
            catch (Exception e) when (e is Slipway.Tooling.ToolException or global::System.Text.Json.JsonException)
            {
                _flakeProblems[root] = new ToolchainProblem(
                    $"{flake} could not be evaluated: {e.Message.Split('\n')[0]}",
                    $"nix --extra-experimental-features 'nix-command flakes' eval {root}#packages.{NixCli.CurrentSystem} --show-trace");
            }
        }
        // Without a usable nix, still list what the flake declares so the report can say why it is skipped.
        return NixDiscovery.ScanFlakeText(File.ReadAllText(flake)).Select(a => NixDiscovery.FlakeImage(root, a, null)).ToList();
    }

    /// <summary>Why a download nix needed failed, naming the flake input it belongs to (or the file that fetches it).</summary>
    private static ToolchainProblem FetchProblem(string file, bool isFlake, NixFetchException e)
    {
        if (!isFlake)
            return new ToolchainProblem(
                $"{file} fetches {e.Url}, which is unreachable (no network, or a private source without credentials)",
                $"run where {e.Url} is reachable, or put its store path in the store first (nix-prefetch-url {e.Url})");
        var inputs = FlakeInputs.Parse(File.ReadAllText(file));
        var input = FlakeInputs.Match(inputs, e.Url);
        var what = input is { } i ? $"flake input '{i.Key}' ({i.Value})" : $"a flake input ({e.Url})";
        return new ToolchainProblem(
            $"{what} of {file} cannot be fetched: {e.Url} is unreachable (no network, or a private repository without credentials)",
            $"run where {(input is { } j ? j.Value : e.Url)} is reachable, or pre-fetch the inputs into the store with: nix --extra-experimental-features 'nix-command flakes' flake archive {Path.GetDirectoryName(file)}");
    }

    /// <summary>
    /// A download that fails once the work has started (discovery ran before nix was installed, or listing the
    /// flake needed no input but the derivation does) is the same condition discovery reports: the machine cannot
    /// reach an input. It is classified here, so every run skips it alike (failed under --strict).
    /// </summary>
    private async Task<T> Classified<T>(ImageDefinition definition, Func<Task<T>> nixWork)
    {
        try
        {
            return await nixWork();
        }
        catch (NixFetchException e)
        {
            var problem = FetchProblem(definition.DefinitionFile, isFlake: definition.Attribute is not null, e);
            if (definition.Attribute is not null) _flakeProblems[definition.ContextDirectory] = problem;
            throw new ToolchainProblemException(problem, e);
        }
    }

    public ToolchainProblem? CheckToolchain(ImageDefinition definition)
    {
        if (!_nixInstalled())
            return new ToolchainProblem($"nix is not installed (needed to build {definition.DefinitionFile})", NixCli.InstallCommand);
        if (definition.Attribute is not null && _flakeProblems.TryGetValue(definition.ContextDirectory, out var problem))
            return problem;
        return null;
    }

    public async Task<IReadOnlyList<string>> ExtraInputsAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        // The derivation path changes exactly when anything the image is built from changes, sources and pins alike.
        var nix = Cli(context);
        var drv = await Classified(definition, () => definition.Attribute is { } attr
            ? nix.EvalFlakeRawAsync(definition.ContextDirectory, $"packages.{SystemOf(context)}.{attr}.drvPath", cancellationToken)
            : nix.InstantiateFileAsync(definition.DefinitionFile, cancellationToken));
        return [$"nix.drv={drv}"];
    }

    public async Task<OciImage> BuildAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        var nix = Cli(context);
        // The out-link is a GC root for as long as the work directory lives, i.e. until the push is done.
        var outLink = Path.Combine(context.WorkDirectory, "result");
        var outPath = await Classified(definition, () => definition.Attribute is { } attr
            ? nix.BuildFlakeAsync(definition.ContextDirectory, $"packages.{SystemOf(context)}.{attr}", outLink, cancellationToken)
            : nix.BuildFileAsync(definition.DefinitionFile, outLink, cancellationToken));
        context.Log($"built {outPath}");
        var cacheDir = Options.CacheDirectory ?? StoreLayers.DefaultCacheDirectory();
        return await NixOutput.ReadAsync(outPath, new StoreLayers(cacheDir, StoreLayers.DefaultOptions with { Compression = context.Compression }), context.Log, cancellationToken);
    }

    private NixCli Cli(BuildContext context) => new(sandbox: Options.Sandbox, log: context.Log);

    private string SystemOf(BuildContext context) => Options.System ?? NixCli.CurrentSystem;
}
