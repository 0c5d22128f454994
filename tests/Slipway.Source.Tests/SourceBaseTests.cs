using Slipway.Images.BaseImages;
using Slipway.Source.Tests.Support;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary>The source engine's bases build from Debian packages and carry their toolchain.</summary>
public sealed class SourceBaseTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    [Theory]
    [InlineData("node", "node --version", "v18.")]
    [InlineData("node-slim", "node --version", "v18.")]
    [InlineData("python", "python3 --version", "Python 3.11")]
    [InlineData("python-slim", "python3 --version", "Python 3.11")]
    [InlineData("golang", "go version", "go version go1.19")]
    public async Task A_source_base_builds_and_has_its_toolchain(string name, string command, string expected)
    {
        var catalog = SourceBases.Catalog(fixture.Options.BaseDirectory);
        var result = await new BaseImageBuilder(catalog).BuildAllAsync([name], new BaseImageBuildOptions { Log = output.WriteLine }, default);
        var image = Slipway.Oci.Layout.OciLayout.Open(result[0].LayoutPath).ReadImage(BaseImageCatalog.Ref);
        // stderr joins stdout: a version printed to either counts, and an empty answer shows what the shell said.
        var printed = (await fixture.RunAsync(image, ["sh", "-c", command + " 2>&1; echo \"exit $?\""])).Trim();
        output.WriteLine(printed);
        Assert.StartsWith(expected, printed);
        Assert.EndsWith("exit 0", printed);
    }
}
