using System.Text;
using System.Text.RegularExpressions;
using Slipway.Release.Listing;

namespace Slipway.Release.Manifests;

/// <summary>
/// One <c>image:</c> value in a manifest that names one of this repository's images: where it is (file, 1-based
/// line, character span of the reference in the file's text) and what it says.
/// </summary>
public sealed record ManifestReference(string File, int Line, int Start, int Length, string Repository, string? Tag, string? Digest, ListedImage Image)
{
    public string Text => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
    public string Where => $"{File}:{Line}";
}

/// <summary>
/// Finds image references in Kubernetes/Argo CD YAML line by line (<c>image: REF</c>, <c>- image: "REF"</c>),
/// keeping the exact characters of everything else, so a rewrite changes the reference and nothing around it.
/// </summary>
public static partial class ManifestScanner
{
    [GeneratedRegex(@"^(?<pre>[ \t]*(?:-[ \t]+)?image:[ \t]*)(?<q>[""']?)(?<ref>[^\s""'#]+)\k<q>", RegexOptions.CultureInvariant)]
    private static partial Regex ImageLine();

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A file's text such that <see cref="Encode"/> gives back the same bytes (a BOM stays as U+FEFF, line endings
    /// stay as they are). Throws for a file that is not UTF-8.
    /// </summary>
    public static string Decode(string file, byte[] bytes)
    {
        try { return Utf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw new ReleaseException($"{file} is not UTF-8 text; manifests are read and rewritten as UTF-8 (convert it, or narrow the ManifestGlobs parameter)"); }
    }

    public static byte[] Encode(string text) => Utf8.GetBytes(text);

    /// <summary>References in <paramref name="text"/> to a repository in <paramref name="images"/> (by destination display name).</summary>
    public static IReadOnlyList<ManifestReference> Scan(string file, string text, IReadOnlyList<ListedImage> images)
    {
        var found = new List<ManifestReference>();
        var byRepo = images.GroupBy(i => i.Source.Display, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var lineStart = 0;
        var line = 1;
        while (lineStart <= text.Length)
        {
            var end = text.IndexOf('\n', lineStart);
            var lineText = end < 0 ? text[lineStart..] : text[lineStart..end];
            var m = ImageLine().Match(lineText);
            if (m.Success)
            {
                var group = m.Groups["ref"];
                var (repo, tag, digest) = Split(group.Value);
                if (byRepo.TryGetValue(repo, out var variants))
                {
                    var image = Owner(tag, variants);
                    found.Add(new ManifestReference(file, line, lineStart + group.Index, group.Length, repo, tag, digest, image));
                }
            }
            if (end < 0) break;
            lineStart = end + 1;
            line++;
        }
        return found;
    }

    /// <summary><c>host:5000/ns/name:tag@sha256:…</c> → repository, tag, digest (a ':' after the last '/' starts the tag).</summary>
    public static (string Repository, string? Tag, string? Digest) Split(string reference) => Oci.Model.ImageReference.Split(reference);

    private static ListedImage Owner(string? tag, List<ListedImage> variants) =>
        variants.Where(v => v.TagSuffix.Length == 0 || (tag?.EndsWith(v.TagSuffix, StringComparison.Ordinal) ?? false))
            .OrderByDescending(v => v.TagSuffix.Length).FirstOrDefault() ?? variants[0];
}
