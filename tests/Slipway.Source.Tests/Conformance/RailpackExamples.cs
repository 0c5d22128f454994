using System.Text;
using System.Text.Json;

namespace Slipway.Source.Tests.Conformance;

/// <summary>
/// Railpack's own example apps (peer-examples/railpack, copied with their MIT notice) and the committed
/// classification (peer-examples/railpack-conformance.tsv): for each example whether it passes here, fails (and
/// why), or cannot run on this machine (and why). The docs table in docs/source.md is generated from it.
/// </summary>
public static class RailpackExamples
{
    public static string SourceDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Slipway.Source.Tests.csproj"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("tests/Slipway.Source.Tests not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Root => Path.Combine(SourceDirectory, "peer-examples", "railpack");
    public static string ClassificationFile => Path.Combine(SourceDirectory, "peer-examples", "railpack-conformance.tsv");
    public static string DocsFile => Path.GetFullPath(Path.Combine(SourceDirectory, "..", "..", "docs", "source.md"));

    public static IReadOnlyList<string> Examples =>
        Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "test.json"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();

    /// <summary>One row: status is pass, fail (runnable here, does not pass yet), untested (runnable here, not yet run on a machine with the time for it), blocked (its inputs cannot be reached here) or unsupported (no provider for its language).</summary>
    public sealed record Row(string Example, string Status, bool Default, string Reason);

    public static readonly string[] Statuses = ["pass", "fail", "untested", "blocked", "unsupported"];

    public static IReadOnlyList<Row> Classification()
    {
        var rows = new List<Row>();
        var n = 0;
        foreach (var line in File.ReadAllLines(ClassificationFile))
        {
            n++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            if (f.Length != 4 || !Statuses.Contains(f[1]) || f[2] is not ("default" or "full" or "-"))
                throw new FormatException($"{ClassificationFile}:{n}: want 'example<TAB>{string.Join('|', Statuses)}<TAB>default|full|-<TAB>reason'");
            rows.Add(new Row(f[0], f[1], f[2] == "default", f[3]));
        }
        return rows;
    }

    /// <summary>The generated docs section (between the markers in docs/source.md).</summary>
    public static string Table()
    {
        var rows = Classification();
        var sb = new StringBuilder();
        int Count(string s) => rows.Count(r => r.Status == s);
        var measured = Count("pass") + Count("fail");
        sb.Append($"{rows.Count} examples: {measured + Count("untested")} runnable here: {Count("pass")} pass, {Count("fail")} fail for the reason given, {Count("untested")} not run yet (pass rate over the classified: {(measured == 0 ? 0 : 100 * Count("pass") / measured)} %); ")
          .Append($"{Count("blocked")} cannot run here (their inputs are out of reach), {Count("unsupported")} need a language Slipway has no provider for.\n")
          .Append("`pass` rows marked `default` run in `./build.sh Test`; `SLIPWAY_RAILPACK_EXAMPLES=default` runs every `default` row whatever its status, `=all` every `pass` and `untested` row, `=NAME,...` those examples.\n\n")
          .Append("| example | status | runs | reason |\n| --- | --- | --- | --- |\n");
        foreach (var r in rows.OrderBy(r => Array.IndexOf(Statuses, r.Status)).ThenBy(r => r.Example, StringComparer.Ordinal))
            sb.Append($"| {r.Example} | {r.Status} | {(r.Status is "pass" or "untested" ? (r.Default ? "default" : "all") : "")} | {r.Reason.Replace("|", "\\|")} |\n");
        return sb.ToString();
    }

    public const string BeginMarker = "<!-- BEGIN GENERATED: railpack conformance (tests/Slipway.Source.Tests/peer-examples/railpack-conformance.tsv; SLIPWAY_UPDATE_DOCS=1 rewrites it) -->";
    public const string EndMarker = "<!-- END GENERATED: railpack conformance -->";

    /// <summary>The cases of an example's test.json (JSON with comments and trailing commas, like Railpack reads it).</summary>
    public static IReadOnlyList<TestCase> Cases(string example)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, example, "test.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.EnumerateArray().Select(TestCase.From).ToList();
    }
}

/// <summary>One entry of a test.json: what the running image must print or answer.</summary>
public sealed record TestCase
{
    public IReadOnlyList<string> ExpectedOutput { get; init; } = [];
    public IReadOnlyDictionary<string, string> Envs { get; init; } = new Dictionary<string, string>();
    public string? ConfigFile { get; init; }
    public bool ShouldFail { get; init; }
    public string? Platform { get; init; }
    public HttpCheck? Http { get; init; }

    public sealed record HttpCheck(string Path, int Expected, IReadOnlyList<string> ExpectedOutput);

    private static IReadOnlyList<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().Select(x => x.GetString()!).ToList(),
        _ => [],
    };

    public static TestCase From(JsonElement e)
    {
        string? S(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new TestCase
        {
            ExpectedOutput = e.TryGetProperty("expectedOutput", out var o) ? Strings(o) : [],
            Envs = e.TryGetProperty("envs", out var env) ? env.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()) : new Dictionary<string, string>(),
            ConfigFile = S("configFile"),
            ShouldFail = e.TryGetProperty("shouldFail", out var f) && f.ValueKind == JsonValueKind.True,
            Platform = S("platform"),
            Http = e.TryGetProperty("httpCheck", out var h)
                ? new HttpCheck(h.TryGetProperty("path", out var p) ? p.GetString()! : "/", h.TryGetProperty("expected", out var x) ? x.GetInt32() : 200,
                    h.TryGetProperty("expectedOutput", out var ho) ? Strings(ho) : [])
                : null,
        };
    }
}
