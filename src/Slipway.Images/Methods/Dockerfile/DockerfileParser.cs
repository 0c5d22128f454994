using System.Text.RegularExpressions;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>One logical Dockerfile instruction (continuations joined) with the line it starts on.</summary>
public sealed record DockerfileInstruction(string Keyword, string Arguments, int Line);

/// <summary>A <c>FROM</c>: the image as written, after ARG substitution, and the stage name it declares.</summary>
public sealed record DockerfileStage(string From, string? Name, int Line, string? Platform);

/// <summary>What Slipway needs to know about a Dockerfile before building it.</summary>
public sealed record DockerfileInfo(string Path, IReadOnlyList<DockerfileInstruction> Instructions, IReadOnlyList<DockerfileStage> Stages, string? Version)
{
    /// <summary>
    /// Images the build pulls: every FROM that is neither <c>scratch</c> nor an earlier stage, plus
    /// <c>COPY --from=image</c> sources that are not stages. Distinct, in order of appearance.
    /// </summary>
    public IReadOnlyList<string> BaseImages
    {
        get
        {
            var stageNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var bases = new List<string>();
            var stageIndex = 0;
            foreach (var i in Instructions)
            {
                if (i.Keyword == "FROM")
                {
                    var stage = Stages[stageIndex++];
                    if (!stage.From.Equals("scratch", StringComparison.OrdinalIgnoreCase) && !stageNames.Contains(stage.From) && !bases.Contains(stage.From))
                        bases.Add(stage.From);
                    if (stage.Name is not null) stageNames.Add(stage.Name);
                }
                else if (i.Keyword is "COPY" or "ADD" && DockerfileParser.FlagValue(i.Arguments, "from") is { } from)
                {
                    if (!int.TryParse(from, out _) && !stageNames.Contains(from) && !bases.Contains(from)) bases.Add(from);
                }
            }
            return bases;
        }
    }
}

/// <summary>
/// A small Dockerfile reader: logical lines (escape-character continuations, comments, the <c># escape=</c>
/// directive), FROM stages with global-ARG substitution and the <c>CONTAINER_APP_VERSION</c> ARG.
/// It is not a full parser: heredocs and JSON forms are carried as text, which is all discovery needs.
/// </summary>
public static partial class DockerfileParser
{
    public const string VersionArg = "CONTAINER_APP_VERSION";

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"\$(\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>:?[-+])?(?<word>[^}]*)\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();

    public static bool IsValidVersion(string version) => VersionPattern().IsMatch(version);

    /// <summary>Parses <paramref name="path"/>; <paramref name="displayPath"/> (e.g. repo-relative) names it in errors.</summary>
    public static DockerfileInfo ParseFile(string path, string? displayPath = null, IReadOnlyDictionary<string, string>? buildArgs = null) =>
        Parse(File.ReadAllText(path), displayPath ?? path, buildArgs);

