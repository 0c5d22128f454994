using System.Text;
using System.Text.RegularExpressions;
using Slipway.Tooling;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Source.Providers;

/// <summary>
/// How a static site is served, for the static provider and Node's static builds (SPAs). busybox httpd (1 MB) serves
/// a directory; Caddy (Debian's caddy, the <c>caddy-runtime</c> base: 24 MB compressed) serves it when the site asks
/// for what httpd cannot do: its own <c>Caddyfile</c> (or <c>Caddyfile.template</c>), or an index fallback (unknown
/// paths answer <c>index.html</c>, for client-side routers). As on Railpack: a Node SPA falls back by default, a
/// plain static site does not; a Staticfile's <c>index_fallback: true|false</c> decides for both.
/// </summary>
public static partial class StaticServer
{
    /// <summary>Where the rendered Caddyfile goes, relative to /app (in the app layer).</summary>
    public const string CaddyfilePath = ".slipway/Caddyfile";
    public const string CaddyBase = "caddy-runtime";
    public const string HttpdBase = "busybox";

    /// <summary>What serving a site puts in a plan.</summary>
    public sealed record Serving(string RuntimeBase, IReadOnlyList<string> RuntimePackages, string Start, int Port,
        IReadOnlyDictionary<string, string>? Files, IReadOnlyDictionary<string, string> Env, IReadOnlyList<string> DecidedBy);

    /// <summary>A Staticfile's settings (YAML): <c>root</c> and <c>index_fallback</c>; null where it says nothing.</summary>
    public sealed record Staticfile(string? Root, bool? IndexFallback);

    /// <summary>The app's Staticfile, or null when it has none; a malformed one is one line naming the file and line.</summary>
    public static Staticfile? ReadStaticfile(AppFiles app)
    {
        if (app.Read("Staticfile") is not { } text) return null;
        if (text.Trim().Length == 0) return new Staticfile(null, null);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            throw new FormatException($"Staticfile:{(e is YamlException y ? y.Start.Line : 1)}: not YAML ({e.Message.Split('\n')[0]}); write lines like `root: dist` and `index_fallback: true`");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return new Staticfile(null, null);
        if (stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new FormatException("Staticfile:1: must be a mapping; write lines like `root: dist` and `index_fallback: true`");
        string? root = null;
        bool? fallback = null;
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value;
            var value = (v as YamlScalarNode)?.Value?.Trim();
            switch (key)
            {
                case "root":
                    root = value is { Length: > 0 } ? value : null;
                    break;
                case "index_fallback":
                    fallback = value?.ToLowerInvariant() switch
                    {
                        "true" or "yes" or "on" => true,
                        "false" or "no" or "off" => false,
                        _ => throw new FormatException($"Staticfile:{k.Start.Line}: index_fallback '{Shell.Printable(value ?? "")}' must be true or false"),
                    };
                    break;
                // Other buildpacks' Staticfile keys (gzip, directory, …) are not Slipway's to refuse.
            }
        }
        return new Staticfile(root, fallback);
    }

