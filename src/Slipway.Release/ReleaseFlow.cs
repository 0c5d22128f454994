using Slipway.Images.Pipeline;
using Slipway.Oci.Registry;
using Slipway.Release.Git;
using Slipway.Release.Listing;
using Slipway.Release.Manifests;

namespace Slipway.Release;

/// <summary>Settings of the release targets (ListImages, UpdateManifests, CheckManifests).</summary>
public sealed record ReleaseOptions
{
    /// <summary>The monorepo root whose git history decides the marks and whose manifests are read.</summary>
    public required string Root { get; init; }
    public string MainBranch { get; init; } = "main";
    /// <summary>Fetch main from origin (unshallowing) when commits are missing or the clone is shallow.</summary>
    public bool Fetch { get; init; } = true;
    /// <summary>GitHub API base for the compare fallback (a GitHub Enterprise URL, or a fake in tests); null is api.github.com.</summary>
    public Uri? GitHubApiUrl { get; init; }
    public string? GitHubToken { get; init; }
    /// <summary>Overrides the origin's owner/name for the compare fallback (null: from the origin URL when it is on github.com).</summary>
    public GitHubRepository? GitHubRepository { get; init; }
    /// <summary>Directory of config facts cached by config digest (null: memory only).</summary>
    public string? CacheDirectory { get; init; }
    public RegistryClientOptions RegistryClient { get; init; } = new();
    public int Parallelism { get; init; } = 16;
    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>
/// The release flow over a planned image run: which tags are where and from which commit, and manifests moved
/// to (or checked against) the newest main-built tags. The build targets call these in a line or two.
/// </summary>
public sealed class ReleaseFlow(ReleaseOptions options) : IDisposable
{
    private readonly Dictionary<string, RegistryClient> _clients = new(StringComparer.Ordinal);

    /// <summary>The images of <paramref name="plan"/> that have a destination, each with its tag source.</summary>
    public IReadOnlyList<ListedImage> Images(ImagePlan plan) => plan.Images
        .Where(i => i.Route.SkipReason is null)
        .Select(i => new ListedImage(i.Key, i.Definition.TagSuffix,
            i.Route.Repository is { } repo ? new RegistryTagSource(Client(repo.Registry), repo.Repository)
            : new LayoutTagSource(i.Route.LayoutDirectory!, i.Route.Display)))
        .ToList();

    private RegistryClient Client(string registry)
    {
        lock (_clients)
            return _clients.TryGetValue(registry, out var c) ? c : _clients[registry] = new RegistryClient(registry, options.RegistryClient);
    }

    public ICommitClassifier Classifier(string? sourceUrl)
    {
        var git = new GitMainLine(new GitRepo(options.Root), options.MainBranch, options.Log, options.Fetch);
        var github = options.GitHubRepository ?? GitHubRepository.FromSourceUrl(sourceUrl);
        return github is null ? git : new ChainedClassifier(git, new GitHubCompare(github, options.MainBranch, options.GitHubApiUrl, options.GitHubToken));
    }

    public async Task<IReadOnlyList<TagInfo>> ListAsync(IReadOnlyList<ListedImage> images, string? sourceUrl, CancellationToken ct) =>
        await new TagLister(Classifier(sourceUrl), options.CacheDirectory) { Parallelism = options.Parallelism }.ListAsync(images, ct);

    /// <summary>Only the images some manifest refers to (listing the others would be wasted requests).</summary>
    public IReadOnlyList<ListedImage> Referenced(IReadOnlyList<ListedImage> images, IReadOnlyList<string> files)
    {
        var used = new HashSet<ListedImage>();
        foreach (var f in files)
            foreach (var r in ManifestScanner.Scan(f, ManifestScanner.Decode(f, File.ReadAllBytes(Path.Combine(options.Root, f))), images))
                used.Add(r.Image);
        return images.Where(used.Contains).ToList();
    }

    public async Task<IReadOnlyList<ImageUpdate>> UpdateManifestsAsync(IReadOnlyList<ListedImage> images, string? sourceUrl, IReadOnlyList<string> files, bool pinDigest, bool commit, CancellationToken ct)
    {
        var referenced = Referenced(images, files);
        var tags = await ListAsync(referenced, sourceUrl, ct);
        var updates = ManifestUpdater.Plan(options.Root, files, referenced, tags, pinDigest, options.Log);
        foreach (var u in updates) await ManifestUpdater.ApplyAsync(options.Root, u, commit, ct);
        return updates;
    }

    public async Task<IReadOnlyList<ManifestProblem>> CheckManifestsAsync(IReadOnlyList<ListedImage> images, string? sourceUrl, IReadOnlyList<string> files, CancellationToken ct)
    {
        var referenced = Referenced(images, files);
        var tags = await ListAsync(referenced, sourceUrl, ct);
        return ManifestCheck.Run(options.Root, files, referenced, tags);
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values) c.Dispose();
    }
}
