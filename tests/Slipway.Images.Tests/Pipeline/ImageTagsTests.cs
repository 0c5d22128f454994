using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Images.Pipeline;

namespace Slipway.Images.Tests.Pipeline;

public class ImageTagsTests
{
    private static readonly GitInfo Git = new("0123456789abcdef0123456789abcdef01234567", DateTimeOffset.Parse("2024-05-06T07:08:09Z"), "main", null);

    private static ImageDefinition Def(string? version, string suffix = "") => new()
    {
        Name = "api", Method = "test", DefinitionFile = "/r/containers/api/Dockerfile", ContextDirectory = "/r/containers/api",
        Version = version, TagSuffix = suffix,
    };

    [Fact]
    public void Main_branch_gets_version_tag_then_latest()
    {
        Assert.Equal(["v1.2.3-0123456", "latest"], ImageTags.For(Def("1.2.3"), Git, "main"));
        Assert.Equal(["v1.2.3-0123456-nix", "latest-nix"], ImageTags.For(Def("1.2.3", "-nix"), Git, "main"));
    }

    [Fact]
    public void Other_branches_and_missing_version()
    {
        Assert.Equal(["v0.0.0-0123456"], ImageTags.For(Def(null), Git with { Branch = "feature/x" }, "main"));
        Assert.Equal(["v1.0.0-0123456"], ImageTags.For(Def("1.0.0"), Git with { Branch = null }, "main"));
        Assert.Equal(["v1.0.0-0123456", "latest"], ImageTags.For(Def("1.0.0"), Git with { Branch = "trunk" }, "trunk"));
    }
}
