using Slipway.Images.BaseImages;
using Slipway.Images.Methods;
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

    public BuildContext Context(string root, string work, Action<string> log, string engine = "buildah") => new()
    {
        Root = root,
        WorkDirectory = work,
        Log = log,
        DockerfileEngine = engine,
        BaseImageMap = BaseMap,
        SourceDate = SourceDate,
        Options = new Dictionary<string, string> { ["dockerfile.buildah-root"] = BuildahRoot },
    };

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }
}
