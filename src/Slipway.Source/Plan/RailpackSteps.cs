using System.Text.Json;
using Slipway.Source.Providers;

namespace Slipway.Source.Plan;

/// <summary>
/// Railpack's step commands as the shell commands of a plan: a string is a command (<c>"..."</c> the provider's
/// own), <c>{"cmd": …}</c> too; <c>{"src", "dest"}</c> copies from the app's files, <c>{"path"}</c> puts a
/// directory on PATH for the step's later commands. Paths from the file enter the commands only quoted, and a
/// source path must stay inside the app. Copies from images and asset files are refused in one line (images are
/// not pulled here).
/// </summary>
public static class RailpackSteps
{
    public static IReadOnlyList<string> Commands(JsonElement list, string at, AppFiles app)
    {
        var result = new List<string>();
        var path = new List<string>();
        var i = 0;
        foreach (var c in list.EnumerateArray())
        {
            var here = $"{at}[{i++}]";
            string? command = c.ValueKind switch
            {
                JsonValueKind.String => c.GetString(),
                JsonValueKind.Object when (Str(c, "cmd") ?? Str(c, "command")) is { } cmd => cmd,
                JsonValueKind.Object when Str(c, "src") is { } src => Copy(c, src, here, app),
                JsonValueKind.Object when Str(c, "path") is { } dir && !c.TryGetProperty("name", out _) => AddPath(path, dir, here),
                _ => throw new FormatException($"{here}: not a command this builder runs; valid forms: \"shell command\", {{\"cmd\": \"…\"}}, {{\"src\": \"from\", \"dest\": \"to\"}} (a copy from the app), {{\"path\": \"/dir\"}} (asset files and copies from images are not supported)"),
            };
            if (command is null || command.Length == 0) continue;
            if (command == "...") { result.Add(command); continue; }
            result.Add(path.Count == 0 ? command : $"export PATH={string.Join(':', path.Select(Shell.Quote))}:\"$PATH\"; {command}");
        }
        return result;
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? AddPath(List<string> path, string dir, string at)
    {
        if (dir.Length is 0 or > 4096 || dir.Any(char.IsControl) || !dir.StartsWith('/'))
            throw new FormatException($"{at}: path '{Shell.Printable(dir)}' must be an absolute directory, e.g. /usr/games");
        path.Insert(0, dir);
        return null;
    }

    /// <summary>A copy from the app's files (already at /app in the build stage) to a path of the stage.</summary>
    private static string? Copy(JsonElement c, string src, string at, AppFiles app)
    {
        if (c.TryGetProperty("image", out _))
            throw new FormatException($"{at}: a copy from an image is not supported (images are not pulled by this builder); copy from the app's files, or use a Dockerfile");
        var dest = Str(c, "dest") ?? src;
        var from = Normal(src, at, "src", relativeOnly: true);
        var to = Normal(dest, at, "dest", relativeOnly: false);
        // The app's files are at /app before the build: the same path is already in place.
        if (from == to) return null;
        var isDir = from == "." || app.DirectoryExists(from);
        return $"mkdir -p -- {Shell.Quote(Path.GetDirectoryName(to.TrimEnd('/')) is { Length: > 0 } parent ? parent : ".")} && cp -a -- {Shell.Quote(from)}{(isDir ? "/." : "")} {Shell.Quote(to)}";
    }

    private static string Normal(string value, string at, string key, bool relativeOnly)
    {
        var parts = value.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (value.Length is 0 or > 4096 || value.Any(char.IsControl) || parts.Contains("..") || (relativeOnly && value.StartsWith('/')))
            throw new FormatException($"{at}: {key} '{Shell.Printable(value)}' must be a path {(relativeOnly ? "inside the app (relative, no ..)" : "without .. or control characters")}");
        var joined = string.Join('/', parts);
        return value.StartsWith('/') ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
