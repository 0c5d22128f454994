using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Release.Manifests;

/// <summary>
/// Path globs relative to the monorepo root: <c>**</c> spans directories, <c>*</c> and <c>?</c> stay within one.
/// Only the directory before the first wildcard is walked, so <c>k8s/**/*.yaml</c> never reads the rest of the tree.
/// </summary>
public static class Glob
{
    public const string DefaultPatterns = "argocd/manifests/**/*.yaml,k8s/**/*.yaml,deploy/**/*.yaml";

    public static IReadOnlyList<string> Files(string root, IEnumerable<string> patterns)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns.Select(p => p.Trim().Replace('\\', '/').TrimStart('/')).Where(p => p.Length > 0))
        {
            var regex = ToRegex(pattern);
            var firstWild = pattern.IndexOfAny(['*', '?', '[']);
            var literal = firstWild < 0 ? pattern : pattern[..firstWild];
            var baseDir = literal.Contains('/') ? literal[..literal.LastIndexOf('/')] : "";
            var start = Path.Combine(root, baseDir);
            if (firstWild < 0)
            {
                if (File.Exists(start)) found.Add(pattern);
                continue;
            }
            if (!Directory.Exists(start)) continue;
            foreach (var file in Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None }))
            {
                var rel = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (regex.IsMatch(rel)) found.Add(rel);
            }
        }
        return found.ToList();
    }

    internal static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
