using Slipway.Builder.Contracts;
using Slipway.Builder.Executors.Kubernetes;
using Slipway.Builder.Model;
using Slipway.Builder.Queue;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Contracts;

/// <summary>The adapters' pure mappings: each contract's names onto BuildSpec, and each documented.</summary>
public sealed class ContractMappingTests
{
    private static BuildSpec FromEnv(Dictionary<string, string> env) =>
        BuildSpecEnvironment.FromEnvironment(BuilderContracts.Translate(n => env.GetValueOrDefault(n)));

    [Fact]
    public void Kubernetes_buildah_names_map_onto_the_spec_and_round_trip_through_the_job_environment()
    {
        var spec = FromEnv(new()
        {
            ["BUILD_JOB_ID"] = "b1", ["REPO_URL"] = "https://git.test/o/r.git", ["BRANCH"] = "dev", ["BUILD_CONTEXT"] = "svc",
            ["DOCKERFILE_PATH"] = "svc/Dockerfile", ["BUILD_ARGS"] = "--build-arg A=1 --build-arg=B='x y' --build-arg C=", ["VERSION"] = "12",
            ["TENANT"] = "t", ["SERVICE"] = "s",
        });
        Assert.Equal(("https://git.test/o/r.git", "dev", "svc", 12), (spec.RepoCloneUrl, spec.Ref, spec.BuildContext, spec.Version));
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x y", ["C"] = "" }, spec.BuildArgs);
        var again = BuildSpecEnvironment.FromEnvironment(BuildSpecEnvironment.ToEnvironment(spec).GetValueOrDefault);
        Assert.Equal(spec.BuildArgs, again.BuildArgs);
        Assert.Equal(12, again.Version);
    }

