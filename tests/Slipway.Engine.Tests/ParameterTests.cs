using System.Text.Json.Nodes;
using Slipway.Engine.Parameters;
using Slipway.Tooling;

namespace Slipway.Engine.Tests;

public class ParameterTests
{
    private enum Engine { Auto, Buildx, Docker, Buildah }

    private static ParameterSources Sources(Dictionary<string, IReadOnlyList<string>>? cli = null, Dictionary<string, string?>? env = null,
        string? json = null, string? profile = null) =>
        new(cli ?? new(), env ?? new(), json is null ? null : (JsonObject)JsonNode.Parse(json)!, profile is null ? null : (JsonObject)JsonNode.Parse(profile)!, "ci", "/repo");

    [Fact]
    public void Command_line_beats_environment_beats_profile_beats_parameters_json()
    {
        var cli = new Dictionary<string, IReadOnlyList<string>> { ["registry"] = ["cli"] };
        var env = new Dictionary<string, string?> { ["Registry"] = "env" };
        const string json = """{"Registry":"json"}""", profile = """{"Registry":"profile"}""";
        Assert.Equal(("cli", "command line"), ParameterResolver.Resolve("Registry", typeof(string), Sources(cli, env, json, profile)));
        Assert.Equal(("env", "environment (Registry)"), ParameterResolver.Resolve("Registry", typeof(string), Sources(null, env, json, profile)));
        Assert.Equal(("profile", ".nuke/parameters.ci.json"), ParameterResolver.Resolve("Registry", typeof(string), Sources(null, null, json, profile)));
        Assert.Equal(("json", ".nuke/parameters.json"), ParameterResolver.Resolve("Registry", typeof(string), Sources(null, null, json, """{"Other":1}""")));
        Assert.Equal((null, "default"), ParameterResolver.Resolve("Registry", typeof(string), Sources()));
    }

    [Fact]
    public void An_empty_environment_variable_counts_as_unset()
    {
        Assert.Equal(("json", ".nuke/parameters.json"),
            ParameterResolver.Resolve("Jobs", typeof(string), Sources(env: new() { ["Jobs"] = "", ["JOBS"] = "" }, json: """{"jobs":"json"}""")));
    }

    [Fact]
    public void Json_values_of_every_type_and_loose_key_names()
    {
        var s = Sources(json: """{"strict": true, "JOBS": 3, "dockerfile-engine": "Buildx", "Images": ["a", "b"], "Tags": "x,y", "Output": "o"}""");
        Assert.Equal(true, ParameterResolver.Resolve("Strict", typeof(bool), s).Value);
        Assert.Equal(3, ParameterResolver.Resolve("Jobs", typeof(int?), s).Value);
        Assert.Equal(Engine.Buildx, ParameterResolver.Resolve("DockerfileEngine", typeof(Engine?), s).Value);
        Assert.Equal(["a", "b"], (string[])ParameterResolver.Resolve("Images", typeof(string[]), s).Value!);
        Assert.Equal(["x", "y"], (string[])ParameterResolver.Resolve("Tags", typeof(string[]), s).Value!);
        Assert.Equal("/repo/o", ((AbsolutePath)ParameterResolver.Resolve("Output", typeof(AbsolutePath), s).Value!).Path);
        var e = Assert.Throws<ParameterException>(() => ParameterResolver.Resolve("Jobs", typeof(int), Sources(json: """{"Jobs": [1, 2]}""")));
        Assert.Contains("parameters.json", e.Message);
    }

    [Fact]
    public void Arrays_from_the_environment_split_on_commas_and_spaces_and_enum_arrays_convert_each_item()
    {
        Assert.Equal(["a", "b", "c"], (string[])ParameterResolver.Resolve("Images", typeof(string[]), Sources(env: new() { ["IMAGES"] = "a, b c" })).Value!);
        Assert.Equal([Engine.Docker, Engine.Buildah], (Engine[])ParameterResolver.Resolve("Engines", typeof(Engine[]), Sources(new() { ["engines"] = ["docker", "BUILDAH"] })).Value!);
        var e = Assert.Throws<ParameterException>(() => ParameterResolver.Resolve("Strict", typeof(bool), Sources(env: new() { ["STRICT"] = "maybe" })));
        Assert.Equal("environment variable STRICT: 'maybe' is not a boolean for Strict. Valid values are: true, false", e.Message);
    }

    [Fact]
    public void Environment_matches_exactly_then_ignoring_case_and_underscores()
    {
        var s = Sources(env: new() { ["REGISTRY_PASSWORD"] = "loose", ["OTHER"] = "x" });
        var (value, source) = ParameterResolver.Resolve("RegistryPassword", typeof(string), s);
        Assert.Equal("loose", value);
        Assert.Contains("REGISTRY_PASSWORD", source);
    }

    [Fact]
    public void Types_bools_ints_enums_arrays_and_paths()
    {
        var s = Sources(new()
        {
            ["strict"] = [], ["jobs"] = ["8"], ["dockerfile-engine"] = ["buildah"], ["images"] = ["a,b", "c"], ["output"] = ["out/x"],
        });
        Assert.Equal(true, ParameterResolver.Resolve("Strict", typeof(bool), s).Value);
        Assert.Equal(8, ParameterResolver.Resolve("Jobs", typeof(int), s).Value);
        Assert.Equal(Engine.Buildah, ParameterResolver.Resolve("DockerfileEngine", typeof(Engine), s).Value);
        Assert.Equal(new[] { "a", "b", "c" }, (string[])ParameterResolver.Resolve("Images", typeof(string[]), s).Value!);
        Assert.Equal("/repo/out/x", ((AbsolutePath)ParameterResolver.Resolve("Output", typeof(AbsolutePath), s).Value!).Path);
        Assert.Equal(new[] { "x", "y" }, (string[])ParameterResolver.Resolve("Images", typeof(string[]), Sources(env: new() { ["Images"] = "x,y" })).Value!);
    }

    [Fact]
    public void Bad_values_name_the_parameter_and_the_valid_choices()
    {
        var e = Assert.Throws<ParameterException>(() => ParameterResolver.Resolve("DockerfileEngine", typeof(Engine), Sources(new() { ["dockerfile-engine"] = ["podman"] })));
        Assert.Contains("'podman'", e.Message);
        Assert.Contains("auto, buildx, docker, buildah", e.Message);
        var i = Assert.Throws<ParameterException>(() => ParameterResolver.Resolve("Jobs", typeof(int), Sources(new() { ["jobs"] = ["many"] })));
        Assert.Contains("--jobs", i.Message);
    }

    [Fact]
    public void Kebab_case_names()
    {
        Assert.Equal("registry-password", ParameterResolver.ToKebab("RegistryPassword"));
        Assert.Equal("oci-layout", ParameterResolver.ToKebab("OCILayout"));
        Assert.Equal("no-install", ParameterResolver.ToKebab("NoInstall"));
    }

    [Fact]
    public void Secrets_are_redacted_from_every_line()
    {
        Secrets.Register("hunter2-very-secret");
        Assert.Equal("token=[REDACTED] and again [REDACTED]", Secrets.Redact("token=hunter2-very-secret and again hunter2-very-secret"));
    }

    [Fact]
    public void Invalid_parameters_json_names_file_and_line()
    {
        using var t = new Slipway.Testing.TempDir();
        var f = t.Write("parameters.json", "{\n  \"Org\": \"x\",\n  oops\n}");
        var e = Assert.Throws<ParameterException>(() => ParameterResolver.ReadJson(f));
        Assert.Contains("parameters.json", e.Message);
        Assert.Contains("line 3", e.Message);
    }
}
