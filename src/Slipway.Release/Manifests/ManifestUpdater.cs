using System.Text;
using Slipway.Release.Git;
using Slipway.Release.Listing;

namespace Slipway.Release.Manifests;

/// <summary>One file's rewrite: the new text and its unified diff against the old.</summary>
public sealed record FileChange(string File, string OldText, string NewText, string Diff);

/// <summary>What moving one image's references to its newest main-built tag changes.</summary>
public sealed record ImageUpdate(string Image, string Tag, IReadOnlyList<FileChange> Files);

/// <summary>
/// Moves references to the newest <c>[main]</c> version tag of their image (never <c>latest</c>, never a
/// <c>[branch]</c> or <c>[unknown]</c> tag). Only the reference's characters change; a reference pinned by digest
/// stays pinned (to the new tag's digest), and <c>pinDigest</c> pins every reference it writes.
/// </summary>
public static class ManifestUpdater
{
    /// <summary>The newest main-built version tag of <paramref name="image"/>, or null.</summary>
    public static TagInfo? NewestMainTag(string image, IReadOnlyList<TagInfo> tags) =>
        tags.Where(t => t.Image == image && t.Mark == CommitMark.Main && !t.IsLatest)
            .OrderByDescending(t => t.Created ?? DateTimeOffset.MinValue).ThenByDescending(t => t.Tag, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>One update per image whose references are not all at its newest main tag; files are read from <paramref name="root"/>.</summary>
    public static IReadOnlyList<ImageUpdate> Plan(string root, IReadOnlyList<string> files, IReadOnlyList<ListedImage> images, IReadOnlyList<TagInfo> tags, bool pinDigest, Action<string>? log = null)
    {
        // Texts evolve image by image, so that each image's diff (and commit) applies on top of the previous one.
        var texts = files.ToDictionary(f => f, f => ManifestScanner.Decode(f, File.ReadAllBytes(Path.Combine(root, f))), StringComparer.Ordinal);
        var updates = new List<ImageUpdate>();
        foreach (var image in images)
        {
            var target = NewestMainTag(image.Key, tags);
            var changes = new List<FileChange>();
            foreach (var file in files)
            {
                var text = texts[file];
                var refs = ManifestScanner.Scan(file, text, images).Where(r => ReferenceEquals(r.Image, image)).ToList();
                if (refs.Count == 0) continue;
                if (target is null)
                {
                    log?.Invoke($"{refs[0].Where}: {image.Key} has no tag built from main at {image.Source.Display}; left as {refs[0].Text}");
                    continue;
                }
                var sb = new StringBuilder(text);
                // Back to front, so earlier spans keep their offsets.
                foreach (var r in refs.OrderByDescending(r => r.Start))
                {
                    var pin = pinDigest || r.Digest is not null;
                    var wanted = $"{r.Repository}:{target.Tag}" + (pin ? "@" + target.Digest : "");
                    if (wanted == r.Text) continue;
                    sb.Remove(r.Start, r.Length).Insert(r.Start, wanted);
                }
                var updated = sb.ToString();
                if (updated == text) continue;
                changes.Add(new FileChange(file, text, updated, UnifiedDiff.Create(file, text, updated)));
                texts[file] = updated;
            }
            if (changes.Count > 0) updates.Add(new ImageUpdate(image.Key, target!.Tag, changes));
        }
        return updates;
    }

    /// <summary>Writes an update's files; with <paramref name="commit"/> commits exactly them as "Update IMAGE to TAG".</summary>
    public static async Task ApplyAsync(string root, ImageUpdate update, bool commit, CancellationToken ct)
    {
        foreach (var f in update.Files)
        {
            var path = Path.Combine(root, f.File);
            var tmp = path + $".slipway-{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(tmp, ManifestScanner.Encode(f.NewText), ct);
            File.Move(tmp, path, overwrite: true);
        }
        if (!commit) return;
        var repo = new GitRepo(root);
        var paths = update.Files.Select(f => f.File).ToArray();
        await repo.CheckedAsync(ct, ["add", "--", .. paths]);
        await repo.CheckedAsync(ct, ["commit", "--quiet", "-m", $"Update {update.Image} to {update.Tag}", "--", .. paths]);
    }
}

/// <summary>A unified diff of two texts that have the same number of lines (rewrites replace within lines).</summary>
public static class UnifiedDiff
{
    public static string Create(string file, string oldText, string newText, int context = 3)
    {
        var a = oldText.Split('\n');
        var b = newText.Split('\n');
        if (a.Length != b.Length) throw new ArgumentException("line counts differ");
        var changed = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
        var sb = new StringBuilder($"--- a/{file}\n+++ b/{file}\n");
        var k = 0;
        while (k < changed.Count)
        {
            var start = Math.Max(0, changed[k] - context);
            var last = changed[k];
            while (k + 1 < changed.Count && changed[k + 1] - last <= 2 * context) last = changed[++k];
            k++;
            var end = Math.Min(a.Length - 1, last + context);
            // A trailing newline leaves an empty last element that is not a line.
            if (end == a.Length - 1 && a[end].Length == 0 && end > start) end--;
            var count = end - start + 1;
            sb.Append($"@@ -{start + 1},{count} +{start + 1},{count} @@\n");
            for (var i = start; i <= end; i++)
            {
                if (a[i] == b[i]) sb.Append(' ').Append(a[i].TrimEnd('\r')).Append('\n');
                else sb.Append('-').Append(a[i].TrimEnd('\r')).Append('\n').Append('+').Append(b[i].TrimEnd('\r')).Append('\n');
            }
        }
        return sb.ToString();
    }
}
