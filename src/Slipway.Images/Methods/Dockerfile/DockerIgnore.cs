using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>
/// <c>.dockerignore</c> matching with Docker's rules (moby patternmatcher): one pattern per line, <c>#</c> comments,
/// paths relative to the context root (a leading <c>/</c> is dropped and the pattern is cleaned), Go
/// <c>filepath.Match</c> syntax (<c>*</c>, <c>?</c>, <c>[a-z]</c>, <c>[^a]</c>, <c>\</c> escapes) plus <c>**</c> for any
/// number of directories, <c>!</c> re-includes, and the last matching pattern wins. A pattern that matches a
/// directory excludes everything below it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<Rule> _rules;

    private DockerIgnore(List<Rule> rules) => _rules = rules;

    public static DockerIgnore Empty { get; } = new([]);

    public IReadOnlyList<string> Patterns => _rules.Select(r => (r.Exclusion ? "!" : "") + r.Pattern).ToList();

    /// <summary>Parses the text of a .dockerignore file; <paramref name="file"/> names it in errors.</summary>
    public static DockerIgnore Parse(string text, string file = ".dockerignore")
    {
        var rules = new List<Rule>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('#')) continue;
            line = line.Trim();
            if (line.Length == 0) continue;
            var exclusion = false;
            if (line[0] == '!')
            {
                exclusion = true;
                line = line[1..].Trim();
                if (line.Length == 0) throw new FormatException($"{file}:{lineNo}: '!' must be followed by a pattern");
            }
            var pattern = Clean(line);
            if (pattern.Length == 0) continue; // "/" or "." alone: Docker ignores those too
            rules.Add(new Rule(pattern, exclusion, Compile(pattern, file, lineNo)));
        }
        return new DockerIgnore(rules);
    }

    /// <summary>The ignore file Docker/BuildKit uses for <paramref name="dockerfile"/>: <c>&lt;Dockerfile&gt;.dockerignore</c> beside it, else <c>&lt;context&gt;/.dockerignore</c>.</summary>
    public static string? Locate(string dockerfile, string contextDirectory)
    {
        var specific = dockerfile + ".dockerignore";
        if (File.Exists(specific)) return specific;
        var general = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(general) ? general : null;
    }

    public static DockerIgnore Load(string? path) => path is null ? Empty : Parse(File.ReadAllText(path), path);

    /// <summary>True when <paramref name="relativePath"/> (slash-separated, relative to the context) is excluded.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        if (path.Length == 0) return false;
        // The path is excluded when the last rule matching it, or any of its parent directories, excludes.
        var parents = new List<string>();
        for (var i = path.IndexOf('/'); i >= 0; i = path.IndexOf('/', i + 1)) parents.Add(path[..i]);
        var excluded = false;
        foreach (var rule in _rules)
        {
            if (rule.Exclusion == excluded) // only a rule that could flip the state needs evaluating
            {
                var match = rule.Regex.IsMatch(path) || parents.Any(p => rule.Regex.IsMatch(p));
                if (match) excluded = !rule.Exclusion;
            }
        }
        return excluded;
    }

    /// <summary>
    /// Every file under <paramref name="contextDirectory"/> that is sent to the engine, as absolute paths in
    /// ordinal order of their relative paths. Excluded directories are still walked when a later <c>!</c>
    /// rule could re-include something inside them.
    /// </summary>
    public IEnumerable<string> ContextFiles(string contextDirectory)
    {
        var root = Path.GetFullPath(contextDirectory);
        var results = new List<(string Rel, string Full)>();
        var stack = new Stack<(string Dir, string Rel)>();
        stack.Push((root, ""));
        var anyExceptions = _rules.Any(r => r.Exclusion);
        while (stack.Count > 0)
        {
            var (dir, rel) = stack.Pop();
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                var childRel = rel.Length == 0 ? entry.Name : rel + "/" + entry.Name;
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    if (IsExcluded(childRel) && !anyExceptions) continue;
                    stack.Push((entry.FullName, childRel));
                }
                else if (!IsExcluded(childRel))
                    results.Add((childRel, entry.FullName));
            }
        }
        return results.OrderBy(r => r.Rel, StringComparer.Ordinal).Select(r => r.Full);
    }

    /// <summary>Go's filepath.Clean on a slash path, without a leading slash.</summary>
    internal static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/')) // "\\" is an escape in patterns, not a separator
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static Regex Compile(string pattern, string file, int line)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                    {
                        i++;
                        // "**/" matches zero or more whole directories; a trailing or inner "**" anything.
                        if (i + 1 < pattern.Length && pattern[i + 1] == '/') { i++; sb.Append("(.*/)?"); }
                        else sb.Append(".*");
                    }
                    else sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '\\':
                    if (i + 1 >= pattern.Length) throw new FormatException($"{file}:{line}: pattern '{pattern}' ends with an escape character '\\'");
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 2 <= pattern.Length ? i + 2 : i + 1);
                    if (end < 0) throw new FormatException($"{file}:{line}: pattern '{pattern}' has an unclosed '[' character class");
                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('^');
                    if (negate) body = body[1..];
                    if (body.Length == 0) throw new FormatException($"{file}:{line}: pattern '{pattern}' has an empty character class");
                    sb.Append('[').Append(negate ? "^/" : "").Append(body.Replace("\\", "\\\\").Replace("[", "\\[")).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }

    private sealed record Rule(string Pattern, bool Exclusion, Regex Regex);
}