    /// <summary>
    /// Serving <paramref name="root"/> (relative to /app): busybox httpd, or Caddy with the site's Caddyfile (rendered)
    /// or Slipway's own when it has a Caddyfile or falls back to index.html.
    /// </summary>
    public static Serving For(AppFiles app, string root, bool fallbackByDefault)
    {
        var dir = SiteDirectory(root);
        var decided = new List<string>();
        var staticfile = ReadStaticfile(app);
        var fallback = staticfile?.IndexFallback ?? fallbackByDefault;
        if (staticfile?.IndexFallback is not null) decided.Add("Staticfile index_fallback");
        var templateFile = app.First("Caddyfile.template", "Caddyfile");
        if (templateFile is null && !fallback)
            return new Serving(HttpdBase, ["busybox-static"], $"exec httpd -f -v -p ${{PORT}} -h {Shell.Quote(dir)}", 8080,
                null, new SortedDictionary<string, string>(StringComparer.Ordinal), decided);
        if (templateFile is not null)
        {
            // Its text goes into the image: a symlink out of the repository would copy the builder's file there.
            if (PathContainment.ResolveInside(app.Directory, templateFile) is null)
                throw new FormatException($"{templateFile}: is a symlink out of the repository; commit the Caddyfile itself");
            decided.Add(templateFile);
        }
        var caddyfile = Render(templateFile is null ? DefaultCaddyfile : app.Read(templateFile)!, templateFile ?? "Slipway's Caddyfile",
            new Dictionary<string, object>(StringComparer.Ordinal) { ["DIST_DIR"] = dir, ["StaticFileRoot"] = dir, ["IndexFallback"] = fallback });
        return new Serving(CaddyBase, ["caddy"], $"exec caddy run --config /app/{CaddyfilePath} --adapter caddyfile 2>&1", 8080,
            new SortedDictionary<string, string>(StringComparer.Ordinal) { [CaddyfilePath] = caddyfile },
            // Caddy keeps its data and config under these; the app user can write /tmp only.
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["XDG_CONFIG_HOME"] = "/tmp/caddy", ["XDG_DATA_HOME"] = "/tmp/caddy" },
            decided);
    }

    /// <summary>The served directory as an absolute path under /app; a root outside /app or with odd characters is refused.</summary>
    public static string SiteDirectory(string root)
    {
        var r = root.Trim().Trim('/');
        while (r.StartsWith("./", StringComparison.Ordinal)) r = r[2..];
        if (r is "." or "") return "/app";
        if (r.Split('/').Any(p => p == "..") || !r.All(c => char.IsAsciiLetterOrDigit(c) || "-_./@+".Contains(c)))
            throw new FormatException($"static root '{Shell.Printable(root)}' is not a directory under the app (letters, digits, - _ . / @ +, no '..'); name one like `root: dist`");
        return "/app/" + r.TrimEnd('/');
    }

    /// <summary>Slipway's Caddyfile: the site on $PORT, dot-files hidden, compressed, index fallback when asked for (Caddy 2.6: no persist_config).</summary>
    private const string DefaultCaddyfile = """
        {
        	admin off
        	auto_https off
        }

        :{$PORT:8080} {
        	root * {{.DIST_DIR}}
        	encode zstd gzip
        	try_files {path} {path}.html {path}/index.html{{if .IndexFallback}} /index.html{{end}}
        	file_server {
        		hide .git .env*
        	}
        }

        """;

    /// <summary>
    /// A Caddyfile template as Railpack renders one (Go text/template): <c>{{.NAME}}</c> and
    /// <c>{{if .NAME}}…{{else}}…{{end}}</c> on the known names; any other action is one line naming the file and line.
    /// </summary>
    public static string Render(string template, string file, IReadOnlyDictionary<string, object> values)
    {
        var output = new StringBuilder();
        // Each open {{if}}: whether its branch being read is taken, and whether the enclosing text is emitted.
        var stack = new Stack<(bool Taken, bool Outer)>();
        var emitting = true;
        var at = 0;
        foreach (Match m in TemplateAction().Matches(template))
        {
            if (emitting) output.Append(template, at, m.Index - at);
            at = m.Index + m.Length;
            var action = m.Groups[1].Value.Trim();
            var line = template[..m.Index].Count(c => c == '\n') + 1;
            FormatException Bad(string why) => new($"{file}:{line}: {why}; a Caddyfile template may use {string.Join(", ", values.Keys.Select(k => "{{." + k + "}}"))} and {{{{if .NAME}}}}…{{{{else}}}}…{{{{end}}}}");
            object Value(string name) => name.StartsWith('.') && values.TryGetValue(name[1..], out var v) ? v : throw Bad($"'{{{{{Shell.Printable(action)}}}}}' names no known value");
            if (action.StartsWith("if ", StringComparison.Ordinal))
            {
                var taken = Value(action[3..].Trim()) is true or string { Length: > 0 };
                stack.Push((taken, emitting));
                emitting = emitting && taken;
            }
            else if (action == "else")
            {
                if (stack.Count == 0) throw Bad("{{else}} outside {{if}}");
                var (taken, outer) = stack.Pop();
                stack.Push((!taken, outer));
                emitting = outer && !taken;
            }
            else if (action == "end")
            {
                if (stack.Count == 0) throw Bad("{{end}} without {{if}}");
                emitting = stack.Pop().Outer;
            }
            else if (emitting) output.Append(Value(action) is bool b ? (b ? "true" : "false") : Value(action).ToString());
            else _ = Value(action);
        }
        if (stack.Count > 0) throw new FormatException($"{file}: an {{{{if}}}} has no {{{{end}}}}");
        if (emitting) output.Append(template, at, template.Length - at);
        return output.ToString();
    }

    [GeneratedRegex(@"\{\{-?\s*(.*?)\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex TemplateAction();
}
