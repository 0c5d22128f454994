using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Images.Methods.Dockerfile;
using Slipway.Testing;

namespace Slipway.Images.Tests.Dockerfile;

public sealed class DockerfileParsingTests
{
    [Theory]
    [InlineData("ARG CONTAINER_APP_VERSION=1.2.3", "1.2.3")]
    [InlineData("arg CONTAINER_APP_VERSION=\"0.10.0\"", "0.10.0")]
    [InlineData("ARG OTHER=1 CONTAINER_APP_VERSION=2.0.0", "2.0.0")]
    public void Reads_the_version(string line, string version) =>
        Assert.Equal(version, DockerfileParser.Parse($"FROM busybox\n{line}\n", "Dockerfile").Version);

    [Fact]
    public void A_stage_may_redeclare_the_global_version_without_a_value() =>
        Assert.Equal("0.3.0", DockerfileParser.Parse("ARG CONTAINER_APP_VERSION=0.3.0\nFROM a\nARG CONTAINER_APP_VERSION\nFROM b\nARG CONTAINER_APP_VERSION\n", "D").Version);

    [Fact]
    public void No_version_is_fine() => Assert.Null(DockerfileParser.Parse("FROM busybox\n", "Dockerfile").Version);

    [Theory]
    [InlineData("ARG CONTAINER_APP_VERSION=1.2", "containers/x/Dockerfile:3: ARG CONTAINER_APP_VERSION='1.2' is not a version X.Y.Z")]
    [InlineData("ARG CONTAINER_APP_VERSION=v1.2.3", "containers/x/Dockerfile:3: ARG CONTAINER_APP_VERSION='v1.2.3'")]
    [InlineData("ARG CONTAINER_APP_VERSION=01.2.3", "containers/x/Dockerfile:3:")]
    [InlineData("ARG CONTAINER_APP_VERSION", "containers/x/Dockerfile:3: ARG CONTAINER_APP_VERSION has no value")]
    public void Malformed_versions_name_file_and_line(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => DockerfileParser.Parse($"# syntax=docker/dockerfile:1\nFROM busybox\n{line}\n", "containers/x/Dockerfile"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Contradicting_versions_are_refused()
    {
        var e = Assert.Throws<FormatException>(() => DockerfileParser.Parse("ARG CONTAINER_APP_VERSION=1.0.0\nFROM a\nARG CONTAINER_APP_VERSION=1.0.1\n", "D"));
        Assert.Contains("D:3", e.Message);
        Assert.Contains("line 1", e.Message);
    }

    [Fact]
    public void Stages_bases_continuations_and_global_args()
    {
        var info = DockerfileParser.Parse("""
            ARG BASE=debian:bookworm-slim
            FROM ${BASE} AS build
            RUN echo a \
              # a comment inside a continuation
              && echo b
            FROM --platform=linux/amd64 build AS test
            FROM busybox
            COPY --from=build /x /x
            COPY --from=docker.io/library/alpine:3 /y /y
            FROM scratch
            """, "Dockerfile", new Dictionary<string, string> { ["BASE"] = "node:18" });
        Assert.Equal(["node:18", "build", "busybox", "scratch"], info.Stages.Select(s => s.From));
        Assert.Equal(["node:18", "busybox", "docker.io/library/alpine:3"], info.BaseImages);
        Assert.Equal(3, info.Instructions.First(i => i.Keyword == "RUN").Line);
        Assert.Equal(6, info.Stages[1].Line);
        Assert.Equal("linux/amd64", info.Stages[1].Platform);
    }

    [Fact]
    public void Step_numbers_and_buildkit_excerpts_map_to_lines()
    {
        var info = DockerfileParser.Parse("ARG V=1\nFROM a AS one\nRUN x\n\nRUN y\nFROM b\nCOPY --from=one /a /a\nRUN z\n", "Dockerfile");
        Assert.Equal(5, BuildFailure.FindLine(["[1/2] STEP 3/3: RUN y", "Error: exit 1"], info));
        Assert.Equal(8, BuildFailure.FindLine(["[2/2] STEP 3/3: RUN z"], info));
        Assert.Equal(8, BuildFailure.FindLine(["Step 6/6 : RUN z", "The command returned 1"], info));
        Assert.Equal(5, BuildFailure.FindLine(["#8 ERROR: process \"/bin/sh -c y\" did not complete", " --------------------", "   4 |", "   5 | >>> RUN y", " --------------------", "ERROR: failed to solve"], info));
        Assert.Equal(3, BuildFailure.FindLine(["Dockerfile:3", "ERROR: failed"], info));
        Assert.Null(BuildFailure.FindLine(["something else"], info));
        Assert.Equal(6, BuildFailure.FindLine(["Error: creating build container: initializing source docker://b:latest: pinging container registry registry-1.docker.io: dial tcp: lookup registry-1.docker.io: no such host"], info));
    }

    [Fact]
    public void Settings_are_read_and_bad_ones_name_file_line_and_the_valid_choices()
    {
        var s = ImageSettings.Parse("name: team/tool\ntarget: runtime\nbuildArgs:\n  A: '1'\nplatforms: [linux/amd64]\nvisibility: private\n", "image.yml");
        Assert.Equal("team/tool", s.Name);
        Assert.Equal("runtime", s.Target);
        Assert.Equal("1", s.BuildArgs["A"]);
        Assert.Equal(["linux/amd64"], s.Platforms);
        Assert.Equal("private", s.Visibility);

        void Fails(string yaml, params string[] parts)
        {
            var e = Assert.Throws<FormatException>(() => ImageSettings.Parse(yaml, "containers/x/image.yml"));
            foreach (var p in parts) Assert.Contains(p, e.Message);
        }
        Fails("target: a\nbuildargs: {}\n", "containers/x/image.yml:2", "unknown key 'buildargs'", "valid keys are: name, target, buildArgs, platforms, visibility, source");
        Fails("visibility: internal\n", "image.yml:1", "valid values are: public, private");
        Fails("name: Bad_Name\n", "image.yml:1", "not a valid repository name");
        Fails("platforms: [amd64]\n", "image.yml:1", "linux/amd64");
        Fails("buildArgs: [a, b]\n", "image.yml:1", "mapping");
        Fails("buildArgs:\n  1X: a\n", "image.yml:2", "build arg name '1X'");
        Fails("a: [\n", "image.yml:", "not valid YAML");
    }

    [Fact]
    public void Discovery_finds_containers_and_app_and_checks_the_target()
    {
        using var repo = new TempDir("dfdisc");
        repo.Write("containers/b-tool/Dockerfile", "FROM busybox\nARG CONTAINER_APP_VERSION=0.2.0\n");
        repo.Write("containers/a-svc/Dockerfile", "FROM busybox AS build\nFROM busybox AS runtime\n");
        repo.Write("containers/a-svc/image.yml", "target: runtime\nvisibility: private\n");
        repo.Write("containers/no-dockerfile/default.nix", "{}");
        repo.Write("app/Dockerfile", "FROM node:18 AS build\nARG CONTAINER_APP_VERSION=1.0.0\n");
        var found = new DockerfileMethod("buildah").Discover(repo.Path);
        Assert.Equal(["a-svc", "b-tool", "app"], found.Select(d => d.Name));
        Assert.Equal("private", found[0].Visibility);
        Assert.Equal("runtime", found[0].Attribute);
        Assert.Equal("0.2.0", found[1].Version);
        Assert.All(found, d => Assert.Equal("dockerfile", d.Method));

        repo.Write("containers/a-svc/image.yml", "target: runtme\n");
        var e = Assert.Throws<FormatException>(() => new DockerfileMethod("buildah").Discover(repo.Path));
        Assert.Contains("containers/a-svc/image.yml: target 'runtme' is not a stage of containers/a-svc/Dockerfile. Available stages are: build, runtime", e.Message);

        repo.Write("containers/a-svc/image.yml", "name: app\n");
        e = Assert.Throws<FormatException>(() => new DockerfileMethod("buildah").Discover(repo.Path));
        Assert.Contains("image name 'app' is used by containers/a-svc/Dockerfile and app/Dockerfile", e.Message);
    }

    [Fact]
    public void Engine_selection_follows_the_auto_order_and_explains_forced_engines()
    {
        var problem = new ToolchainProblem("the docker buildx plugin is not installed", "install docker-buildx-plugin");
        var probes = new Dictionary<string, ToolchainProblem?> { ["buildx"] = problem, ["docker"] = null, ["buildah"] = null };
        Assert.Equal("docker", DockerfileEngineSelector.Select("auto", probes).Engine);
        Assert.Equal("buildah", DockerfileEngineSelector.Select("buildah", probes).Engine);
        // Buildx is never picked by auto, even where it works (docs/release-flow.md says why); the choice is printed with why.
        Assert.Equal("docker", DockerfileEngineSelector.Select("auto", new Dictionary<string, ToolchainProblem?> { ["buildx"] = null, ["docker"] = null }).Engine);
        var noDaemon = new Dictionary<string, ToolchainProblem?> { ["docker"] = new("no Docker daemon answers at unix:///var/run/docker.sock", "x"), ["buildah"] = null };
        Assert.Equal("buildah (auto; passed over docker: no Docker daemon answers at unix:///var/run/docker.sock)", DockerfileEngineSelector.Describe("auto", "buildah", noDaemon));
        Assert.Equal("buildx (--dockerfile-engine buildx)", DockerfileEngineSelector.Describe("buildx", "buildx", probes));
        var forced = DockerfileEngineSelector.Select("buildx", probes);
        Assert.Null(forced.Engine);
        Assert.Contains("--dockerfile-engine buildx was requested but the docker buildx plugin is not installed", forced.Problem!.ToString());
        Assert.Contains("install it with: install docker-buildx-plugin", forced.Problem.ToString());
        var none = DockerfileEngineSelector.Select("auto", new Dictionary<string, ToolchainProblem?>
        {
            ["buildx"] = problem, ["docker"] = new("no daemon", "x"), ["buildah"] = new("buildah is not installed", "apt-get install -y buildah"),
        });
        Assert.Contains("no Dockerfile engine is usable", none.Problem!.Reason);
        Assert.Equal("apt-get install -y buildah", none.Problem.InstallCommand);
        var e = Assert.Throws<ArgumentException>(() => DockerfileEngineSelector.Select("kaniko", probes));
        Assert.Contains("Available engines are: auto, buildx, docker, buildah", e.Message);
    }
}
