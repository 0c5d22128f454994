using Slipway.Engine.Parameters;
using Slipway.Testing;

namespace Slipway.Engine.Tests;

/// <summary>The run's parameter half in-process: arguments, parameters files and profiles, members set.</summary>
public class ParameterServiceTests
{
    private interface IPublishing : ISlipwayBuild
    {
        [Parameter("Transfers at once")] int Jobs => TryGetValue(() => Jobs, 4);
    }

    private sealed class SampleBuild : SlipwayBuild, IPublishing
    {
        [Parameter("Where to push")] public readonly string? Registry = null;
        [Parameter] public readonly string[] Images = [];
        public int ComponentJobs => ((IPublishing)this).Jobs;
    }

    private static (ParameterService Service, SampleBuild Build) Read(TempDir dir, params string[] args)
    {
        var service = new ParameterService(args);
        var build = new SampleBuild { RootDirectory = new AbsolutePath(dir.Path) };
        service.ReadFiles([dir.Combine(".nuke")]);
        return (service, build);
    }

    [Fact]
    public void Arguments_files_and_profiles_set_the_class_and_component_members()
    {
        using var dir = new TempDir("param-service");
        dir.Write(".nuke/parameters.json", """{"Registry":"json","Jobs":2,"Target":["Push"],"Verbosity":"quiet"}""");
        dir.Write(".nuke/parameters.ci.json", """{"Registry":"ci"}""");

        var (service, build) = Read(dir, "--profile", "ci", "--images", "a,b", "--continue", "Publish");
        var (parameters, errors) = service.Resolve(build, new Dictionary<string, string?>());

        Assert.Empty(errors);
        Assert.Equal("ci", build.Registry);
        Assert.Equal(["a", "b"], build.Images);
        Assert.Equal(2, build.ComponentJobs);
        Assert.Equal(".nuke/parameters.ci.json", parameters.Single(p => p.Info.Name == "Registry").Source);
        Assert.Equal(Verbosity.Quiet, service.Verbosity);
        // --continue takes no value: the word after it is a target.
        Assert.Equal(["Publish"], service.Positionals);
        Assert.Equal(["Publish"], service.RequestedTargets());

        // Without targets on the command line, the files' Target.
        var (plain, _) = Read(dir);
        Assert.Equal(["Push"], plain.RequestedTargets());
    }

    [Fact]
    public void Unknown_options_and_profiles_fail_listing_the_valid_names_and_bad_values_wait_for_help()
    {
        using var dir = new TempDir("param-service");
        dir.Write(".nuke/parameters.json", "{}");
        dir.Write(".nuke/parameters.release.json", "{}");

        var (service, build) = Read(dir, "--regsitry", "x");
        var unknown = Assert.Throws<ParameterException>(() => service.Resolve(build, new Dictionary<string, string?>()));
        Assert.Contains("Unknown option --regsitry. Available parameters are: --images, --jobs, --registry;", unknown.Message);

        var profile = Assert.Throws<ParameterException>(() => Read(dir, "--profile", "ci"));
        Assert.Equal("--profile ci: .nuke/parameters.ci.json does not exist. Available profiles are: release", profile.Message);

        var (bad, badBuild) = Read(dir, "--jobs", "many");
        var (_, errors) = bad.Resolve(badBuild, new Dictionary<string, string?>());
        Assert.Contains("'many' is not a whole number for Jobs", Assert.Single(errors).Message);
        Assert.Equal(4, badBuild.ComponentJobs);

        Assert.Throws<ParameterException>(() => new ParameterService(["--parallel", "0"]).Parallelism());
    }
}
