using Slipway.Release.Git;
using Slipway.Release.Listing;

namespace Slipway.Release.Manifests;

/// <summary>A reference a production manifest must not have (errors) or that deserves a look (warnings).</summary>
public sealed record ManifestProblem(ManifestReference Reference, string Message, bool IsError)
{
    public override string ToString() => $"{Reference.Where}: {Message}";
}

/// <summary>
/// CheckManifests: every reference to one of this repository's images must name a tag that exists, was built
/// from a commit on main, and — when pinned — the digest that tag points at now.
/// </summary>
public static class ManifestCheck
{
    public static IReadOnlyList<ManifestProblem> Run(string root, IReadOnlyList<string> files, IReadOnlyList<ListedImage> images, IReadOnlyList<TagInfo> tags)
    {
        var problems = new List<ManifestProblem>();
        var byTag = tags.ToDictionary(t => (t.Repository, t.Tag), t => t);
        foreach (var file in files)
        {
            var text = ManifestScanner.Decode(file, File.ReadAllBytes(Path.Combine(root, file)));
            foreach (var r in ManifestScanner.Scan(file, text, images))
            {
                var fix = $"run ./build.sh UpdateManifests to move it to the newest tag built from main";
                if (r.Tag is null)
                {
                    if (r.Digest is null) problems.Add(new(r, $"{r.Text} names no tag; pin a version tag built from main ({fix})", true));
                    continue;
                }
                if (!byTag.TryGetValue((r.Repository, r.Tag), out var t))
                {
                    problems.Add(new(r, $"{r.Text}: tag {r.Tag} does not exist at {r.Repository}; {fix}", true));
                    continue;
                }
                if (t.Mark == CommitMark.Branch)
                    problems.Add(new(r, $"{r.Text} was built from commit {t.ShortRevision}, which is not on main (a branch build, its source goes away with the branch); {fix}", true));
                else if (t.Mark == CommitMark.Unknown)
                    problems.Add(new(r, $"{r.Text}: commit {t.ShortRevision} is not in this clone's history even after fetching main, so it cannot be checked (fetch the full history)", false));
                if (r.Digest is not null && r.Digest != t.Digest.ToString())
                    problems.Add(new(r, $"{r.Text}: the pinned digest is stale, {r.Repository}:{r.Tag} now points at {t.Digest}; {fix} --pin-digest", true));
                if (t.IsLatest)
                    problems.Add(new(r, $"{r.Text} follows 'latest', which moves with every main build; pin a version tag ({fix})", false));
            }
        }
        return problems;
    }
}
