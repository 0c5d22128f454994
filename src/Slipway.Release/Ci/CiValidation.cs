using Slipway.Tooling;

namespace Slipway.Release.Ci;

/// <summary>What checking the generated CI files found: problems (each "FILE: message") and notes (what was not checked, and why).</summary>
public sealed record CiValidationResult(IReadOnlyList<string> Problems, IReadOnlyList<string> Notes);

/// <summary>
/// Validates generated CI files with the real parsers, neither CI being reachable here: GitHub's workflow parser
/// (<c>@actions/workflow-parser</c>) for workflows and GitLab's published CI JSON schema (with ajv) for
/// <c>.gitlab-ci.yml</c>. The npm packages are installed once into <c>toolDirectory</c> (a cache under
/// .nuke/temp). GitLab's schema comes from a directory given by the user (<c>gitlab-ci-YYYY-MM-DD.json</c>, the
/// newest by name), else from the copy the npm package gitlab-ci-local bundles (pinned below), cut out once.
/// </summary>
public static class CiValidation
{
    /// <summary>Exact versions: a parser update must be a deliberate change, not a surprise in CI.</summary>
    public static readonly string[] Packages = ["@actions/workflow-parser@0.3.61", "ajv@8.20.0", "yaml@2.9.1"];

    /// <summary>The npm package whose bundle carries GitLab's CI schema (4.75.1 was published on 2026-08-21).</summary>
    public const string GitLabSchemaPackage = "gitlab-ci-local@4.75.1";

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
            var schema = FindGitLabSchema(schemaDirectory) ?? await EnsureBundledGitLabSchemaAsync(toolDirectory, log, ct);
            args.AddRange(["--gitlab", gitlabFile, "--schema", schema]);
            notes.Add($"{Path.GetFileName(gitlabFile)} validated against GitLab's CI schema {schema}");
        }
        var result = await ToolRunner.RunAsync(new ToolInvocation("node", args) { WorkingDirectory = toolDirectory, CaptureStandardOutput = true }, ct);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var problems = lines.Where(l => l.StartsWith("PROBLEM ", StringComparison.Ordinal)).Select(l => l["PROBLEM ".Length..]).ToList();
        if (!result.Succeeded && problems.Count == 0)
            problems.Add($"the CI validator failed: {string.Join(" ", result.Tail).Trim()}");
        return new(problems, notes);
    }

    /// <summary>GitLab's CI schema as bundled by <see cref="GitLabSchemaPackage"/>: npm pack (no install, no
    /// dependencies), then the schema literal cut out of its dist/index.js by extract-gitlab-schema.mjs.</summary>
    private static async Task<string> EnsureBundledGitLabSchemaAsync(string dir, Action<string> log, CancellationToken ct)
    {
        var schema = Path.Combine(dir, $"gitlab-ci-schema-from-{GitLabSchemaPackage.Replace('@', '-')}.json");
        if (File.Exists(schema)) return schema;
        log($"taking GitLab's CI schema from the npm package {GitLabSchemaPackage} (once)");
        var pack = Path.Combine(dir, "gitlab-ci-local-pack");
        if (Directory.Exists(pack)) Directory.Delete(pack, true);
        Directory.CreateDirectory(pack);
        var packed = await ToolRunner.RunAsync(new ToolInvocation("npm", ["pack", GitLabSchemaPackage, "--silent", "--pack-destination", pack]) { CaptureStandardOutput = true }, ct);
        var tarball = Directory.GetFiles(pack, "*.tgz").FirstOrDefault();
        if (!packed.Succeeded || tarball is null)
            throw new ReleaseException($"'npm pack {GitLabSchemaPackage}' failed in {pack}: {string.Join(" ", packed.Tail).Trim()}; check that the npm registry is reachable (npm config get registry), or pass --ci-schemas DIR with GitLab's ci.json saved as gitlab-ci-YYYY-MM-DD.json");
        await ToolRunner.RunAsync(new ToolInvocation("tar", ["-xzf", tarball, "-C", pack, "package/dist/index.js"]), ct);
        var extracted = await ToolRunner.RunAsync(new ToolInvocation("node", [Path.Combine(dir, "extract-gitlab-schema.mjs"), Path.Combine(pack, "package/dist/index.js"), schema + ".tmp"]) { CaptureStandardOutput = true }, ct);
        if (!extracted.Succeeded)
            throw new ReleaseException($"GitLab's CI schema could not be taken from {GitLabSchemaPackage}: {string.Join(" ", extracted.Tail).Trim()}; pass --ci-schemas DIR with GitLab's ci.json saved as gitlab-ci-YYYY-MM-DD.json");
        File.Move(schema + ".tmp", schema, overwrite: true);
        Directory.Delete(pack, true);
        return schema;
    }

    private static async Task EnsureToolsAsync(string dir, Action<string> log, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        foreach (var name in new[] { "validate-ci.mjs", "json-import-hook.mjs", "extract-gitlab-schema.mjs" })
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
