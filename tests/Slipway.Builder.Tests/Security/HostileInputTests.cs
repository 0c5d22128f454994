using System.Text;
using Slipway.Builder.Git;
using Slipway.Builder.Model;
using Slipway.Builder.Queue;
using Slipway.Builder.Running;
using Slipway.Builder.Store;
using Slipway.Builder.Tests.Support;
using Slipway.Builder.Validation;
using Slipway.Oci.Registry;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests.Security;

/// <summary>
/// Hostile request fields (issue 17, "inputs validated before anything runs"): each attack is first shown to work
/// against raw git or the unchecked code path, then refused with one line naming the field and the fix.
/// </summary>
[Collection(BuilderCollection.Name)]
public sealed class HostileInputTests(BuilderServices services)
{
    private static readonly Dictionary<string, string?> NoUserConfig = new() { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null" };

    private static Task<ToolResult> RawGit(params string[] args) =>
        ToolRunner.RunAsync(new ToolInvocation(HostTools.Require("git"), args) { Environment = NoUserConfig });

    private static TestGitRepo SampleLocalRepo(string marker = "hello")
    {
        var repo = new TestGitRepo(prefix: "hostile-repo");
        repo.Write("Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n");
        repo.Write("hello.txt", marker + "\n");
        repo.Commit("c", TestGitRepo.DefaultDate);
        return repo;
    }

    private static Dictionary<string, string> RunEnv(string id, string repo, string work, params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["BUILD_JOB_ID"] = id, ["REPO_CLONE_URL"] = repo, ["REPO_REF"] = "main", ["TENANT"] = "acme", ["SERVICE"] = "hostile",
            ["BUILDER_WORK_DIR"] = work,
        };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    /// <summary>The refusal as the operator sees it: exactly one output line mentions the field, and it says the fix.</summary>
    private static string OneLine(BuilderProcess run, string mention)
    {
        var lines = run.Output.Where(l => l.Contains(mention, StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(lines.Count >= 1, $"no line mentions {mention}:\n{run.AllOutput}");
        return lines[0];
    }

    [Fact]
    public async Task A_ref_that_is_a_git_option_runs_a_command_in_raw_git_and_is_refused_before_git_runs()
    {
        using var repo = SampleLocalRepo();
        using var dir = new TempDir("hostile-ref");
        var pwned = dir.Combine("PWNED");
        var attack = $"--upload-pack=touch {pwned}; git-upload-pack";

        // The attack, as the cloner ran git before: the ref after the URL is parsed as an option and the command runs.
        Assert.True((await RawGit("init", "-q", dir.Combine("old"))).Succeeded);
        await RawGit("-C", dir.Combine("old"), "fetch", "-q", "--depth", "1", "--no-tags", repo.Root, attack);
        Assert.True(File.Exists(pwned), "the attack should run its command when git gets no '--'");
        File.Delete(pwned);

        // With "--" before the positional arguments, git reads the same value as a refspec: nothing runs.
        Assert.True((await RawGit("init", "-q", dir.Combine("new"))).Succeeded);
        Assert.False((await RawGit("-C", dir.Combine("new"), "fetch", "-q", "--depth", "1", "--no-tags", "--", repo.Root, attack)).Succeeded);
        Assert.False(File.Exists(pwned));

        // The cloner refuses it even when validation was skipped.
        var cloner = await Assert.ThrowsAsync<StepFailure>(() => new GitCloner().CloneAsync(repo.Root, attack, null, dir.Combine("c"), _ => { }, default));
        Assert.Contains("starts with '-'", cloner.Message);

        // builder run, local repositories allowed as in the finding: refused before git runs, one line naming the field.
        await using var run = BuilderProcess.Start(["builder", "run"], RunEnv("hostile-ref-1", repo.Root, dir.Combine("work"),
            ("REPO_REF", attack), ("BUILDER_ALLOW_LOCAL_REPOS", "1"), ("IMAGE_TAG", $"oci:{dir.Combine("out")}:latest")));
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromMinutes(2)));
        var line = OneLine(run, "ref '--upload-pack");
        Assert.Contains("starts with '-'", line);
        Assert.Contains("use a commit sha or a branch/tag name", line);
        Assert.False(File.Exists(pwned));
        Assert.DoesNotContain(run.Output, l => l.Contains("clone "));
    }

    [Fact]
    public async Task A_git_transport_helper_runs_a_command_in_raw_git_and_is_refused_by_validation_and_by_the_cloner()
    {
        using var dir = new TempDir("hostile-ext");
        var pwned = dir.Combine("PWNED");
        var url = $"ext::sh -c touch% {pwned}";
        // git's own default forbids ext:: (protocol.ext.allow=never); one line of config anywhere turns it on.
        await RawGit("-c", "protocol.ext.allow=always", "ls-remote", url);
        Assert.True(File.Exists(pwned), "ext:: should run its command in raw git once allowed");
        File.Delete(pwned);

        var spec = new BuildSpec { BuildId = "ext-1", RepoCloneUrl = url, Tenant = "acme", Service = "web" };
        Assert.Contains("names a git transport helper ('ext::')", BuildSpecValidation.Explain(spec, new InputPolicy { AllowLocalRepos = true }));
        // Behind validation, git itself is limited to https, http and file.
        await Assert.ThrowsAsync<StepFailure>(() => new GitCloner().CloneAsync(url, "main", null, dir.Combine("c"), _ => { }, default));
        Assert.False(File.Exists(pwned));
    }

    [Fact]
    public async Task A_repository_on_the_workers_disk_is_built_only_when_the_operator_allows_local_repositories()
    {
        using var repo = SampleLocalRepo("worker-private-7f3a");
        using var dir = new TempDir("hostile-local");

        // The attack: any git repository on the worker's disk becomes a tenant's image.
        await using (var allowed = BuilderProcess.Start(["builder", "run"], RunEnv("local-1", repo.Root, dir.Combine("work"),
            ("BUILDER_ALLOW_LOCAL_REPOS", "1"), ("IMAGE_TAG", $"oci:{dir.Combine("leak")}:latest"))))
        {
            Assert.True(await allowed.WaitAsync(TimeSpan.FromMinutes(5)) == 0, allowed.AllOutput);
            Assert.True(ImageFiles.Contains(dir.Combine("leak"), "worker-private-7f3a"));
        }

        // Refused without the operator's flag: a path, a file:// URL, ssh and unlisted plain http, one line each.
        foreach (var (url, mention, fix) in new[]
        {
            (repo.Root, $"repo '{repo.Root}' is a path on the worker's disk", "--allow-local-repos"),
            ("file://" + repo.Root, $"repo 'file://{repo.Root}' is a path on the worker's disk", "--allow-local-repos"),
            ("ssh://git@example.test/o/r.git", "uses the 'ssh' transport", "use https://"),
            (services.Git.UrlOf("none"), "uses plain http", "--allow-http-git-host 127.0.0.1:"),
        })
        {
            await using var run = BuilderProcess.Start(["builder", "run"], RunEnv("local-2", url, dir.Combine("work"), ("IMAGE_TAG", $"oci:{dir.Combine("refused")}:latest")));
            Assert.Equal(1, await run.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains(fix, OneLine(run, mention));
            Assert.False(Directory.Exists(dir.Combine("refused")));
        }
    }

    [Fact]
    public async Task A_NUL_byte_makes_PostgreSQL_refuse_the_write_and_is_refused_at_validation_instead()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = deadline.Token;
        await using var store = await BuildStore.OpenAsync(await services.Postgres.CreateDatabaseAsync(), ct);
        // The attack: the store cannot hold it (the worker used to requeue such a request forever).
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => store.EnsureAsync("nul-1", "acme", "web", "https://github.com/o/r.git", "main\0x", 3, ct));

        var json = """{"id":"nul-1","repo":"https://github.com/o/r.git","ref":"main\u0000x","tenant":"acme","service":"web"}""";
        var e = Assert.Throws<StepFailure>(() => BuildRequest.Parse(Encoding.UTF8.GetBytes(json)).ToSpec(1, null, null, new InputPolicy()));
        Assert.Equal("request nul-1: ref 'main\\u0000x' contains control character U+0000; remove it", e.Message);
    }

