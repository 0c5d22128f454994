using System.Diagnostics;
using k8s;
using k8s.Models;
using Slipway.Builder.Cli.Commands;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Kubernetes;

/// <summary>
/// kubernetes-models from the npm registry (the API's OpenAPI schemas compiled for ajv), pinned with the other npm
/// tools in tools/npm and installed with npm ci into the repository's .nuke/temp/npm-tools (PinnedNpmTools), run
/// with node (build/setup-packages.txt: nodejs, npm). 4.5.1 is the last that runs on node 20; 5.x needs node 22.
/// </summary>
public sealed class KubernetesModelsValidator
{
    private readonly string _dir;

    public KubernetesModelsValidator()
    {
        _dir = Path.Combine(PinnedNpmTools.Ensure(), "kubernetes-validate");
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "validate-manifests.mjs"), Path.Combine(_dir, "validate-manifests.mjs"), overwrite: true);
    }

    /// <summary>Exit code and one line per object ("valid batch/v1 Job name" or "invalid ...: why").</summary>
    public (int Code, string Output) Validate(IEnumerable<object> objects)
    {
        using var dir = new TempDir("slipway-k8s-schema");
        var files = objects.Select((o, i) => dir.Write($"{i}.json", KubernetesJson.Serialize(o))).ToList();
        return Run(HostTools.Require("node"), _dir, ["validate-manifests.mjs", .. files]);
    }

    private static (int, string) Run(string tool, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in 2 minutes");
        }
        process.WaitForExit(); // the redirected streams are at their end
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

public sealed class KubernetesSchemaTests(KubernetesModelsValidator validator) : IClassFixture<KubernetesModelsValidator>
{
    private static readonly string[] Build =
        ["--dry-run", "--build-job-id", "build-0001", "--repo-clone-url", "https://github.com/acme/web.git", "--repo-ref", "main",
         "--tenant", "acme", "--service", "web", "--image", "registry.test/slipway/builder:1.0", "--registry-config-secret", "registry-auth"];

    private static readonly KeyValuePair<string, string?>[] Environment =
        [new("GITHUB_TOKEN", "ghs_schemaTestToken0123456789"), new("CALLBACK_SECRET", "whsec_schemaTest0123456789"), new("CALLBACK_URL", "https://platform.test/cb")];

    /// <summary>What <c>slipway builder job --dry-run</c> prints, read back as objects.</summary>
    private static List<object> Printed(string[] args, KeyValuePair<string, string?>[] environment) =>
        KubernetesYaml.LoadAllFromString(BuilderJobCommand.Render(args, environment)).ToList();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_printed_job_secret_and_network_policy_are_valid_objects(bool registryNetwork)
    {
        var objects = Printed(registryNetwork ? [.. Build, "--registry-network", "10.0.4.7/32", "--registry-port", "5000"] : Build, Environment);
        Assert.Equal(["Job", "Secret", "NetworkPolicy"], objects.Select(o => ((IKubernetesObject)o).Kind));
        var (code, output) = validator.Validate(objects);
        Assert.True(code == 0, output);
        Assert.Equal(["valid batch/v1 Job slipway-build-build-0001", "valid v1 Secret slipway-build-build-0001-env", "valid networking.k8s.io/v1 NetworkPolicy slipway-build-egress"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_build_without_secrets_prints_only_a_valid_job()
    {
        var objects = Printed(["--dry-run", "--build-job-id", "Nightly-Build-7_for_ACME/web.with.a.very.long.id.that.needs.shortening.to.fit.a.label",
            "--repo-clone-url", "https://git.test/acme/web.git", "--image-tag", "docker://registry.test/acme/web:nightly", "--image", "builder:1"], []);
        var job = Assert.IsType<V1Job>(objects[0]);
        Assert.IsType<V1NetworkPolicy>(Assert.Single(objects.Skip(1)));
        Assert.True(job.Metadata.Name.Length <= 63);
        var (code, output) = validator.Validate(objects);
        Assert.True(code == 0, output);
    }

    /// <summary>The validator is live: it refuses what the API server would refuse.</summary>
    [Fact]
    public void The_validator_refuses_a_broken_job()
    {
        var job = Assert.IsType<V1Job>(Printed(Build, Environment)[0]);
        job.Spec.Template.Spec.Containers[0].Image = null;
        job.Spec.Template.Spec.Containers[0].Name = null;
        var (code, output) = validator.Validate([job]);
        Assert.Equal(1, code);
        Assert.StartsWith("invalid batch/v1 Job slipway-build-build-0001:", output);
        Assert.Contains("name", output);
    }
}
