using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Images.Pipeline;
using Slipway.Testing;

namespace Slipway.Images.Tests.Pipeline;

/// <summary>Destination resolution for every context, CI variable and --registry form (pure: no network).</summary>
public class RoutingTests : IDisposable
{
    private readonly TempDir _root = new("routing");

    public RoutingTests() => _root.Write(".nuke/parameters.json", """{ "$schema": "./build.schema.json", "Org": "Acme", "Group": "acme/platform" }""");

    public void Dispose() => _root.Dispose();

    private ImageDefinition Def(string name = "api", string visibility = "public") => new()
    {
        Name = name, Method = "test", DefinitionFile = _root.Combine("containers", name, "Dockerfile"), ContextDirectory = _root.Combine("containers", name), Visibility = visibility,
    };

    private ImageRouter Router(string? registry = null, ImageContext? context = null, Dictionary<string, string?>? env = null) =>
        new(_root.Path, registry, context, RepoParameters.Read(_root.Path), env ?? new Dictionary<string, string?>());

    [Fact]
    public void Default_is_the_embedded_oci_layout_per_image()
    {
        var router = Router();
        Assert.Equal(ImageContext.Local, router.Context);
        var route = router.Resolve(Def());
        Assert.Equal(_root.Combine("artifacts", "images", "api"), route.LayoutDirectory);
        Assert.Equal("oci:artifacts/images/api", route.Display);
    }

    [Fact]
    public void CI_variables_pick_upstream_or_overlay()
    {
        var gh = Router(env: new() { ["GITHUB_ACTIONS"] = "true" });
        Assert.Equal(ImageContext.Upstream, gh.Context);
        Assert.Equal("ghcr.io/acme/api", gh.Resolve(Def()).Repository!.Name);

        var gl = Router(env: new() { ["GITLAB_CI"] = "true" });
        Assert.Equal(ImageContext.Overlay, gl.Context);
        Assert.Equal("registry.gitlab.com/acme/platform/api", gl.Resolve(Def()).Repository!.Name);

        // An explicit --context beats CI variables, --registry beats both.
        Assert.Equal(ImageContext.Local, Router(context: ImageContext.Local, env: new() { ["GITHUB_ACTIONS"] = "true" }).Context);
        Assert.Equal("127.0.0.1:5000/team/api", Router("127.0.0.1:5000/team", env: new() { ["GITHUB_ACTIONS"] = "true" }).Resolve(Def()).Repository!.Name);
    }

    [Fact]
    public void Registry_forms()
    {
        Assert.Equal("127.0.0.1:5000/api", Router("127.0.0.1:5000").Resolve(Def()).Repository!.Name);
        Assert.Equal("registry.example.com/a/b/api", Router("docker://registry.example.com/a/b/").Resolve(Def()).Repository!.Name);
        var oci = Router("oci:out/images").Resolve(Def());
        Assert.Equal(_root.Combine("out", "images", "api"), oci.LayoutDirectory);
        Assert.Equal("/abs/dir/api", Router("oci:/abs/dir").Resolve(Def()).LayoutDirectory);

        var bad = Assert.Throws<ImageCatalogException>(() => Router("127.0.0.1:5000/Team").Resolve(Def()));
        Assert.Contains("'Team' is not a valid repository name", bad.Message);
        Assert.Throws<ImageCatalogException>(() => Router("not a host/x").Resolve(Def()));
    }

    [Fact]
    public void Private_images_never_go_to_the_public_upstream_registry()
    {
        var upstream = Router(context: ImageContext.Upstream);
        var route = upstream.Resolve(Def("secret", "private"));
        Assert.Null(route.Repository);
        Assert.Contains("private", route.SkipReason);
        Assert.Contains("ghcr.io/acme", route.SkipReason);
        Assert.NotNull(Router(context: ImageContext.Overlay).Resolve(Def("secret", "private")).Repository);
        Assert.NotNull(Router("127.0.0.1:5000/x").Resolve(Def("secret", "private")).Repository);
    }

    [Fact]
    public void Missing_org_names_the_parameters_file_and_the_fix()
    {
        using var empty = new TempDir("routing-empty");
        var router = new ImageRouter(empty.Path, null, ImageContext.Upstream, RepoParameters.Read(empty.Path), new Dictionary<string, string?>());
        var e = Assert.Throws<ImageCatalogException>(() => router.Resolve(Def()));
        Assert.Contains(".nuke/parameters.json sets no \"Org\"", e.Message);
        Assert.Contains("--registry", e.Message);
    }
}
