using Slipway.Builder.Git;
using Slipway.Builder.GitHub;
using Slipway.Builder.Model;
using Slipway.Builder.Running;
using Slipway.Images.Sandbox;
using Slipway.Oci.Registry;
using Slipway.Source;
using Slipway.Tooling;

namespace Slipway.Builder.Executors;

public sealed record LocalExecutorOptions
{
    /// <summary>Parent of each build's workspace (checkout, scratch, buildah storage); each is removed after its build.</summary>
    public string WorkRoot { get; init; } = Path.Combine(Path.GetTempPath(), "slipway-builds");
    /// <summary>HOST[:PORT][/NAMESPACE] for tenant naming.</summary>
    public string? Registry { get; init; }
    /// <summary>The source engine for one build, given that build's private buildah storage root; null = Slipway's, with <see cref="Sandbox"/>.</summary>
    public Func<string, ISourceImageBuilder>? SourceBuilder { get; init; }
    /// <summary>How tenant build steps are contained: on by default (the builder builds strangers' code).</summary>
    public StepSandboxOptions Sandbox { get; init; } = StepSandboxOptions.Default;
    public GitHubAppTokens GitHubTokens { get; init; } = new();
    /// <summary>Registries spoken to over plain HTTP (--insecure-registry).</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];
}

/// <summary>
/// Runs a build in this process: token → shallow clone → source engine (Dockerfile or providers) → publish by
/// digest through the OCI core. Each build has its own workspace including buildah's storage, removed afterwards
/// whatever happened, so containers and intermediate images cannot pile up.
/// </summary>
public sealed class LocalExecutor(LocalExecutorOptions options) : IExecutor
{
    public string Name => "local";

