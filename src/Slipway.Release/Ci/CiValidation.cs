using Slipway.Tooling;

namespace Slipway.Release.Ci;

/// <summary>What checking the generated CI files found: problems (each "FILE: message") and notes (what was not checked, and why).</summary>
public sealed record CiValidationResult(IReadOnlyList<string> Problems, IReadOnlyList<string> Notes);

/// <summary>
/// Validates generated CI files with the real parsers, neither CI being reachable here: GitHub's workflow parser
/// (<c>@actions/workflow-parser</c>) for workflows and GitLab's published CI JSON schema (with ajv) for
/// <c>.gitlab-ci.yml</c>. The npm packages are the ones pinned in tools/npm (<see cref="NpmTools"/>), installed
/// once into <c>toolDirectory</c> (a cache under .nuke/temp) with npm ci. GitLab's schema comes from a directory
/// given by the user (<c>gitlab-ci-YYYY-MM-DD.json</c>, the newest by name), else from the copy the pinned
/// gitlab-ci-local bundles, cut out once.
/// </summary>
public static class CiValidation
{
    /// <summary>The npm package whose bundle carries GitLab's CI schema (4.75.1 was published on 2026-08-21).</summary>
    public static string GitLabSchemaPackage => NpmTools.Spec("gitlab-ci-local");

    public static string? FindGitLabSchema(string? schemaDirectory) =>
        schemaDirectory is not null && Directory.Exists(schemaDirectory)
            ? Directory.EnumerateFiles(schemaDirectory, "gitlab-ci-*.json").OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            : null;

    public static async Task<CiValidationResult> RunAsync(IReadOnlyList<string> githubWorkflows, string? gitlabFile, string? schemaDirectory, string toolDirectory, Action<string> log, CancellationToken ct)
    {
        var notes = new List<string>();
        if (ToolRunner.Which("node") is null || ToolRunner.Which("npm") is null)
            return new([], ["node and npm are not installed, so the generated CI files were NOT validated by GitHub's parser or GitLab's schema; install them with: apt-get install -y nodejs npm"]);
        var scripts = await EnsureToolsAsync(toolDirectory, log, ct);

        var args = new List<string> { "--import", Path.Combine(scripts, "json-import-hook.mjs"), Path.Combine(scripts, "validate-ci.mjs") };
        if (githubWorkflows.Count > 0) args.AddRange(["--github", .. githubWorkflows]);
        if (gitlabFile is not null)
        {
            var schema = FindGitLabSchema(schemaDirectory) ?? await EnsureBundledGitLabSchemaAsync(toolDirectory, scripts, log, ct);
            args.AddRange(["--gitlab", gitlabFile, "--schema", schema]);
            notes.Add($"{Path.GetFileName(gitlabFile)} validated against GitLab's CI schema {schema}");
        }
        var result = await ToolRunner.RunAsync(new ToolInvocation("node", args) { WorkingDirectory = scripts, CaptureStandardOutput = true }, ct);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var problems = lines.Where(l => l.StartsWith("PROBLEM ", StringComparison.Ordinal)).Select(l => l["PROBLEM ".Length..]).ToList();
        if (!result.Succeeded && problems.Count == 0)
            problems.Add($"the CI validator failed: {string.Join(" ", result.Tail).Trim()}");
        return new(problems, notes);
    }

    /// <summary>GitLab's CI schema as bundled by the pinned gitlab-ci-local: the schema literal cut out of its
    /// installed dist/index.js by extract-gitlab-schema.mjs, once per version.</summary>
    private static async Task<string> EnsureBundledGitLabSchemaAsync(string toolDirectory, string scripts, Action<string> log, CancellationToken ct)
    {
        var schema = Path.Combine(scripts, $"gitlab-ci-schema-from-{GitLabSchemaPackage.Replace('@', '-')}.json");
        if (File.Exists(schema)) return schema;
        log($"taking GitLab's CI schema from the npm package {GitLabSchemaPackage} (once)");
        var bundle = Path.Combine(NpmTools.PackageDirectory(toolDirectory, "gitlab-ci-local"), "dist", "index.js");
        var extracted = await ToolRunner.RunAsync(new ToolInvocation("node", [Path.Combine(scripts, "extract-gitlab-schema.mjs"), bundle, schema + ".tmp"]) { CaptureStandardOutput = true }, ct);
        if (!extracted.Succeeded)
            throw new ReleaseException($"GitLab's CI schema could not be taken from {GitLabSchemaPackage}: {string.Join(" ", extracted.Tail).Trim()}; pass --ci-schemas DIR with GitLab's ci.json saved as gitlab-ci-YYYY-MM-DD.json");
        File.Move(schema + ".tmp", schema, overwrite: true);
        return schema;
    }

    /// <summary>The pinned npm tools in <paramref name="toolDirectory"/>, and the validator scripts in its ci-validate/
    /// (node resolves their imports from the node_modules above them).</summary>
    private static async Task<string> EnsureToolsAsync(string toolDirectory, Action<string> log, CancellationToken ct)
    {
        await NpmTools.EnsureAsync(toolDirectory, log, ct);
        var scripts = Path.Combine(toolDirectory, "ci-validate");
        Directory.CreateDirectory(scripts);
        foreach (var name in new[] { "validate-ci.mjs", "json-import-hook.mjs", "extract-gitlab-schema.mjs" })
        {
            await using var resource = typeof(CiValidation).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"resource {name} is missing from Slipway.Release");
            var target = Path.Combine(scripts, name);
            await using (var file = File.Create(target + ".tmp-" + Environment.ProcessId)) await resource.CopyToAsync(file, ct);
            File.Move(target + ".tmp-" + Environment.ProcessId, target, overwrite: true);
        }
        return scripts;
    }
}
