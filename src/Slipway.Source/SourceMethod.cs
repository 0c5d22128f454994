using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Source;

/// <summary>
/// The source engine as an image method of the build: <c>containers/&lt;name&gt;/</c> or <c>app/</c> whose
/// <c>image.yml</c> says <c>source: true</c> is built by framework detection (<see cref="SourceImageBuilder"/>),
/// its Dockerfile (if any) ignored; the pipeline then publishes it digest-then-tags like every image.
/// </summary>
public sealed class SourceMethod(SourceBuilderOptions? options = null) : IImageMethod
{
    private readonly SourceBuilderOptions _options = options ?? new SourceBuilderOptions();

    public string Name => "source";

    public Task<IReadOnlyList<ImageDefinition>> DiscoverAsync(string root, CancellationToken cancellationToken) =>
        Task.FromResult(Discover(root));

    /// <summary>The file-system walk behind <see cref="DiscoverAsync"/>: no tool runs, so it is synchronous.</summary>
    public IReadOnlyList<ImageDefinition> Discover(string root)
    {
        root = Path.GetFullPath(root);
        var dirs = new List<(string Dir, string DefaultName)>();
        var containers = Path.Combine(root, "containers");
        if (Directory.Exists(containers))
            dirs.AddRange(Directory.GetDirectories(containers).Order(StringComparer.Ordinal).Select(d => (d, Path.GetFileName(d))));
        if (Directory.Exists(Path.Combine(root, "app"))) dirs.Add((Path.Combine(root, "app"), "app"));

        var found = new List<ImageDefinition>();
        foreach (var (dir, defaultName) in dirs)
        {
            var rel = SourceImageBuilder.Rel(root, dir);
            var settings = ImageSettings.LoadFrom(dir, rel);
            if (!settings.Source) continue;
            var name = settings.Name ?? defaultName;
            if (ImageReference.ExplainInvalidRepository(name) is { } error)
                throw new FormatException($"{rel}: the directory name gives image name {error}; rename the directory or set 'name:' in {rel}/{ImageSettings.FileName}");
            if (settings.Target is not null || settings.BuildArgs.Count > 0)
                throw new FormatException($"{rel}/{ImageSettings.FileName}: 'target' and 'buildArgs' are Dockerfile settings and a source build has no Dockerfile; remove them or drop 'source: true'");
            if (settings.Platforms.Count > 0 && settings.Platforms.Any(p => p != Platform.Current.ToString()))
                throw new FormatException($"{rel}/{ImageSettings.FileName}: a source build makes {Platform.Current} only; remove 'platforms' or keep [{Platform.Current}]");
            var ignore = DockerIgnore.Load(File.Exists(Path.Combine(dir, ".dockerignore")) ? Path.Combine(dir, ".dockerignore") : null);
            found.Add(new ImageDefinition
            {
                Name = name,
                Method = Name,
                DefinitionFile = settings.SourceFile!,
                ContextDirectory = dir,
                Visibility = settings.Visibility,
                InputFiles = ignore.ContextFiles(dir).Where(f => !f.Contains("/node_modules/") && !f.Contains("/.git/")).Order(StringComparer.Ordinal).ToList(),
            });
        }
        return found;
    }

    public ToolchainProblem? CheckToolchain(ImageDefinition definition) =>
        ToolRunner.Which("buildah") is null ? new ToolchainProblem("buildah is not installed (the source method's build stages run in buildah containers)", "apt-get install -y buildah") : null;

    /// <summary>The build plan: a change of detection (framework, versions, commands) rebuilds the image.</summary>
    public Task<IReadOnlyList<string>> ExtraInputsAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        var plan = SourceImageBuilder.Plan(Request(definition, context), _options);
        return Task.FromResult<IReadOnlyList<string>>(["source-plan:" + plan.ToJson()]);
    }

    public async Task<OciImage> BuildAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        var outcome = await new SourceImageBuilder(_options).BuildAsync(Request(definition, context), cancellationToken);
        context.Log($"{definition.Name}: {outcome.Method}");
        return outcome.Image;
    }

    private static SourceBuildRequest Request(ImageDefinition definition, BuildContext context) => new()
    {
        Directory = definition.ContextDirectory,
        IgnoreDockerfile = true,
        WorkDirectory = context.WorkDirectory,
        SourceDate = context.SourceDate,
        Log = context.Log,
    };
}