    public async Task<BuildResult> RunAsync(BuildSpec spec, Action<string> log, CancellationToken cancellationToken)
    {
        var safeId = new string(spec.BuildId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray());
        var workspace = Path.Combine(options.WorkRoot, $"build-{safeId}-{Guid.NewGuid():N}"[..Math.Min(80, safeId.Length + 39)]);
        var step = "configure";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(options.WorkRoot);
        SweepOrphans(options.WorkRoot, log);
        // Held for the whole build: a worker that dies (SIGKILL, OOM) releases it, and the next build anywhere sweeps.
        using var held = FileLock.TryTake(workspace + ".lock") ?? throw new IOException($"{workspace}.lock is held by another process");
        try
        {
            Directory.CreateDirectory(workspace);
            step = "clone";
            var token = spec.GitToken;
            if (token is null && spec.GitHubApp is { } app)
                token = await options.GitHubTokens.GetTokenAsync(app, GitHubAppTokens.RepositoryName(spec.RepoCloneUrl), cancellationToken);
            var clone = await new GitCloner().CloneAsync(spec.RepoCloneUrl, spec.Ref, token, Path.Combine(workspace, "src"), log, cancellationToken);
            log($"commit {clone.Commit} (clone {clock.ElapsedMilliseconds} ms)");
            clock.Restart();

            step = "build";
            var sourceBuilder = options.SourceBuilder ?? (root => new SourceImageBuilder(new SourceBuilderOptions
            {
                BuildahRoot = root,
                Sandbox = options.Sandbox,
                DockerfileEngine = Contracts.SinglePurposeContainerContract.DockerfileEngine(Environment.GetEnvironmentVariable),
            }));
            var request = new SourceBuildRequest
            {
                Directory = clone.Directory,
                RootDirectory = spec.RootDirectory,
                DockerfilePath = spec.DockerfilePath,
                ContextDirectory = spec.BuildContext,
                BuildArgs = spec.BuildArgs,
                BuildCommand = spec.BuildCommand,
                StartCommand = spec.StartCommand,
                WorkDirectory = Path.Combine(workspace, "work"),
                SourceDate = clone.CommitTime,
                Log = log,
                // Package caches and cached installs are the tenant's own: another tenant's build never reads them.
                CacheScope = "tenant:" + (spec.Tenant ?? ""),
            };
            var builder = sourceBuilder(Path.Combine(workspace, "buildah"));
            // One image per platform asked for (one after the other: the machine's cores go to each build's steps).
            var built = new List<(Slipway.Oci.Model.Platform? Platform, SourceBuildOutcome Outcome)>();
            foreach (var platform in spec.Platforms is { Count: > 0 } asked ? asked.Select(p => (Slipway.Oci.Model.Platform?)p) : [null])
            {
                var outcome = await builder.BuildAsync(platform is null ? request : request with
                {
                    Platform = platform,
                    WorkDirectory = Path.Combine(workspace, "work", $"{platform.Os}-{platform.Architecture}"),
                    Log = line => log($"[{platform}] {line}"),
                }, cancellationToken);
                log($"built {outcome.Image.Digest}{(platform is null ? "" : $" for {platform}")} ({outcome.Method}) in {clock.ElapsedMilliseconds} ms");
                clock.Restart();
                built.Add((platform, outcome));
            }

            step = "push";
            RegistrySession? session = null;
            try
            {
                var (destination, tags, _) = ImageDestinations.Destination(spec, options.Registry, host => session = ImageDestinations.Session(spec, host, options.InsecureRegistries));
                // Several platforms: every image by digest, then the index by digest, then the tags.
                var published = built.Count > 1
                    ? await destination.PublishIndexAsync(Slipway.Oci.Content.OciImageIndex.Create(built.Select(b => (b.Platform!, b.Outcome.Image)).ToList()), tags, cancellationToken)
                    : await destination.PublishAsync(built[0].Outcome.Image, tags, cancellationToken);
                log($"pushed {destination.Name}@{published.Digest} ({published.BlobsUploaded} blobs uploaded, {published.BlobsSkipped} present) in {clock.ElapsedMilliseconds} ms");
                return new BuildResult.Succeeded(spec.BuildId, ImageDestinations.Published(destination, tags, published.Digest), clone.Commit);
            }
            finally { session?.Dispose(); }
        }
        catch (StepFailure e)
        {
            return new BuildResult.Failed(spec.BuildId, e.Step, e.Class, e.Message, e.LogTail);
        }
        catch (RegistryException e)
        {
            return new BuildResult.Failed(spec.BuildId, step, e.IsTransient ? FailureClass.Transient : FailureClass.Permanent, Secrets.Redact(e.Message), []);
        }
        catch (HttpRequestException e)
        {
            return new BuildResult.Failed(spec.BuildId, step, FailureClass.Transient, Secrets.Redact(e.Message), []);
        }
        catch (IOException e)
        {
            // A full disk or a vanished workspace: worth another try on another worker.
            return new BuildResult.Failed(spec.BuildId, step, FailureClass.Transient, Secrets.Redact(e.Message), []);
        }
        finally
        {
            clock.Restart();
            RemoveWorkspace(workspace, log);
            File.Delete(workspace + ".lock");
            log($"workspace removed in {clock.ElapsedMilliseconds} ms");
        }
    }

    /// <summary>
    /// Workspaces of builds whose worker died: their lock file is no longer held (flock goes with the process).
    /// A workspace without a lock file is left alone; its lock is taken before the workspace is made.
    /// </summary>
    private static void SweepOrphans(string workRoot, Action<string> log)
    {
        foreach (var lockFile in Directory.EnumerateFiles(workRoot, "build-*.lock"))
        {
            using var held = FileLock.TryTake(lockFile, create: false);
            if (held is null) continue; // a live build, or gone already
            var orphan = lockFile[..^".lock".Length];
            log($"removing the workspace of a build whose worker died: {Path.GetFileName(orphan)}");
            RemoveWorkspace(orphan, log);
            File.Delete(lockFile);
        }
    }

    private static void RemoveWorkspace(string workspace, Action<string> log)
    {
        try { if (Directory.Exists(workspace)) Directory.Delete(workspace, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"warning: could not remove workspace {workspace}: {e.Message}");
        }
    }
}
