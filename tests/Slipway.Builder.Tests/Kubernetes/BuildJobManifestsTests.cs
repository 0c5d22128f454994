using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Slipway.Builder.Cli.Commands;
using Slipway.Builder.Executors.Kubernetes;
using Slipway.Builder.Model;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Kubernetes;

public sealed class BuildJobManifestsTests
{
    private static readonly Regex Dns1123Label = new("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static readonly Regex LabelValue = new("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$");

    private static readonly KubernetesExecutorOptions Options = new() { Image = "registry.test/slipway/builder:1.0", WorkerId = "worker-a" };

    private static BuildSpec Spec(string id) => new() { BuildId = id, RepoCloneUrl = "https://git.test/a/b.git", Tenant = "Acme Corp", Service = "web", GitToken = new Secret("ghs_manifestTestToken0123") };

    [Theory]
    [InlineData("build-0001", "slipway-build-build-0001")]
    [InlineData("0f3c2a9e-1d4b-4c55-9a6e-2b7f3c1d8e90", "slipway-build-0f3c2a9e-1d4b-4c55-9a6e-2b7f3c1d8e90")]
    public void Clean_ids_name_the_job_as_they_are(string id, string expected) =>
        Assert.Equal(expected, BuildJobManifests.JobName(id));

    [Theory]
    [InlineData("Build_1")]
    [InlineData("build 1")]
    [InlineData("a-very-long-build-identifier-that-goes-on-and-on-well-past-sixty-three-characters")]
    [InlineData("---")]
    [InlineData("ÄÖÜ")]
    public void Other_ids_become_dns_labels_of_at_most_63_characters(string id)
    {
        var name = BuildJobManifests.JobName(id);
        Assert.Matches(Dns1123Label, name);
        Assert.StartsWith("slipway-build-", name);
        Assert.Matches(LabelValue, BuildJobManifests.LabelValue(id));
    }

    [Fact]
    public void Ids_that_clean_to_the_same_text_keep_distinct_names()
    {
        Assert.NotEqual(BuildJobManifests.JobName("Build_1"), BuildJobManifests.JobName("build-1"));
        Assert.NotEqual(BuildJobManifests.JobName("build 1"), BuildJobManifests.JobName("build-1"));
        var longA = new string('a', 80) + "1";
        var longB = new string('a', 80) + "2";
        Assert.NotEqual(BuildJobManifests.JobName(longA), BuildJobManifests.JobName(longB));
    }

    [Fact]
    public void Labels_are_valid_label_values_and_the_annotation_keeps_the_exact_id()
    {
        var job = BuildJobManifests.Create(Spec("Build #7"), Options).Job;
        Assert.All(job.Metadata.Labels.Values, v => Assert.Matches(LabelValue, v));
        Assert.StartsWith("Acme-Corp-", job.Metadata.Labels["slipway.dev/tenant"]);
        Assert.Equal("Build #7", job.Metadata.Annotations["slipway.dev/build-id"]);
    }

    [Fact]
    public void The_dind_variant_is_gone_and_asking_for_it_says_why()
    {
        var flag = Assert.Throws<UsageException>(() => BuilderJobCommand.Render(["--dry-run", "--dind"], []));
        Assert.StartsWith("builder job: --dind was removed: a privileged Docker daemon in a tenant's pod is the node's root", flag.Message);
        var key = Assert.Throws<ArgumentException>(() => KubernetesExecutorOptions.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Kubernetes:Image"] = "b:1", ["Kubernetes:Dind"] = "true" }).Build()));
        Assert.StartsWith("Kubernetes:Dind was removed", key.Message);
    }

    [Fact]
    public void The_pod_runs_under_runtime_default_seccomp_with_secrets_as_read_only_files_and_the_pod_as_the_sandbox()
    {
        var job = BuildJobManifests.Create(Spec("b1") with { CallbackSecret = new Secret("whsec_fileTest0123456789") }, Options).Job;
        var pod = job.Spec.Template.Spec;
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        var builder = Assert.Single(pod.Containers);
        Assert.Equal("RuntimeDefault", builder.SecurityContext.SeccompProfile.Type);
        Assert.All(builder.Env, e => Assert.Null(e.ValueFrom));
        var env = builder.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("/slipway/build-secrets/GITHUB_TOKEN", env["GITHUB_TOKEN_FILE"]);
        Assert.Equal("/slipway/build-secrets/CALLBACK_SECRET", env["CALLBACK_SECRET_FILE"]);
        Assert.False(env.ContainsKey("GITHUB_TOKEN"));
        Assert.Equal("off", env["BUILDER_STEP_SANDBOX"]);
        var mount = Assert.Single(builder.VolumeMounts, m => m.Name == "build-secrets");
        Assert.Equal(("/slipway/build-secrets", true), (mount.MountPath, mount.ReadOnlyProperty));
        var volume = Assert.Single(pod.Volumes, v => v.Name == "build-secrets");
        Assert.Equal(("slipway-build-b1-env", 0x100), (volume.Secret.SecretName, volume.Secret.DefaultMode));
        Assert.Null(pod.InitContainers);
    }

    [Fact]
    public void The_network_policy_denies_cluster_and_metadata_ranges_and_allows_dns_and_the_registry()
    {
        var policy = BuildNetworkPolicy.Create(Options with { RegistryNetwork = "10.0.4.7/32", RegistryPort = 5000 });
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "slipway-builder", ["app.kubernetes.io/component"] = "build" }, policy.Spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        Assert.Empty(policy.Spec.Ingress);
        var dns = policy.Spec.Egress[0];
        Assert.Equal("kube-dns", dns.To[0].PodSelector.MatchLabels["k8s-app"]);
        Assert.All(dns.Ports, p => Assert.Equal("53", p.Port.Value));
        var world = policy.Spec.Egress[1].To[0].IpBlock;
        Assert.Equal("0.0.0.0/0", world.Cidr);
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"], world.Except);
        Assert.Equal(["fc00::/7", "fe80::/10"], policy.Spec.Egress[1].To[1].IpBlock.Except);
        var registry = policy.Spec.Egress[2];
        Assert.Equal(("10.0.4.7/32", "5000"), (registry.To[0].IpBlock.Cidr, registry.Ports[0].Port.Value));
        var bad = Assert.Throws<ArgumentException>(() => (Options with { DeniedEgress = "10.0.0.0/8,lots" }).Validated());
        Assert.StartsWith("Kubernetes:DeniedEgress (environment SLIPWAY_KUBERNETES__DENIEDEGRESS): 'lots' is not an address range", bad.Message);
    }

    [Fact]
    public void The_printed_yaml_masks_secret_values_and_names_the_owner_to_be()
    {
        var yaml = BuilderJobCommand.Render(
            ["--dry-run", "--build-job-id", "b1", "--repo-clone-url", "https://git.test/a/b.git", "--tenant", "acme", "--service", "web", "--image", "builder:1"],
            [new("GITHUB_TOKEN", "ghs_printTestToken0123456789"), new("SLIPWAY_KUBERNETES__NAMESPACE", "ci-builds"), new("BUILDER_GIT_TOKEN_HOSTS", "git.test")]);
        Assert.DoesNotContain("ghs_printTestToken0123456789", yaml);
        Assert.Contains("kind: Job", yaml);
        Assert.Contains("\n---\n", yaml);
        Assert.Contains("namespace: ci-builds", yaml);
        Assert.Contains("GITHUB_TOKEN: <set at creation>", yaml);
        Assert.Contains("uid: <set at creation>", yaml);
    }

    [Fact]
    public void The_job_command_refuses_unknown_flags_and_a_missing_dry_run_with_the_choices()
    {
        var unknown = Assert.Throws<UsageException>(() => BuilderJobCommand.Render(["--dry-run", "--github-token", "x"], []));
        Assert.Contains("unknown option '--github-token'", unknown.Message);
        Assert.Contains("--repo-clone-url", unknown.Message);
        Assert.Contains("secrets only through the environment", unknown.Message);
        var noDryRun = Assert.Throws<UsageException>(() => BuilderJobCommand.Render(["--image", "x"], []));
        Assert.Contains("add --dry-run", noDryRun.Message);
        var noImage = Assert.Throws<UsageException>(() => BuilderJobCommand.Render(["--dry-run", "--build-job-id", "b", "--repo-clone-url", "https://git.test/a/b.git", "--image-tag", "oci:/x:y"], []));
        Assert.Contains("Kubernetes:Image (environment SLIPWAY_KUBERNETES__IMAGE) is not set", noImage.Message);
        var badBuild = Assert.Throws<UsageException>(() => BuilderJobCommand.Render(["--dry-run", "--build-job-id", "b", "--repo-clone-url", "u", "--image", "x"], []));
        Assert.Equal("builder job: repo 'u' is not a clone URL: use https://host/owner/repo(.git)", badBuild.Message);
    }

    [Fact]
    public void Options_bind_once_from_configuration_and_refuse_bad_values_by_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kubernetes:Namespace"] = "builds",
            ["Kubernetes:Image"] = "b:1",
            ["Kubernetes:Requests:Cpu"] = "250m",
            ["Kubernetes:ActiveDeadlineSeconds"] = "600",
        }).Build();
        var options = KubernetesExecutorOptions.Bind(configuration);
        Assert.Equal(("builds", "b:1", "250m", "1Gi", 600), (options.Namespace, options.Image, options.Requests.Cpu, options.Requests.Memory, options.ActiveDeadlineSeconds));

        var bad = Assert.Throws<ArgumentException>(() => (options with { Limits = new() { Memory = "lots" } }).Validated());
        Assert.Equal("Kubernetes:Limits:Memory='lots' is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 4Gi).", bad.Message);
        var ns = Assert.Throws<ArgumentException>(() => (options with { Namespace = "Builds_Prod" }).Validated());
        Assert.StartsWith("Kubernetes:Namespace (environment SLIPWAY_KUBERNETES__NAMESPACE)='Builds_Prod'", ns.Message);
    }

    [Fact]
    public void The_outcome_round_trips_and_stays_under_the_termination_message_limit()
    {
        // The wire format, verbatim: what builder images already deployed write and workers read.
        var built = new BuildResult.Succeeded("b", new PublishedImage("r.test/x", null, "sha256:abc"), "c0ffee");
        Assert.Equal("""{"result":"succeeded","repository":"r.test/x","digest":"sha256:abc","commit":"c0ffee"}""", BuildOutcome.Serialize(built));
        Assert.Equal(built, BuildOutcome.TryParse(BuildOutcome.Serialize(built), "b"));
        var tagged = built with { Image = new PublishedImage("r.test/x", "v1", "sha256:abc") };
        Assert.Equal("""{"result":"succeeded","repository":"r.test/x","digest":"sha256:abc","commit":"c0ffee","tags":["v1"]}""", BuildOutcome.Serialize(tagged));
        Assert.Equal(tagged, BuildOutcome.TryParse(BuildOutcome.Serialize(tagged), "b"));
        Assert.Equal("""{"result":"failed","step":"push","class":"permanent","message":"denied"}""",
            BuildOutcome.Serialize(new BuildResult.Failed("b", "push", FailureClass.Permanent, "denied", ["a log line"])));

        var text = BuildOutcome.Serialize(new BuildResult.Failed("b", "build", FailureClass.Transient, new string('x', 10_000), []));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(text) <= BuildOutcome.MaxBytes);
        var failed = Assert.IsType<BuildResult.Failed>(BuildOutcome.TryParse(text, "b"));
        Assert.Equal(("build", FailureClass.Transient), (failed.Step, failed.Class));
        Assert.Null(BuildOutcome.TryParse("npm ERR! something", "b"));
        Assert.Null(BuildOutcome.TryParse("""{"result":"succeeded"}""", "b"));

        using var dir = new Slipway.Testing.TempDir("slipway-outcome");
        var file = dir.Combine("termination-log");
        Assert.False(BuildOutcome.WriteToRequestedFile(built, _ => null));
        Assert.True(BuildOutcome.WriteToRequestedFile(built, name => name == "SLIPWAY_OUTCOME_FILE" ? file : null));
        Assert.Equal(built, BuildOutcome.TryParse(File.ReadAllText(file), "b"));
    }

    [Fact]
    public void Builder_run_coordinates_only_a_drop_in_build_a_worker_s_Job_runs_the_executor_alone()
    {
        // What the worker's coordinator hands its executor (no callbacks, no VERSION), as BuildJobManifests puts it in the Job.
        var job = new BuildSpec { BuildId = "b", RepoCloneUrl = "https://git.test/a/b.git", Tenant = "acme", Service = "web" };
        Assert.False(Slipway.Builder.Cli.Commands.BuilderRunCommand.NeedsCoordinator(job, hasStore: false));
        Assert.False(Slipway.Builder.Cli.Commands.BuilderRunCommand.NeedsCoordinator(job with { Tenant = null, Service = null, ImageTag = "r.test/x:1", Version = 3 }, hasStore: false));
        // A drop-in builder container: its callbacks, its store, or a VERSION to tag make builder run the coordinator.
        Assert.True(Slipway.Builder.Cli.Commands.BuilderRunCommand.NeedsCoordinator(job with { CallbackUrl = "https://api.test/cb" }, hasStore: false));
        Assert.True(Slipway.Builder.Cli.Commands.BuilderRunCommand.NeedsCoordinator(job, hasStore: true));
        Assert.True(Slipway.Builder.Cli.Commands.BuilderRunCommand.NeedsCoordinator(job with { Version = 7 }, hasStore: false));
    }
}
