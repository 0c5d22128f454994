using Slipway.Nix.Formats;
using Slipway.Nix.Layers;
using Slipway.Testing;

namespace Slipway.Nix.Tests;

/// <summary>The pure parts, with hand-made inputs: versions, flake text, layer grouping, the nix2container format.</summary>
public sealed class PlanningTests
{
    [Fact]
    public void Version_comes_from_the_default_nix_and_a_malformed_one_names_file_and_line()
    {
        using var dir = new TempDir("ver");
        var good = dir.Write("good/default.nix", "let\n  version = \"1.2.3\";\nin {}\n");
        Assert.Equal("1.2.3", NixDiscovery.ReadVersion(good));
        Assert.Null(NixDiscovery.ReadVersion(dir.Write("none/default.nix", "{ }\n")));
        var bad = dir.Write("bad/default.nix", "let\n  x = 1;\n  version = \"1.2\";\nin {}\n");
        var e = Assert.Throws<InvalidDataException>(() => NixDiscovery.ReadVersion(bad));
        Assert.Contains($"{bad}:3:", e.Message);
        Assert.Contains("version = \"1.2.3\"", e.Message);
    }

    [Fact]
    public void Containers_are_named_by_directory_and_tagged_with_a_nix_suffix()
    {
        using var dir = new TempDir("cont");
        dir.Write("containers/web/default.nix", "let version = \"0.1.0\"; in {}\n");
        dir.Write("containers/web/Dockerfile", "FROM scratch\n");
        dir.Write("containers/only-docker/Dockerfile", "FROM scratch\n");
        var d = Assert.Single(NixDiscovery.DiscoverContainers(dir.Path));
        Assert.Equal(("web", "-nix", "nix", (string?)null), (d.Name, d.TagSuffix, d.Method, d.Attribute));
        Assert.Contains(d.InputFiles, f => f.EndsWith("containers/web/default.nix"));

        dir.Write("containers/Bad_Name/default.nix", "{}");
        var e = Assert.Throws<InvalidDataException>(() => NixDiscovery.DiscoverContainers(dir.Path));
        Assert.Contains("Bad_Name", e.Message);
    }

