using Slipway.Images.BaseImages;
using Slipway.Images.Discovery;
using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>
/// Dockerfile images: <c>containers/&lt;name&gt;/Dockerfile</c> (image name = directory name) and
/// <c>app/Dockerfile</c> (image <c>app</c>), each with an optional <c>image.yml</c>. The version comes from
/// <c>ARG CONTAINER_APP_VERSION=X.Y.Z</c>. Builds run on the Docker engine or buildah (auto: first usable in that
/// order), or Buildx when asked for; FROM images named in the base image map build from local bases instead of a registry.
/// </summary>
public sealed class DockerfileMethod : IImageMethod
{
    private readonly IReadOnlyDictionary<string, IDockerfileEngine> _engines;

    public DockerfileMethod(DockerfileMethodOptions? options = null, IEnumerable<IDockerfileEngine>? engines = null)
    {
        Options = options ?? new DockerfileMethodOptions();
        _engines = (engines ?? [new BuildxEngine(), new DockerEngine(), new BuildahEngine()]).ToDictionary(e => e.Name);
        DockerfileEngineSelector.Select(Options.Engine, new Dictionary<string, ToolchainProblem?>()); // validates the name early
        if (Options.Sandbox.Enabled && Options.Engine != "buildah")
            throw new ArgumentException($"the build step sandbox runs RUN steps with buildah only; use the buildah engine, not '{Options.Engine}'");
    }

    /// <param name="engine">auto, buildx, docker or buildah (<c>--dockerfile-engine</c>).</param>
    public DockerfileMethod(string engine) : this(new DockerfileMethodOptions { Engine = engine }) { }

    public DockerfileMethodOptions Options { get; }

    public string Name => "dockerfile";

    public Task<IReadOnlyList<ImageDefinition>> DiscoverAsync(string root, CancellationToken cancellationToken) =>
        Task.FromResult(Discover(root));

    /// <summary>The file-system walk behind <see cref="DiscoverAsync"/>: no tool runs, so it is synchronous.</summary>
    public IReadOnlyList<ImageDefinition> Discover(string root)
    {
        root = Path.GetFullPath(root);
        var found = new List<ImageDefinition>();
        var containers = Path.Combine(root, "containers");
        if (Directory.Exists(containers))
            foreach (var dir in Directory.GetDirectories(containers).Order(StringComparer.Ordinal))
            {
                var dockerfile = Path.Combine(dir, "Dockerfile");
                if (File.Exists(dockerfile) && !BuiltFromSource(dir)) found.Add(Define(root, dir, dockerfile, Path.GetFileName(dir)));
            }
        var app = Path.Combine(root, "app", "Dockerfile");
        if (File.Exists(app) && !BuiltFromSource(Path.GetDirectoryName(app)!)) found.Add(Define(root, Path.GetDirectoryName(app)!, app, "app"));
        var clash = found.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new FormatException($"image name '{clash.Key}' is used by {string.Join(" and ", clash.Select(d => Rel(root, d.DefinitionFile)))}; set a different 'name:' in one image.yml");
        return found;
    }

    /// <summary>A directory whose image.yml says <c>source: true</c> belongs to the source method, Dockerfile or not.</summary>
    private static bool BuiltFromSource(string dir) => ImageSettings.LoadFrom(dir).Source;

    /// <summary>One definition from a Dockerfile and its settings; throws with file:line on bad input.</summary>
    public static ImageDefinition Define(string root, string contextDirectory, string dockerfile, string defaultName)
    {
        var relDir = Rel(root, contextDirectory);
        var settings = ImageSettings.LoadFrom(contextDirectory, relDir);
        var name = settings.Name ?? defaultName;
        if (ImageReference.ExplainInvalidRepository(name) is { } nameError)
            throw new FormatException($"{relDir}: the directory name gives image name {nameError}; rename the directory or set 'name:' in {relDir}/{ImageSettings.FileName}");
        var info = DockerfileParser.ParseFile(dockerfile, Rel(root, dockerfile), settings.BuildArgs);
        if (settings.Target is { } target && info.Stages.All(s => !string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase)))
        {
            var stages = info.Stages.Where(s => s.Name is not null).Select(s => s.Name!).ToList();
            throw new FormatException($"{Rel(root, settings.SourceFile!)}: target '{target}' is not a stage of {Rel(root, dockerfile)}. Available stages are: {(stages.Count > 0 ? string.Join(", ", stages) : "(none: name one with FROM ... AS <stage>)")}");
        }
        if (settings.Platforms.Count > 1)
            throw new FormatException($"{Rel(root, settings.SourceFile!)}: platforms lists {settings.Platforms.Count} platforms; the Dockerfile method builds one platform per image so far: keep one (e.g. [{Platform.Current}])");

        var ignoreFile = DockerIgnore.Locate(dockerfile, contextDirectory);
        var ignore = DockerIgnore.Load(ignoreFile);
        var inputs = new SortedSet<string>(StringComparer.Ordinal) { Path.GetFullPath(dockerfile) };
        if (ignoreFile is not null) inputs.Add(Path.GetFullPath(ignoreFile));
        if (settings.SourceFile is not null) inputs.Add(Path.GetFullPath(settings.SourceFile));
        foreach (var f in ignore.ContextFiles(contextDirectory)) inputs.Add(f);

