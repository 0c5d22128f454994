using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Testing;
using Slipway.Tooling;
using Xunit.Abstractions;

namespace Slipway.Release.Tests;

/// <summary>
/// The generated .github/workflows/images.yml executed in the shape of a GitHub-hosted runner: a user that is not
/// root and has password-less sudo (created here with useradd and a sudoers drop-in, removed after), a Docker
/// engine it may use (the hosted runner's user is in the docker group; here a private dockerd whose socket it may
/// open), the GITHUB_* variables and files a runner provides (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_SHA, GITHUB_REF,
/// GITHUB_EVENT_NAME, GITHUB_EVENT_PATH with the event's payload). Each job's `run:` steps are the real scripts,
/// read from the generated YAML with their `env:`/`if:` evaluated by GitHub's expression library
/// (Fixtures/github-steps.mjs), and run in order with bash as the runner would. `uses:` steps (checkout,
/// setup-dotnet, cache, the Nix installer) are actions this machine cannot fetch: their effect is here already
/// (the clone at the commit, the SDK) and the test says which were passed over. ghcr.io is not reachable: the
/// destination is a local docker-registry given as REGISTRY (a variable any repository can set).
/// </summary>
public sealed class GitHubRunnerTests(GitHubRunnerTests.Runner runner, ITestOutputHelper output) : IClassFixture<GitHubRunnerTests.Runner>
{
    public sealed class Runner : IAsyncLifetime
    {
        public string User { get; } = "slipway-gh-" + Guid.NewGuid().ToString("N")[..6];
        public string Sudoers => $"/etc/sudoers.d/{User}";
        public CiScratchRepo Scratch { get; private set; } = null!;
        public RegistryServer Registry { get; private set; } = null!;
        public DockerDaemon Docker { get; private set; } = null!;
        public string Tools { get; private set; } = "";
        public string Home => $"/home/{User}";
        private bool _created;

