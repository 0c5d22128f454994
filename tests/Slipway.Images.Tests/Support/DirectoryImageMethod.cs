using Slipway.Images.Methods;
using Slipway.Oci.Content;
using Slipway.Oci.Layers;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Images.Tests.Support;

/// <summary>
/// A small but real build method for pipeline tests: <c>containers/NAME/image.ini</c> (version, visibility,
/// suffix, tool) defines an image whose first layer is <c>containers/NAME/rootfs/</c>. An optional
/// <c>prepare.sh</c> runs with bash in the scratch WorkDirectory (its output is the build log; a non-zero exit
/// fails the build) and whatever it leaves in <c>out/</c> becomes a second layer, streamed from there at push time.
/// </summary>
public sealed class DirectoryImageMethod : IImageMethod
{
    public string Name => "directory";
    public int Builds;

    public Task<IReadOnlyList<ImageDefinition>> DiscoverAsync(string root, CancellationToken cancellationToken) => Task.FromResult(Discover(root));

    private IReadOnlyList<ImageDefinition> Discover(string root)
    {
        var containers = Path.Combine(root, "containers");
        if (!Directory.Exists(containers)) return [];
        var found = new List<ImageDefinition>();
        foreach (var dir in Directory.EnumerateDirectories(containers).Order(StringComparer.Ordinal))
        {
            var ini = Path.Combine(dir, "image.ini");
            if (!File.Exists(ini)) continue;
            var settings = File.ReadAllLines(ini).Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
            found.Add(new ImageDefinition
            {
                Name = Path.GetFileName(dir),
                Method = Name,
                DefinitionFile = ini,
                ContextDirectory = dir,
                Version = settings.GetValueOrDefault("version"),
                Visibility = settings.GetValueOrDefault("visibility") ?? "public",
                TagSuffix = settings.GetValueOrDefault("suffix") ?? "",
                Attribute = settings.GetValueOrDefault("tool"),
                InputFiles = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToList(),
            });
        }
        return found;
    }

    public ToolchainProblem? CheckToolchain(ImageDefinition definition) =>
        definition.Attribute is { } tool && ToolRunner.Which(tool) is null
            ? new ToolchainProblem($"'{tool}' is not on PATH", $"apt-get install -y {tool}")
            : null;

    public Task<IReadOnlyList<string>> ExtraInputsAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["directory-method v1"]);

    public async Task<OciImage> BuildAsync(ImageDefinition definition, BuildContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Builds);
        var options = new LayerOptions { Timestamp = context.SourceDate, NormalizeModes = true };
        var rootfs = Path.Combine(definition.ContextDirectory, "rootfs");
        var layers = new List<StreamedLayerBlob> { await StreamedLayerBlob.CreateAsync(() => LayerWriter.EntriesFromDirectory(rootfs), options, cancellationToken: cancellationToken) };
        var prepare = Path.Combine(definition.ContextDirectory, "prepare.sh");
        if (File.Exists(prepare))
        {
            // One pipe for both streams keeps the script's own line order (two pipes are read in whatever order
            // the OS hands them over, so a last stderr line could arrive before fifty stdout lines).
            await ToolRunner.RunCheckedAsync(new ToolInvocation("bash", ["-c", "exec 2>&1; exec bash \"$0\"", prepare]) { WorkingDirectory = context.WorkDirectory, OnLine = context.Log }, cancellationToken);
            var output = Path.Combine(context.WorkDirectory, "out");
            if (Directory.Exists(output))
                layers.Add(await StreamedLayerBlob.CreateAsync(() => LayerWriter.EntriesFromDirectory(output), options, cancellationToken: cancellationToken));
        }
        var config = new ImageConfig
        {
            Architecture = Platform.Current.Architecture,
            Os = "linux",
            Config = new ContainerConfig { Cmd = ["/bin/sh"], Labels = new Dictionary<string, string> { ["from.method"] = "directory" } },
            RootFs = new RootFs { DiffIds = layers.Select(l => l.DiffId).ToList() },
        };
        return OciImage.Create(config, layers);
    }
}
