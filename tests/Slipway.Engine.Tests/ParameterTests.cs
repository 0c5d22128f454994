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
    public void Command_line_beats_environment_beats_parameters_json_beats_profile()
    {
        var all = Sources(new() { ["registry"] = ["cli"] }, new() { ["Registry"] = "env" }, """{"Registry":"json"}""", """{"Registry":"profile"}""");
        Assert.Equal(("cli", "command line"), ((string?)ParameterResolver.Resolve("Registry", typeof(string), all).Value, ParameterResolver.Resolve("Registry", typeof(string), all).Source));
        Assert.Equal("env", ParameterResolver.Resolve("Registry", typeof(string), all with { CommandLine = new Dictionary<string, IReadOnlyList<string>>() }).Value);
        Assert.Equal("json", ParameterResolver.Resolve("Registry", typeof(string), Sources(json: """{"Registry":"json"}""", profile: """{"Registry":"p"}""")).Value);
        Assert.Equal("p", ParameterResolver.Resolve("Registry", typeof(string), Sources(profile: """{"Registry":"p"}""")).Value);
        Assert.Null(ParameterResolver.Resolve("Registry", typeof(string), Sources()).Value);
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