        public async Task InitializeAsync()
        {
            if (!HostUser.IsRoot) throw new SkipException("creating the runner's user needs root");
            HostTools.Require("sudo");
            Tools = PinnedNpmTools.Ensure();
            await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Require("useradd"), ["--create-home", "--shell", "/bin/bash", User]));
            _created = true;
            GiveSudo(true);
            Registry = await RegistryServer.StartAsync();
            Docker = await DockerDaemon.StartAsync();
            // The hosted runner's user may use the Docker engine (docker group); here: the private daemon's socket.
            File.SetUnixFileMode(Docker.Socket, (UnixFileMode)0b110_110_110);
            Scratch = new CiScratchRepo(withBase: true);
            foreach (var dir in new[] { Path.GetDirectoryName(Scratch.Root)! })
                await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Path("/bin/chown"), ["-R", User, dir]));
        }

        /// <summary>Password-less sudo for the user (a sudoers drop-in, as GitHub's image has), or none.</summary>
        public void GiveSudo(bool on)
        {
            if (on) { File.WriteAllText(Sudoers, $"{User} ALL=(ALL) NOPASSWD:ALL\n"); File.SetUnixFileMode(Sudoers, (UnixFileMode)0b100_100_000); }
            else File.Delete(Sudoers);
        }

        public async Task DisposeAsync()
        {
            if (File.Exists(Sudoers)) File.Delete(Sudoers);
            Scratch?.Dispose();
            if (Docker is not null) await Docker.DisposeAsync();
            if (Registry is not null) await Registry.DisposeAsync();
            if (_created) await ToolRunner.RunAsync(new ToolInvocation(HostTools.Require("userdel"), ["--remove", User]));
        }
    }

    private CiScratchRepo Scratch => runner.Scratch;
    private string Namespace => $"{runner.Registry.Host}/org";

    /// <summary>A command as the runner's user, in the scratch repository, with exactly <paramref name="env"/> (plus PATH and HOME).</summary>
    private async Task<ToolResult> AsUserAsync(IReadOnlyDictionary<string, string> env, params string[] command)
    {
        var vars = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ["HOME"] = runner.Home, ["USER"] = runner.User, ["LANG"] = "C.UTF-8",
        };
        foreach (var (k, v) in env) vars[k] = v;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        return await ToolRunner.RunAsync(new ToolInvocation(HostTools.Require("runuser"), ["-u", runner.User, "--", "env", "-i", .. vars.Select(kv => $"{kv.Key}={kv.Value}"), .. command])
            { WorkingDirectory = Scratch.Root, CaptureStandardOutput = true, TailLines = 300 }, deadline.Token);
    }

    private Task<string> GitAsync(params string[] args) => Checked(AsUserAsync(new Dictionary<string, string>(), ["git", .. args]));

    private async Task<string> Checked(Task<ToolResult> run)
    {
        var r = await run;
        Assert.True(r.Succeeded, string.Join("\n", r.Tail));
        return r.StandardOutput.Trim();
    }

    private async Task<string> CommitAsync(string file, string content, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(Scratch.Root, file), content);
        await GitAsync("-c", "user.name=Runner", "-c", "user.email=runner@example.com", "commit", "-qam", message);
        return await GitAsync("rev-parse", "HEAD");
    }

    /// <summary>
    /// One job of the workflow as a runner runs it: its steps (from the YAML, expressions evaluated), `run:` ones
    /// executed in order as the user with the runner's variables and files; stops at the first failing step.
    /// Returns the job's outputs file, whether it ran, and everything it printed.
    /// </summary>
    private async Task<(bool Ran, Dictionary<string, string> Outputs, string Log)> RunJobAsync(string job, JsonObject contexts, Dictionary<string, string> runnerEnv)
    {
        var temp = Path.Combine(runner.Home, "runner-temp", job + "-" + Guid.NewGuid().ToString("N")[..6]);
        await Checked(AsUserAsync(new Dictionary<string, string>(), "mkdir", "-p", temp));
        var contextFile = Path.Combine(temp, "contexts.json");
        await File.WriteAllTextAsync(contextFile, contexts.ToJsonString());
        var script = Path.Combine(runner.Tools, "github-steps", "github-steps.mjs");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "github-steps.mjs"), script, overwrite: true);
        var parsed = await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Require("node"), [script, Path.Combine(Scratch.Root, ".github/workflows/images.yml"), job, contextFile]) { CaptureStandardOutput = true });
        var plan = JsonNode.Parse(parsed.StandardOutput)!;
        var log = new System.Text.StringBuilder();
        if (!plan["if"]!.GetValue<bool>()) { output.WriteLine($"job {job}: if: false, not run"); return (false, [], ""); }
        var outputFile = Path.Combine(temp, "github_output");
        var envFile = Path.Combine(temp, "github_env");
        await Checked(AsUserAsync(new Dictionary<string, string>(), "touch", outputFile, envFile));
        var index = 0;
        foreach (var step in plan["steps"]!.AsArray())
        {
            var name = step!["name"]!.GetValue<string>();
            if (step["uses"] is { } uses) { output.WriteLine($"job {job}: step '{name}' ({uses}) is an action, not run here"); continue; }
            if (step["skip"] is not null) { output.WriteLine($"job {job}: step '{name}' skipped (if: false)"); continue; }
            var file = Path.Combine(temp, $"step-{index++}.sh");
            await File.WriteAllTextAsync(file, step["run"]!.GetValue<string>());
            await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Path("/bin/chown"), [runner.User, file]));
            var env = new Dictionary<string, string>(runnerEnv) { ["GITHUB_OUTPUT"] = outputFile, ["GITHUB_ENV"] = envFile, ["RUNNER_TEMP"] = temp, ["GITHUB_JOB"] = job };
            // Variables earlier steps appended to $GITHUB_ENV (NAME=value lines), then the step's own env.
            foreach (var line in File.ReadAllLines(envFile).Where(l => l.Contains('='))) env[line[..line.IndexOf('=')]] = line[(line.IndexOf('=') + 1)..];
            foreach (var (k, v) in step["env"]?.AsObject() ?? []) env[k] = v!.GetValue<string>();
            // GitHub's shells: `shell: bash` is bash --noprofile --norc -eo pipefail {0}; unset on Linux is bash -e {0}.
            string[] shell = step["shell"]?.GetValue<string>() == "bash" ? ["bash", "--noprofile", "--norc", "-eo", "pipefail", file] : ["bash", "-e", file];
            var r = await AsUserAsync(env, shell);
            log.Append($"--- {job}: {name} (exit {r.ExitCode})\n").Append(r.StandardOutput).Append('\n').AppendJoin('\n', r.Tail).Append('\n');
            output.WriteLine($"--- {job}: {name} (exit {r.ExitCode})\n{r.StandardOutput}\n{string.Join("\n", r.Tail)}");
            Assert.True(r.Succeeded, $"job {job}, step '{name}' failed with exit {r.ExitCode}:\n{string.Join("\n", r.Tail)}");
        }
        var outputs = File.ReadAllLines(outputFile).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        return (true, outputs, log.ToString());
    }

    /// <summary>The variables every step of a run gets from the runner, and the event payload file.</summary>
    private async Task<Dictionary<string, string>> RunnerEnvironmentAsync(string eventName, string sha, string gitRef, JsonObject payload, string? headRef = null)
    {
        var eventPath = Path.Combine(runner.Home, $"event-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(eventPath, payload.ToJsonString());
        await ToolRunner.RunCheckedAsync(new ToolInvocation(HostTools.Path("/bin/chown"), [runner.User, eventPath]));
        var env = new Dictionary<string, string>
        {
            ["CI"] = "true", ["GITHUB_ACTIONS"] = "true", ["GITHUB_EVENT_NAME"] = eventName, ["GITHUB_EVENT_PATH"] = eventPath,
            ["GITHUB_SHA"] = sha, ["GITHUB_REF"] = gitRef, ["GITHUB_REF_NAME"] = gitRef.Replace("refs/heads/", "").Replace("refs/pull/", ""),
            ["GITHUB_REPOSITORY"] = "org/scratch", ["GITHUB_REPOSITORY_OWNER"] = "org", ["GITHUB_WORKSPACE"] = Scratch.Root,
            ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_API_URL"] = "https://api.github.com", ["GITHUB_RUN_ID"] = "1", ["RUNNER_OS"] = "Linux",
            // Not GitHub's: where images go instead of ghcr.io, and the Docker engine the user may use.
            ["REGISTRY"] = Namespace, ["DOCKER_HOST"] = runner.Docker.Host,
        };
        if (headRef is not null) { env["GITHUB_HEAD_REF"] = headRef; env["GITHUB_BASE_REF"] = "main"; }
        return env;
    }

    private static JsonObject Contexts(string eventName, JsonObject payload, string? images = null) => new()
    {
        ["github"] = new JsonObject { ["event_name"] = eventName, ["event"] = payload.DeepClone(), ["sha"] = "" },
        ["inputs"] = new JsonObject { ["images"] = "", ["ref"] = "" },
        ["matrix"] = new JsonObject { ["image"] = images ?? "" },
        ["secrets"] = new JsonObject { ["GITHUB_TOKEN"] = "ghs_notARealTokenForTheTest" },
        ["needs"] = new JsonObject(),
        ["runner"] = new JsonObject { ["os"] = "Linux" },
        ["env"] = new JsonObject(),
    };

    private async Task<IReadOnlyList<string>> TagsAsync()
    {
        try { return (await Skopeo.TagsAsync($"docker://{Namespace}/hello")).Order(StringComparer.Ordinal).ToList(); }
        catch (ToolException) { return []; }
    }

    [Fact]
    public async Task The_image_workflow_runs_as_a_sudo_user_for_a_push_to_main_and_a_pull_request_and_base_images_need_sudo()
    {
        var before = await GitAsync("rev-parse", "HEAD");
        var main1 = await CommitAsync("containers/hello/message.txt", "one\n", "hello says one");
        await GitAsync("push", "-q", "origin", "main");

        // Push to main: changes picks hello; the matrix job builds the base through sudo -n, then the image, and
        // pushes vX.Y.Z-sha7 and latest.
        var push = new JsonObject { ["before"] = before, ["after"] = main1, ["ref"] = "refs/heads/main" };
        var env = await RunnerEnvironmentAsync("push", main1, "refs/heads/main", push);
        var changes = await RunJobAsync("changes", Contexts("push", push), env);
        Assert.Equal("[\"hello\"]", changes.Outputs["images"]);
        var build = await RunJobAsync("build", Contexts("push", push, "hello"), env);
        Assert.Contains("BaseImages needs root (debootstrap and chroot build the bases of containers/base-images.yml); running it as root through sudo -n", build.Log);
        Assert.Matches(@"building hello from containers/hello/Dockerfile with docker \(auto", build.Log);
        Assert.Equal(["latest", $"v1.0.0-{main1[..7]}"], await TagsAsync());
        // What root wrote went back to the user: the next (non-root) run can replace it.
        Assert.Equal(runner.User, await Checked(AsUserAsync(new Dictionary<string, string>(), "stat", "-c", "%U", "artifacts/base-images")));
        // This build does not list IReleaseImages: no check-manifests job is generated (ReleaseComponentTests covers one that does).
        Assert.DoesNotContain("check-manifests", Scratch.Generated(".github/workflows/images.yml"));

        // A pull request: the head commit's tag is pushed (no latest), stamped with that commit (ListImages: [branch]).
        await GitAsync("checkout", "-q", "-b", "feature");
        var head = await CommitAsync("containers/hello/message.txt", "two\n", "hello says two");
        await GitAsync("push", "-q", "origin", "feature");
        await GitAsync("checkout", "-q", "--detach", head);
        var pr = new JsonObject
        {
            ["number"] = 7,
            ["pull_request"] = new JsonObject { ["number"] = 7, ["base"] = new JsonObject { ["sha"] = main1, ["ref"] = "main" }, ["head"] = new JsonObject { ["sha"] = head, ["ref"] = "feature" } },
        };
        env = await RunnerEnvironmentAsync("pull_request", head, "refs/pull/7/merge", pr, headRef: "feature");
        changes = await RunJobAsync("changes", Contexts("pull_request", pr), env);
        Assert.Equal("[\"hello\"]", changes.Outputs["images"]);
        await RunJobAsync("build", Contexts("pull_request", pr, "hello"), env);
        Assert.Equal(new[] { "latest", $"v1.0.0-{head[..7]}", $"v1.0.0-{main1[..7]}" }.Order(StringComparer.Ordinal), await TagsAsync()); // as listed: sorted (the shas change with the build's own files)
        Assert.Equal(await Skopeo.DigestAsync($"docker://{Namespace}/hello:v1.0.0-{main1[..7]}"), await Skopeo.DigestAsync($"docker://{Namespace}/hello:latest"));
        // The tag's revision is the pull request's head (a commit of the branch, not main): what ListImages marks [branch].
        using (var config = await Skopeo.InspectAsync($"docker://{Namespace}/hello:v1.0.0-{head[..7]}", config: true))
            Assert.Equal(head, config.RootElement.GetProperty("config").GetProperty("Labels").GetProperty("org.opencontainers.image.revision").GetString());

        // Without password-less sudo, BaseImages stops with one line saying what to do.
        runner.GiveSudo(false);
        try
        {
            var refused = await AsUserAsync(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, "./build.sh", "BaseImages", "--no-logo");
            var text = refused.StandardOutput + string.Join("\n", refused.Tail);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains($"BaseImages needs root (debootstrap and chroot build the bases of containers/base-images.yml) and user '{runner.User}' has no password-less sudo (`sudo -n true` failed); run `sudo ./build.sh BaseImages` once, or give user '{runner.User}' password-less sudo", text);
        }
        finally { runner.GiveSudo(true); }
    }
}