    [Fact]
    public void Every_field_refuses_hostile_values_with_one_line_naming_it()
    {
        const string registry = "registry.internal:5000";
        var policy = new InputPolicy
        {
            HttpGitHosts = ["git.internal"], TokenHosts = ["github.com", "git.internal"], CallbackUrlPrefixes = ["https://hooks.example.com/builds/"],
            ImageTag = ImageTagRule.UnderRegistry, Registry = registry,
        };
        var ok = new BuildSpec
        {
            BuildId = "b-1", RepoCloneUrl = "https://github.com/acme/web.git", Ref = "feature/x-1.2", Tenant = "acme", Service = "web",
            RootDirectory = "apps/web", DockerfilePath = "Dockerfile", BuildCommand = "npm ci\nnpm run build", CallbackUrl = "https://hooks.example.com/builds/42",
            CallbackSecret = new Secret("whsec_dGVzdA=="), GitToken = new Secret("ghs_hostile_validation_token"),
        };
        Assert.Null(BuildSpecValidation.Explain(ok, policy));
        Assert.Null(BuildSpecValidation.Explain(ok with { Ref = new string('a', 40) }, policy));
        Assert.Null(BuildSpecValidation.Explain(ok with { RepoCloneUrl = "http://git.internal/acme/web.git" }, policy));
        Assert.Null(BuildSpecValidation.Explain(ok with { ImageTag = $"docker://{registry}/shared/web:1", Tenant = null, Service = null }, policy));

        var cases = new (BuildSpec Spec, string Expected)[]
        {
            (ok with { Ref = "--upload-pack=touch /tmp/x" }, "ref '--upload-pack=touch /tmp/x' starts with '-'"),
            (ok with { Ref = "main:refs/heads/evil" }, "ref 'main:refs/heads/evil' contains ':'"),
            (ok with { Ref = "a..b" }, "ref 'a..b' contains '..'"),
            (ok with { Ref = "x/.hidden" }, "has a component starting with '.'"),
            (ok with { Ref = "main.lock" }, "ending with '.lock'"),
            (ok with { Ref = "$(id)" }, null!),
            (ok with { Ref = "a b" }, "ref 'a b' contains ' '"),
            (ok with { Ref = "@{-1}" }, "contains '@{'"),
            (ok with { Ref = new string('a', 300) }, "ref is 300 characters long; the limit is 255"),
            (ok with { RepoCloneUrl = "ext::sh -c id" }, "names a git transport helper ('ext::')"),
            (ok with { RepoCloneUrl = "-u" }, "repo '-u' starts with '-'"),
            (ok with { RepoCloneUrl = "/srv/git/secret.git" }, "is a path on the worker's disk"),
            (ok with { RepoCloneUrl = "file:///srv/git/secret.git" }, "is a path on the worker's disk"),
            (ok with { RepoCloneUrl = "git://github.com/acme/web.git" }, "uses the 'git' transport"),
            (ok with { RepoCloneUrl = "http://github.com/acme/web.git" }, "uses plain http"),
            (ok with { RepoCloneUrl = "https://evil.example/acme/web.git" }, "token: repo host 'evil.example' is not one the token is for"),
            (ok with { RepoCloneUrl = "https://evil.example/acme/web.git", GitToken = null, GitHubApp = new GitHubAppIdentity(1, "k.pem", 2) }, "token: repo host 'evil.example'"),
            (ok with { Tenant = "../victim" }, "tenant '../victim' is invalid"),
            (ok with { RootDirectory = "../../etc" }, "rootDirectory '../../etc' must be a relative path inside the repository"),
            (ok with { DockerfilePath = "/etc/passwd" }, "dockerfile '/etc/passwd' must be a relative path"),
            (ok with { BuildCommand = "make\0" }, "buildCommand 'make\\u0000' contains control character U+0000"),
            (ok with { StartCommand = "run\u001b[2J" }, "startCommand 'run\\u001B[2J' contains control character U+001B"),
            (ok with { BuildCommand = new string('x', 20_000) }, "buildCommand is 20000 characters long; the limit is 16384"),
            (ok with { GitToken = new Secret("ghs_with\nnewline") }, "token contains control character U+000A"),
            (ok with { ImageTag = "oci:/var/cache/slipway/source-bases/node-runtime:latest" }, "must be under the worker's registry"),
            (ok with { ImageTag = $"docker://{registry}/tenants/victim/web:1" }, "outside tenants/"),
            (ok with { ImageTag = $"{registry}/../tenants/victim/web:1" }, "outside tenants/"),
            (ok with { ImageTag = "docker://elsewhere.example/x:1" }, "must be under the worker's registry"),
            (ok with { CallbackUrl = "https://hooks.example.com.evil.net/builds/1" }, "is not under an allowed prefix"),
            (ok with { CallbackUrl = "http://169.254.169.254/latest/meta-data/" }, "is not under an allowed prefix"),
            (ok with { CallbackUrl = "https://hooks.example.com/other/1" }, "is not under an allowed prefix"),
            (ok with { CallbackUrl = "https://user:pw@hooks.example.com/builds/1" }, "callbackUrl contains credentials"),
            (ok with { CallbackUrl = "file:///etc/passwd" }, "is not an http(s) URL"),
        };
        var failures = new List<string>();
        foreach (var (spec, expected) in cases)
        {
            var got = BuildSpecValidation.Explain(spec, policy);
            if (expected is null) { if (got is not null) failures.Add($"expected acceptance, got: {got}"); continue; }
            if (got is null || !got.Contains(expected, StringComparison.Ordinal) || got.Contains('\n')) failures.Add($"expected '{expected}', got: {got ?? "(accepted)"}");
            if (got is not null && got.Contains("ghs_hostile_validation_token")) failures.Add($"the token leaked: {got}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Without --allow-image-tag the queue may not choose a destination at all.
        Assert.Contains("--allow-image-tag", BuildSpecValidation.Explain(ok with { ImageTag = $"docker://{registry}/shared/web:1" }, policy with { ImageTag = ImageTagRule.Refused }));
        // A message beyond the cap is refused before it is parsed.
        var huge = Encoding.UTF8.GetBytes($$"""{"id":"big","repo":"https://github.com/o/r","tenant":"a","service":"b","buildCommand":"{{new string('x', BuildRequest.MaxBytes)}}"}""");
        Assert.Contains($"the limit is {BuildRequest.MaxBytes}", Assert.Throws<StepFailure>(() => BuildRequest.Parse(huge)).Message);
    }

    [Fact]
    public void An_image_tag_from_the_queue_would_overwrite_another_tenants_image_and_is_refused()
    {
        var victim = $"docker://{services.Registry.Host}/tenants/victim/web:1";
        var spec = new BuildSpec { BuildId = "tag-1", RepoCloneUrl = "https://github.com/o/r.git", ImageTag = victim };
        // The attack: unchecked, the destination is the victim's repository in the worker's registry.
        using var session = new RegistrySession(new RegistryClientOptions());
        var (destination, tags, _) = ImageDestinations.Destination(spec, services.Registry.Host, _ => session);
        Assert.Equal(($"{services.Registry.Host}/tenants/victim/web", "1"), (destination.Name.Replace("docker://", ""), tags.Single()));
        // The queue refuses it by default, and under --allow-image-tag still refuses tenants/ and oci: targets.
        var queue = new InputPolicy { Registry = services.Registry.Host };
        Assert.Contains("is not allowed", BuildSpecValidation.Explain(spec, queue));
        Assert.Contains("outside tenants/", BuildSpecValidation.Explain(spec, queue with { ImageTag = ImageTagRule.UnderRegistry }));
        Assert.Contains("must be under the worker's registry",
            BuildSpecValidation.Explain(spec with { ImageTag = "oci:/var/cache/slipway/node-runtime:latest" }, queue with { ImageTag = ImageTagRule.UnderRegistry }));
    }
}
