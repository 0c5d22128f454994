using Slipway.Images.BaseImages;
using Slipway.Images.Methods;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Testing;

namespace Slipway.Images.Tests.Dockerfile;

/// <summary>
/// Shared by the real-build tests: a busybox base made from Debian's busybox-static (mapped from both
/// <c>busybox</c> and <c>debian:bookworm-slim</c>) and a private buildah storage root, removed at the end.
/// </summary>
public sealed class DockerfileFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset SourceDate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    public TempDir Dir { get; } = new("dfx");
    public IReadOnlyDictionary<string, string> BaseMap { get; private set; } = new Dictionary<string, string>();
    public string BuildahRoot => Dir.Combine("buildah");
    public BaseImageResult Busybox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var catalog = BaseImageCatalog.Parse("bases:\n  busybox:\n    kind: busybox\n    replaces: [busybox, 'debian:bookworm-slim']\n",
            BaseImageCatalog.RelativePath, Dir.Path) with { OutputDirectory = Dir.Combine("bases") };
        Busybox = await new BaseImageBuilder(catalog).BuildAsync(catalog.Bases[0], new BaseImageBuildOptions { SourceDate = SourceDate }, default);
        BaseMap = catalog.ToBaseImageMap();
    }

    /// <summary>The Dockerfile method on <paramref name="engine"/>, with this fixture's bases and buildah root.</summary>
    public DockerfileMethod Method(string engine = "buildah") =>
        new(new DockerfileMethodOptions { Engine = engine, BaseImageMap = BaseMap, BuildahRoot = BuildahRoot });

    public BuildContext Context(string root, string work, Action<string> log) => new()
    {
        Root = root,
        WorkDirectory = work,
        Log = log,
        SourceDate = SourceDate,
    };

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }
}
