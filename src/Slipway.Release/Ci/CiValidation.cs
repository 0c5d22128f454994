using Slipway.Tooling;

namespace Slipway.Release.Ci;

/// <summary>What checking the generated CI files found: problems (each "FILE: message") and notes (what was not checked, and why).</summary>
public sealed record CiValidationResult(IReadOnlyList<string> Problems, IReadOnlyList<string> Notes);

/// <summary>
/// Validates generated CI files with the real parsers, neither CI being reachable here: GitHub's workflow parser
/// (<c>@actions/workflow-parser</c>) for workflows and GitLab's published CI JSON schema (with ajv) for
/// <c>.gitlab-ci.yml</c>. The npm packages are installed once into <c>toolDirectory</c> (a cache under
/// .nuke/temp). The schema is a dated copy kept outside the repository (<c>gitlab-ci-YYYY-MM-DD.json</c>, the
/// newest by name is used); without one, the GitLab file is not validated and the result says so.
/// </summary>
public static class CiValidation
{
    /// <summary>Exact versions: a parser update must be a deliberate change, not a surprise in CI.</summary>
    public static readonly string[] Packages = ["@actions/workflow-parser@0.3.61", "ajv@8.20.0", "yaml@2.9.1"];

    public static string? FindGitLabSchema(string? schemaDirectory) =>
        schemaDirectory is not null && Directory.Exists(schemaDirectory)
            ? Directory.EnumerateFiles(schemaDirectory, "gitlab-ci-*.json").OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            : null;

    public static async Task<CiValidationResult> RunAsync(IReadOnlyList<string> githubWorkflows, string? gitlabFile, string? schemaDirectory, string toolDirectory, Action<string> log, CancellationToken ct)
    {
        var notes = new List<string>();
        if (ToolRunner.Which("node") is null || ToolRunner.Which("npm") is null)
            return new([], ["node and npm are not installed, so the generated CI files were NOT validated by GitHub's parser or GitLab's schema; install them with: apt-get install -y nodejs npm"]);
        await EnsureToolsAsync(toolDirectory, log, ct);

        var args = new List<string> { "--import", Path.Combine(toolDirectory, "json-import-hook.mjs"), Path.Combine(toolDirectory, "validate-ci.mjs") };
        if (githubWorkflows.Count > 0) args.AddRange(["--github", .. githubWorkflows]);
        if (gitlabFile is not null)
        {
            if (FindGitLabSchema(schemaDirectory) is { } schema)
            {
                args.AddRange(["--gitlab", gitlabFile, "--schema", schema]);
                notes.Add($"{Path.GetFileName(gitlabFile)} validated against GitLab's CI schema {schema}");
            }
            else
                notes.Add($"{Path.GetFileName(gitlabFile)} was NOT validated: no GitLab CI schema (gitlab-ci-YYYY-MM-DD.json) in {schemaDirectory ?? "(no --ci-schemas directory)"}; put GitLab's app/assets/javascripts/editor/schema/ci.json there under that name, or pass --ci-schemas DIR");
        }
        var result = await ToolRunner.RunAsync(new ToolInvocation("node", args) { WorkingDirectory = toolDirectory, CaptureStandardOutput = true }, ct);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var problems = lines.Where(l => l.StartsWith("PROBLEM ", StringComparison.Ordinal)).Select(l => l["PROBLEM ".Length..]).ToList();
        if (!result.Succeeded && problems.Count == 0)
            problems.Add($"the CI validator failed: {string.Join(" ", result.Tail).Trim()}");
        return new(problems, notes);
    }

    private static async Task EnsureToolsAsync(string dir, Action<string> log, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        foreach (var name in new[] { "validate-ci.mjs", "json-import-hook.mjs" })
        {
            await using var resource = typeof(CiValidation).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"resource {name} is missing from Slipway.Release");
            await using var file = File.Create(Path.Combine(dir, name));
            await resource.CopyToAsync(file, ct);
        }
        var stamp = Path.Combine(dir, "installed.txt");
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, ct) == string.Join('\n', Packages)) return;
        log($"installing {string.Join(", ", Packages)} into {dir} (once; npm)");
        var r = await ToolRunner.RunAsync(new ToolInvocation("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save", "--silent", .. Packages]) { CaptureStandardOutput = true }, ct);
        if (!r.Succeeded)
            throw new ReleaseException($"'npm install {string.Join(' ', Packages)}' failed in {dir}: {string.Join(" ", r.Tail).Trim()}; check that the npm registry is reachable (npm config get registry)");
        await File.WriteAllTextAsync(stamp, string.Join('\n', Packages), ct);
    }
}
