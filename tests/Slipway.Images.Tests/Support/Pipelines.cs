using Slipway.Images.Methods;
using Slipway.Images.Pipeline;
using Slipway.Oci.Registry;

namespace Slipway.Images.Tests.Support;

public static class Pipelines
{
    /// <summary>A pipeline over <paramref name="repo"/> with a clean environment (no CI variables leak in).</summary>
    public static ImagePipeline Create(TestRepo repo, IImageMethod method, string? registry = null, ImageContext? context = null,
        IReadOnlyDictionary<string, string?>? environment = null, CountingTransport? transport = null, bool? strict = null,
        IReadOnlyList<string>? images = null, List<string>? log = null, string mainBranch = "main",
        ImageCompression compression = ImageCompression.Gzip) =>
        new(new ImagePipelineOptions
        {
            Root = repo.Root,
            Methods = [method],
            Registry = registry,
            Context = context,
            Strict = strict,
            Images = images,
            MainBranch = mainBranch,
            Compression = compression,
            Environment = environment ?? new Dictionary<string, string?>(),
            RegistryClient = transport is null ? null : new RegistryClientOptions { TransportFactory = () => transport },
            Log = (level, line) => { lock (log ?? []) log?.Add($"{level}: {line}"); },
        });
}
