using Slipway.Images.BaseImages;
using Slipway.Source;

namespace Slipway.Builder.Cli.Commands;

/// <summary>
/// <c>slipway source-bases [NAME...]</c>: builds the source engine's bases that are missing (all, or the ones
/// named) and prints each with its digest, so a builder node or image can be warmed before its first build.
/// </summary>
public sealed class SourceBasesCommand : ICommand
{
    public string Name => "source-bases";
    public string Summary => "build the source engine's toolchain and runtime bases now (all, or the ones named)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(args, Name);
        var options = new SourceBuilderOptions();
        var catalog = SourceBases.Catalog(options.BaseDirectory);
        IReadOnlyList<BaseImageResult> results;
        try
        {
            results = await new BaseImageBuilder(catalog).BuildAllAsync(a.Positional, new BaseImageBuildOptions { Log = Console.Error.WriteLine }, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        foreach (var r in results)
            Console.Out.WriteLine($"{r.Name}\t{r.Digest}\t{(r.UpToDate ? "up to date" : $"built in {r.Duration.TotalSeconds:0.0} s")}\t{r.LayoutPath}");
        return 0;
    }
}