    [Fact]
    public void Flake_text_yields_inputs_and_image_attributes()
    {
        var text = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "flake.nix"));
        var inputs = FlakeInputs.Parse(text);
        Assert.Equal("github:nlewo/nix2container", inputs["nix2container"]);
        Assert.Equal("github:zhaofengli/attic", inputs["attic"]);
        Assert.StartsWith("github:NixOS/nixpkgs", inputs["nixpkgs"]);
        Assert.Equal(["attic-server-image"], NixDiscovery.ScanFlakeText(text));

        Assert.Equal("attic", FlakeInputs.Match(inputs, "https://api.github.com/repos/zhaofengli/attic/commits/HEAD")?.Key);
        Assert.Equal("nixpkgs", FlakeInputs.Match(inputs, "https://github.com/NixOS/nixpkgs/archive/abc.tar.gz")?.Key);
        Assert.Null(FlakeInputs.Match(inputs, "https://example.org/x.tar.gz"));

        Assert.Equal("https://api.github.com/repos/NixOS/nixpkgs/commits/nixos-24.11", NixCli.FindFetchFailure([
            "warning: error: unable to download 'https://api.github.com/repos/NixOS/nixpkgs/commits/nixos-24.11': Couldn't resolve host name (6); retrying in 290 ms",
            "error: unable to download 'https://api.github.com/repos/NixOS/nixpkgs/commits/nixos-24.11': Couldn't resolve host name (6)",
            "(use '--show-trace' to show detailed location information)"]));
    }

    [Fact]
    public void Closure_layers_put_popular_paths_first_and_the_rest_in_the_last_layer()
    {
        static string P(string n) => $"/nix/store/{new string((char)('a' + n.Length % 20), 32)}-{n}";
        var glibc = P("glibc-2.39");
        var openssl = P("openssl-3");
        var app = P("app-1.0");
        var tool = P("tool");
        var data = P("data");
        var image = new ClosureImage
        {
            SlipwayImage = 1,
            MaxLayers = 3,
            Roots = P("roots"),
            Closure =
            [
                new ClosureNode { Path = app, References = [openssl, glibc, data] },
                new ClosureNode { Path = openssl, References = [glibc] },
                new ClosureNode { Path = tool, References = [glibc] },
                new ClosureNode { Path = glibc },
                new ClosureNode { Path = data },
                new ClosureNode { Path = P("roots"), References = [app, tool] },
            ],
        };
        var layers = image.PlanLayers();
        Assert.Equal(3, layers.Count);
        Assert.Equal([glibc], layers[0]);      // 4 paths reach glibc
        Assert.Equal([data], layers[1]);       // 2 reach data and openssl: the tie breaks by name, "data" < "openssl-3"
        Assert.Equal([openssl, app, tool], layers[2]);
        Assert.DoesNotContain(layers.SelectMany(l => l), p => p.EndsWith("-roots"));
        // Same inputs, same plan.
        Assert.Equal(layers.Select(l => string.Join(",", l)), image.PlanLayers().Select(l => string.Join(",", l)));
    }

    [Fact]
    public void Nix2container_json_as_nix2container_writes_it_is_read()
    {
        // Field names as nix2container's types.Image marshals them (image-config keys are OCI's, History capitalised).
        var json = """
            {"version":1,"image-config":{"Entrypoint":["/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-attic-server-0.1.0/bin/atticd","--mode","monolithic"],"ExposedPorts":{"8080/tcp":{}}},
             "layers":[{"digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":1024,
                        "diff_ids":"sha256:1111111111111111111111111111111111111111111111111111111111111111",
                        "paths":[{"path":"/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-attic-server-root","options":{"rewrite":{"regex":"^/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-attic-server-root","repl":""},"perms":[{"regex":".*","mode":"0755","uid":1000,"gid":1000,"uname":"a","gname":"a"}]}}],
                        "mediatype":"application/vnd.oci.image.layer.v1.tar","History":{"created_by":"nix2container"}}],
             "arch":"amd64","created":"1970-01-01T00:00:01Z"}
            """u8.ToArray();
        var image = Nix2ContainerImage.Parse(json, "image.json");
        Assert.Equal(["/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-attic-server-0.1.0/bin/atticd", "--mode", "monolithic"], image.ImageConfig!.Entrypoint);
        var spec = Assert.Single(image.Layers).Paths!.Single().ToSpec();
        Assert.Equal("", spec.RewriteReplacement);
        Assert.Equal(0b111_101_101, Assert.Single(spec.Perms).Mode);
        Assert.Equal(1000, spec.Perms[0].Uid);
        Assert.Equal("nix2container", image.Layers[0].History!.CreatedBy);

        var v2 = Assert.Throws<InvalidDataException>(() => Nix2ContainerImage.Parse("""{"version":2,"layers":[]}"""u8.ToArray(), "x.json"));
        Assert.Contains("version 2", v2.Message);
    }

    [Fact]
    public void Store_path_entries_apply_rewrites_and_perms_and_never_emit_hard_links()
    {
        using var dir = new TempDir("spe");
        dir.Write("pkg/bin/tool", "#!/bin/sh\n");
        File.CreateSymbolicLink(dir.Combine("pkg", "bin", "alias"), "tool");
        Slipway.Tooling.ToolRunner.RunCheckedAsync(new Slipway.Tooling.ToolInvocation("ln", [dir.Combine("pkg", "bin", "tool"), dir.Combine("pkg", "bin", "twin")])).GetAwaiter().GetResult();
        var pkg = dir.Combine("pkg");
        var entries = StorePathEntries.Enumerate([
            new StorePathSpec(pkg),
            new StorePathSpec(pkg) { RewriteRegex = "^" + System.Text.RegularExpressions.Regex.Escape(pkg), Perms = [new PermRule("/tool$", 0b111_000_000, 5, 6)] },
        ]).ToDictionary(e => e.Path);
        Assert.Contains(pkg.TrimStart('/') + "/bin/tool", entries.Keys);
        Assert.Equal(Slipway.Oci.Layers.LayerEntryKind.File, entries["bin/twin"].Kind);
        Assert.Equal(Slipway.Oci.Layers.LayerEntryKind.Symlink, entries["bin/alias"].Kind);
        Assert.Equal((0b111_000_000, 5, 6), (entries["bin/tool"].Mode!.Value, entries["bin/tool"].Uid, entries["bin/tool"].Gid));
        Assert.DoesNotContain("", entries.Keys);
    }
}
