using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Oci.Model;

namespace Slipway.Images.Pipeline;

/// <summary>
/// The pure planner: from a catalog, the commit and the settings, decide tags and destinations and validate
/// every name and tag against the distribution spec. No build, no network.
/// </summary>
public static class ImagePlanner
{
    /// <summary>
    /// Discovers, filters and validates every image of a run and decides tags and destinations: reads the commit
    /// (a placeholder outside a repository unless strict) and the repo's parameters for routing.
    /// </summary>
    public static async Task<ImagePlan> PlanAsync(ImagePipelineOptions options, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Root);
        var catalog = (await ImageCatalog.DiscoverAsync(root, options.Methods, cancellationToken)).Filter(options.Images);
        var notes = new List<string>();
        GitInfo git;
        try
        {
            git = options.Git ?? await GitInfo.ReadAsync(root, options.Environment, cancellationToken);
        }
        catch (GitInfoException e) when (!options.IsStrict)
        {
            // Like Nuke without a repository: the build still runs, but images carry a placeholder commit
            // and never get `latest`. Strict (CI) runs stop instead: a pushed image must name its commit.
            git = GitInfo.Placeholder();
            notes.Add($"{e.Message}. Images are tagged with the placeholder commit {git.ShortSha} and get no 'latest' (with --strict this is an error)");
        }
        catch (GitInfoException e)
        {
            throw new ImagePlanException([e.Message]);
        }
        var router = new ImageRouter(root, options.Registry, options.Context, RepoParameters.Read(root).With("Org", options.Org).With("Group", options.Group), options.Environment);
        return Plan(root, catalog, git, router, options.MainBranch, options.IsStrict, notes);
    }

    /// <summary>The table the <c>Images</c> target prints: name, method, version, definition, tags, destination.</summary>
    public static string FormatTable(ImagePlan plan)
    {
        var header = new[] { "IMAGE", "METHOD", "VERSION", "DEFINITION", "TAGS", "DESTINATION" };
        var rows = plan.Images.Select(i => new[]
        {
            i.Key, i.Method.Name, i.VersionDefaulted ? $"{i.Version} (none declared)" : i.Version,
            ImageCatalog.Relative(plan.Root, i.Definition.DefinitionFile), string.Join(", ", i.Tags),
            i.Route.SkipReason is null ? i.Route.Display + (i.Definition.Visibility == "private" ? " (private)" : "") : $"skipped: {i.Route.SkipReason}",
        }).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"Commit {plan.Git.ShortSha} ({plan.Git.CreatedText}) on {plan.Git.Branch ?? "no branch"}{(plan.IsMainBranch ? " (main: tagged latest)" : "")}; destination {plan.DestinationSummary}");
        foreach (var r in rows.Prepend(header))
            sb.AppendLine(string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        if (plan.Images.Count == 0) sb.AppendLine("(no images: add containers/<name>/Dockerfile, containers/<name>/default.nix, app/Dockerfile or flake.nix image packages)");
        return sb.ToString();
    }

    public static ImagePlan Plan(string root, ImageCatalog catalog, GitInfo git, ImageRouter router, string mainBranch, bool strict, IReadOnlyList<string>? gitNotes = null)
    {
        var problems = new List<string>(catalog.Validate(root));
        var notes = new List<string>(gitNotes ?? []);
        var images = new List<PlannedImage>();
        foreach (var entry in catalog.Entries)
        {
            var d = entry.Definition;
            var where = ImageCatalog.Relative(root, d.DefinitionFile);
            var version = ImageTags.VersionOf(d);
            if (!string.IsNullOrWhiteSpace(d.Version) && ImageTags.ExplainInvalidVersion(version) is { } verr)
            {
                problems.Add($"{where}: {verr}");
                continue;
            }
            if (string.IsNullOrWhiteSpace(d.Version))
                notes.Add($"image '{entry.Key}' declares no version in {where}; it is tagged v{ImageTags.DefaultVersion}-{git.ShortSha}{d.TagSuffix} (declare one, e.g. ARG CONTAINER_APP_VERSION=1.0.0 or version = \"1.0.0\")");
            var tags = ImageTags.For(d, git, mainBranch);
            foreach (var tag in tags)
                if (ImageReference.ExplainInvalidTag(tag) is { } terr)
                    problems.Add($"{where}: tag of image '{entry.Key}': {terr}; check the version and the tag suffix '{d.TagSuffix}'");
            ImageRoute route;
            try { route = router.Resolve(d); }
            catch (ImageCatalogException e) { problems.Add(e.Message); continue; }
            if (route.Repository is { } repo && ImageReference.ExplainInvalidRepository(repo.Repository) is { } rerr)
                problems.Add($"{where}: destination {rerr}");
            images.Add(new PlannedImage(entry, version, tags, route));
        }
        if (problems.Count > 0) throw new ImagePlanException(problems.Distinct().ToList());
        return new ImagePlan(root, git, ImageTags.IsMainBranch(git, mainBranch), router.Describe(), strict, images, notes);
    }
}