    [Theory]
    [InlineData("--build-arg", "'--build-arg' at the end needs K=V after it")]
    [InlineData("--build-arg 1A=x", "build argument name '1A' is not valid")]
    [InlineData("--build-arg A=\"open", "a \" quote is not closed")]
    [InlineData("; rm -rf /", "';' is not part of '--build-arg K=V'")]
    public void Bad_BUILD_ARGS_are_one_line_naming_the_word(string value, string message)
    {
        var e = Assert.Throws<StepFailure>(() => FromEnv(new() { ["BUILD_JOB_ID"] = "b", ["REPO_URL"] = "https://g.test/a.git", ["TENANT"] = "t", ["SERVICE"] = "s", ["BUILD_ARGS"] = value }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Both_names_set_to_different_values_is_refused()
    {
        var e = Assert.Throws<StepFailure>(() => FromEnv(new() { ["BUILD_JOB_ID"] = "b", ["REPO_URL"] = "https://g.test/a.git", ["REPO_CLONE_URL"] = "https://g.test/b.git", ["TENANT"] = "t", ["SERVICE"] = "s" }));
        Assert.Equal("REPO_CLONE_URL and REPO_URL are both set, to different values; set one of them", e.Message);
    }

    [Fact]
    public void A_callback_token_alone_is_enough_and_ghcr_credentials_are_the_push_credentials()
    {
        var spec = FromEnv(new()
        {
            ["BUILD_JOB_ID"] = "b", ["REPO_CLONE_URL"] = "https://x-access-token:ghs_inurl123@github.com/o/r.git", ["IMAGE_TAG"] = "ghcr.io/o/u--r:abc",
            ["CALLBACK_URL"] = "https://api.test/cb", ["CALLBACK_TOKEN"] = "tok-123", ["GHCR_USER"] = "u", ["GHCR_TOKEN"] = "ghcr-secret",
        });
        Assert.Equal(("u", "ghcr-secret", "tok-123", "ghs_inurl123"), (spec.RegistryUser, spec.RegistryPassword!.Reveal(), spec.CallbackToken!.Reveal(), spec.GitToken!.Reveal()));
        Assert.DoesNotContain("ghs_inurl123", spec.RepoCloneUrl);
        Assert.Null(spec.CallbackSecret);
    }

    [Fact]
    public void Queue_builder_requests_become_slipway_requests_and_wrong_kinds_are_one_line()
    {
        var r = BuildRequest.Parse("""{"token":"t","userID":"User42","type":"repo","connector":"github","repo":"Octo-Org/My.App"}"""u8);
        var n = QueueBuilderContract.Normalize(r, "https://github.com", "msg-9");
        Assert.Equal(("msg-9", "https://github.com/Octo-Org/My.App.git", "user42", "my.app"), (n.Id, n.Repo, n.Tenant, n.Service));
        n.ToSpec(1, null, null); // valid for the worker as it is
        foreach (var (json, message) in new[]
        {
            ("""{"userID":"u","type":"gist","connector":"github","repo":"a/b"}""", "type 'gist' is not supported"),
            ("""{"userID":"u","type":"repo","connector":"gitlab","repo":"a/b"}""", "connector 'gitlab' is not supported"),
            ("""{"userID":"u","type":"repo","connector":"github","repo":"a/../../etc"}""", "is not owner/name"),
            ("""{"userID":"u","type":"repo","connector":"github","repo":"--upload-pack=x/y"}""", "is not owner/name"),
        })
        {
            var e = Assert.Throws<StepFailure>(() => QueueBuilderContract.Normalize(BuildRequest.Parse(System.Text.Encoding.UTF8.GetBytes(json)), "https://github.com", null));
            Assert.Contains(message, e.Message);
        }
    }

    [Fact]
    public void Request_fields_buildArgs_buildContext_and_version_reach_the_spec_and_bad_ones_are_one_line()
    {
        var spec = BuildRequest.Parse("""{"id":"r1","repo":"https://g.test/a.git","tenant":"t","service":"s","buildArgs":{"GREETING":"hi there","EMPTY":""},"buildContext":"app","version":3}"""u8)
            .ToSpec(1, null, null);
        Assert.Equal(new Dictionary<string, string> { ["GREETING"] = "hi there", ["EMPTY"] = "" }, spec.BuildArgs);
        Assert.Equal(("app", 3), (spec.BuildContext, spec.Version));
        foreach (var (json, message) in new[]
        {
            ("""{"id":"r","repo":"https://g.test/a.git","tenant":"t","service":"s","buildArgs":{"A B":"x"}}""", "build argument name 'A B' is not valid"),
            ("""{"id":"r","repo":"https://g.test/a.git","tenant":"t","service":"s","buildArgs":{"A":"x\u0000y"}}""", "has a NUL or line break"),
            ("""{"id":"r","repo":"https://g.test/a.git","tenant":"t","service":"s","version":0}""", "version 0 is not a version number"),
            ("""{"id":"r","repo":"https://g.test/a.git","tenant":"t","service":"s","buildContext":"../up"}""", "buildContext '../up' must be a relative path inside the repository"),
        })
        {
            var e = Assert.Throws<StepFailure>(() => BuildRequest.Parse(System.Text.Encoding.UTF8.GetBytes(json)).ToSpec(1, null, null));
            Assert.Contains(message, e.Message);
        }
    }

    [Fact]
    public void The_job_takes_the_github_credentials_fallback_only_without_a_token_of_its_own_and_names_insecure_registries()
    {
        var options = new KubernetesExecutorOptions { Image = "b:1", GitHubCredentialsSecret = "github-credentials", RegistryConfigSecret = "registry-credentials", InsecureRegistries = "registry.builds.svc:5000" };
        var spec = new BuildSpec { BuildId = "b", RepoCloneUrl = "https://g.test/a.git", Tenant = "t", Service = "s" };
        var env = BuildJobManifests.Create(spec, options).Job.Spec.Template.Spec.Containers[0].Env;
        var gh = Assert.Single(env, e => e.Name == "GITHUB_TOKEN");
        Assert.Equal(("github-credentials", "token", true), (gh.ValueFrom.SecretKeyRef.Name, gh.ValueFrom.SecretKeyRef.Key, gh.ValueFrom.SecretKeyRef.Optional));
        Assert.Equal("registry.builds.svc:5000", Assert.Single(env, e => e.Name == "BUILDER_INSECURE_REGISTRIES").Value);
        var withToken = BuildJobManifests.Create(spec with { GitToken = new Secret("ghs_own0123456789") }, options).Job.Spec.Template.Spec.Containers[0].Env;
        // Its own token comes as a file of the per-build Secret (GITHUB_TOKEN_FILE); the fallback is not referenced.
        Assert.DoesNotContain(withToken, e => e.Name == "GITHUB_TOKEN");
        Assert.Single(withToken, e => e.Name == "GITHUB_TOKEN_FILE");
    }

    [Fact]
    public void Every_contract_field_has_a_row_in_the_doc()
    {
        var doc = File.ReadAllText(Path.Combine(Slipway.Testing.HostTools.RepoRoot, "docs", "builder-contracts.md"));
        foreach (var contract in BuilderContracts.All)
        {
            Assert.Contains("## " + contract.Name, doc, StringComparison.OrdinalIgnoreCase);
            foreach (var field in contract.Fields) Assert.Contains($"| `{field.Name}` |", doc);
        }
    }
}