    public static DockerfileInfo Parse(string text, string displayPath, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var instructions = ReadInstructions(text);
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<DockerfileStage>();
        string? version = null;
        int versionLine = 0;
        int? bareVersionLine = null;
        foreach (var i in instructions)
        {
            if (i.Keyword == "ARG")
            {
                foreach (var (name, value) in ParseArgs(i.Arguments))
                {
                    if (name == VersionArg)
                    {
                        // A bare "ARG CONTAINER_APP_VERSION" in a stage re-declares the global one (Docker's scoping).
                        if (value is null) { bareVersionLine ??= i.Line; continue; }
                        if (!IsValidVersion(value))
                            throw new FormatException($"{displayPath}:{i.Line}: ARG {VersionArg}='{value}' is not a version X.Y.Z of three numbers without leading zeros (e.g. {VersionArg}=1.4.0)");
                        if (version is not null && version != value)
                            throw new FormatException($"{displayPath}:{i.Line}: ARG {VersionArg}={value} contradicts {VersionArg}={version} on line {versionLine}; declare one version");
                        version = value;
                        versionLine = i.Line;
                    }
                    // ARGs before the first FROM are the ones FROM lines can use.
                    if (stages.Count == 0)
                        globalArgs[name] = buildArgs?.GetValueOrDefault(name) ?? value ?? "";
                }
            }
            else if (i.Keyword == "FROM")
            {
                var words = SplitWords(i.Arguments);
                string? platform = null;
                var rest = new List<string>();
                foreach (var w in words)
                {
                    if (w.StartsWith("--platform=", StringComparison.Ordinal)) platform = w["--platform=".Length..];
                    else if (w.StartsWith("--", StringComparison.Ordinal)) continue;
                    else rest.Add(w);
                }
                if (rest.Count is not (1 or 3) || rest.Count == 3 && !rest[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
                    throw new FormatException($"{displayPath}:{i.Line}: FROM must be 'FROM [--platform=P] IMAGE [AS NAME]', got 'FROM {i.Arguments}'");
                var image = Substitute(rest[0], globalArgs);
                if (image.Length == 0)
                    throw new FormatException($"{displayPath}:{i.Line}: FROM '{rest[0]}' expands to an empty image name; give the ARG a default or pass it in buildArgs");
                stages.Add(new DockerfileStage(image, rest.Count == 3 ? rest[2] : null, i.Line, platform is null ? null : Substitute(platform, globalArgs)));
            }
        }
        if (version is null && bareVersionLine is { } bare)
            throw new FormatException($"{displayPath}:{bare}: ARG {VersionArg} has no value; write it as ARG {VersionArg}=X.Y.Z (e.g. {VersionArg}=1.0.0), usually before the first FROM");
        if (stages.Count == 0) throw new FormatException($"{displayPath}: has no FROM instruction; a Dockerfile starts with e.g. 'FROM debian:bookworm-slim'");
        return new DockerfileInfo(displayPath, instructions, stages, version);
    }

    /// <summary>Logical instructions: continuation lines joined, comments and empty lines dropped.</summary>
    public static IReadOnlyList<DockerfileInstruction> ReadInstructions(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var escape = '\\';
        var result = new List<DockerfileInstruction>();
        var directivesOpen = true;
        var current = new System.Text.StringBuilder();
        var startLine = 0;
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var trimmed = line.TrimStart();
            if (current.Length == 0)
            {
                if (directivesOpen && trimmed.StartsWith('#'))
                {
                    var m = Regex.Match(trimmed, @"^#\s*escape\s*=\s*(\S)\s*$", RegexOptions.IgnoreCase);
                    if (m.Success) { escape = m.Groups[1].Value[0]; continue; }
                    if (Regex.IsMatch(trimmed, @"^#\s*[a-zA-Z]+\s*=")) continue; // other directives (syntax=, check=)
                }
                directivesOpen = false;
                if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
                startLine = n + 1;
            }
            else if (trimmed.StartsWith('#') || trimmed.Length == 0)
                continue; // comments and blank lines inside a continuation are dropped, as Docker does
            var body = line.TrimEnd();
            if (body.EndsWith(escape))
            {
                current.Append(body[..^1]);
                continue;
            }
            current.Append(body);
            Add(current.ToString(), startLine);
            current.Clear();
        }
        if (current.Length > 0) Add(current.ToString(), startLine);
        return result;

        void Add(string logical, int line)
        {
            logical = logical.Trim();
            var space = logical.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? logical : logical[..space]).ToUpperInvariant();
            var args = space < 0 ? "" : logical[(space + 1)..].Trim();
            result.Add(new DockerfileInstruction(keyword, args, line));
        }
    }

    /// <summary><c>ARG a=1 b</c> → (a, "1"), (b, null); quotes around values are removed.</summary>
    public static IEnumerable<(string Name, string? Value)> ParseArgs(string arguments)
    {
        foreach (var word in SplitWords(arguments))
        {
            var eq = word.IndexOf('=');
            if (eq < 0) { yield return (word, null); continue; }
            yield return (word[..eq], Unquote(word[(eq + 1)..]));
        }
    }

    /// <summary>The value of <c>--name=value</c> among the leading flags of an instruction, or null.</summary>
    public static string? FlagValue(string arguments, string name)
    {
        foreach (var w in SplitWords(arguments))
        {
            if (!w.StartsWith("--", StringComparison.Ordinal)) break;
            if (w.StartsWith($"--{name}=", StringComparison.Ordinal)) return Unquote(w[(name.Length + 3)..]);
        }
        return null;
    }

    /// <summary>Expands <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c> and <c>${VAR:+alt}</c>.</summary>
    public static string Substitute(string value, IReadOnlyDictionary<string, string> variables) =>
        VariablePattern().Replace(value, m =>
        {
            var name = m.Groups["bare"].Success ? m.Groups["bare"].Value : m.Groups["name"].Value;
            var has = variables.TryGetValue(name, out var v);
            var op = m.Groups["op"].Value;
            var word = m.Groups["word"].Value;
            return op switch
            {
                ":-" => has && !string.IsNullOrEmpty(v) ? v! : word,
                "-" => has ? v! : word,
                ":+" => has && !string.IsNullOrEmpty(v) ? word : "",
                "+" => has ? word : "",
                _ => v ?? "",
            };
        });

    private static List<string> SplitWords(string s)
    {
        var words = new List<string>();
        var sb = new System.Text.StringBuilder();
        char quote = '\0';
        foreach (var c in s)
        {
            if (quote != '\0') { sb.Append(c); if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') { quote = c; sb.Append(c); continue; }
            if (char.IsWhiteSpace(c)) { if (sb.Length > 0) { words.Add(sb.ToString()); sb.Clear(); } continue; }
            sb.Append(c);
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }

    private static string Unquote(string v) =>
        v.Length >= 2 && (v[0] == '"' && v[^1] == '"' || v[0] == '\'' && v[^1] == '\'') ? v[1..^1] : v;
}