        return new ImageDefinition
        {
            Name = name,
            Method = "dockerfile",
            DefinitionFile = Path.GetFullPath(dockerfile),
            ContextDirectory = Path.GetFullPath(contextDirectory),
            Version = info.Version,
            Attribute = settings.Target,
            BuildArgs = settings.BuildArgs,
            Platforms = settings.Platforms,
            Visibility = settings.Visibility,
            InputFiles = inputs.ToList(),
        };
    }

    public ToolchainProblem? CheckToolchain(ImageDefinition definition) => SelectEngine().Problem;

    /// <summary>The engine this method uses, or the problem explaining why none can.</summary>
    public (IDockerfileEngine? Engine, ToolchainProblem? Problem) SelectEngine() => SelectEngineWithReasons().Pick;

    /// <summary>The chosen engine and the line that says why (printed with each build).</summary>
    private ((IDockerfileEngine? Engine, ToolchainProblem? Problem) Pick, string Why) SelectEngineWithReasons()
    {
        var choice = Options.Engine;
        var probes = new Dictionary<string, ToolchainProblem?>();
        // Probe lazily in auto order: no need to ask the daemon when buildah is forced.
        var order = choice is null or "" or "auto" ? DockerfileEngineSelector.AutoOrder : [choice];
        foreach (var name in order)
        {
            if (!_engines.TryGetValue(name, out var e)) continue;
            probes[name] = e.Probe();
            if (probes[name] is null) break;
        }
        var (engine, problem) = DockerfileEngineSelector.Select(choice ?? "auto", probes);
        return ((engine is null ? null : _engines[engine], problem), engine is null ? "" : DockerfileEngineSelector.Describe(choice, engine, probes));
    }

    public Task<IReadOnlyList<string>> ExtraInputsAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        var (engine, problem) = SelectEngine();
        var inputs = new List<string> { $"engine={engine?.Flavor ?? "none: " + problem?.Reason}" };
        if (!string.IsNullOrEmpty(definition.Attribute)) inputs.Add($"target={definition.Attribute}");
        var info = DockerfileParser.ParseFile(definition.DefinitionFile, definition.DefinitionFile, definition.BuildArgs);
        var map = EffectiveBaseMap(context.Root);
        foreach (var from in info.BaseImages)
        {
            var mapped = BaseImageResolver.Resolve(from, map);
            if (mapped is not null)
            {
                var digest = OciLayout.Open(mapped.LayoutDirectory).Resolve(mapped.LayoutRef).Digest;
                inputs.Add($"base {BaseImageResolver.Normalize(from)}={digest} (local {mapped.Source})");
            }
            else
                // Without a registry round trip only a pinned digest names the content; a tag alone is recorded as is.
                inputs.Add($"base {BaseImageResolver.Normalize(from)}");
        }
        return Task.FromResult<IReadOnlyList<string>>(inputs);
    }

    public async Task<OciImage> BuildAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        var ((engine, problem), why) = SelectEngineWithReasons();
        if (engine is null) throw new InvalidOperationException($"image '{definition.Name}': {problem}");
        var info = DockerfileParser.ParseFile(definition.DefinitionFile, Rel(context.Root, definition.DefinitionFile), definition.BuildArgs);
        var map = EffectiveBaseMap(context.Root);
        var bases = info.BaseImages.Select(f => (From: f, Mapped: BaseImageResolver.Resolve(f, map))).ToList();
        if (bases.Any(b => b.Mapped is null))
        {
            var catalog = BaseImageCatalog.Load(context.Root);
            foreach (var (from, _) in bases.Where(b => b.Mapped is null))
            {
                var unbuilt = catalog.Bases.FirstOrDefault(b => b.Replaces.Any(r => BaseImageResolver.Normalize(r) == BaseImageResolver.Normalize(from)));
                context.Log(unbuilt is not null
                    ? $"base {from} comes from local base '{unbuilt.Name}', which is not built yet ({catalog.LayoutPath(unbuilt)}); {engine.Name} will try the registry. Run ./build.sh BaseImages first to build offline"
                    : $"base {from} is not mapped to a local base; {engine.Name} will pull it (see {BaseImageCatalog.RelativePath})");
            }
        }
        var output = Path.Combine(context.WorkDirectory, "dockerfile-" + definition.Name.Replace('/', '-'));
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        Directory.CreateDirectory(output);
        context.Log($"building {definition.Name} from {Rel(context.Root, definition.DefinitionFile)} with {why}");
        return await engine.BuildAsync(new DockerfileBuildRequest
        {
            Definition = definition,
            Dockerfile = info,
            MappedBases = bases.Where(b => b.Mapped is not null).Select(b => b.Mapped!).ToList(),
            AllBasesLocal = bases.All(b => b.Mapped is not null),
            OutputDirectory = output,
            Context = context,
            Options = Options,
        }, cancellationToken);
    }

    /// <summary>The configured map; when none was given, the repo's built bases (containers/base-images.yml).</summary>
    public IReadOnlyDictionary<string, string> EffectiveBaseMap(string root) =>
        Options.BaseImageMap.Count > 0 ? Options.BaseImageMap : BaseImageCatalog.Load(root).ToBaseImageMap();

    private static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
