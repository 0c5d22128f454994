using System.Text.RegularExpressions;
using Slipway.Source.Plan;
using Tomlyn.Model;

namespace Slipway.Source.Providers;

/// <summary>
/// Python apps: requirements.txt, pyproject.toml (uv, poetry, pdm, plain), Pipfile, or a main file. Dependencies
/// install into /app/.venv (the dependency layer) from the configured PyPI index; Debian's python 3.11 runs it.
/// </summary>
public sealed partial class PythonProvider : IProvider
{
    public string Name => "python";
    public string LooksFor => "requirements.txt, pyproject.toml, Pipfile, setup.py, main.py/app.py/bot.py/start.py";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        var manifest = app.First("requirements.txt", "pyproject.toml", "Pipfile", "setup.py");
        var main = app.First("main.py", "app.py", "bot.py", "start.py", "server.py", "manage.py");
        if (manifest is null && main is null) return null;
        var decided = new List<string>();
        if (manifest is not null) decided.Add(manifest);
        var deps = Dependencies(app, manifest);
        var pyproject = manifest == "pyproject.toml" ? TomlFile.Read(app, "pyproject.toml") : null;
        string tool = manifest switch
        {
            "pyproject.toml" when app.Exists("uv.lock") => "uv",
            "pyproject.toml" when app.Exists("poetry.lock") || TomlFile.Get(pyproject, "tool", "poetry") is not null => "poetry",
            "pyproject.toml" when app.Exists("pdm.lock") => "pdm",
            "Pipfile" => "pipenv",
            _ => "pip",
        };
        foreach (var l in new[] { "uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock" }.Where(app.Exists)) decided.Add(l);

        var version = app.Read(".python-version")?.Trim() is { Length: > 0 } pv ? new PlanVersion("python", pv, ".python-version")
            : TomlFile.String(pyproject, "project", "requires-python") is { } rp ? new PlanVersion("python", rp, "pyproject.toml requires-python")
            : new PlanVersion("python", "3.11 (Debian)", "default: Debian bookworm's python3");
        if (version.Source == ".python-version") decided.Add(".python-version");

        var index = context.Mirrors.PyPI;
        var install = new List<string>();
        // A pyproject.toml with no dependencies and no build system is a plain app: nothing to install, no index needed
        // (`pip install .` would fetch setuptools from the index for its build isolation).
        var pyprojectPackages = pyproject is not null && (TomlFile.Get(pyproject, "build-system") is not null || TomlFile.Get(pyproject, "tool", "poetry", "packages") is not null);
        if (deps.Count > 0 || manifest is "setup.py" || pyprojectPackages)
        {
            install.Add("python3 -m venv /app/.venv");
            var pip = "/app/.venv/bin/pip install --no-cache-dir --disable-pip-version-check --no-compile" + (index is null ? "" : $" --index-url {index}");
            // Vendored wheels (./wheels) install without any index.
            if (app.DirectoryExists("wheels")) pip += " --no-index --find-links /app/wheels";
            install.Add(manifest switch
            {
                "requirements.txt" => $"{pip} -r requirements.txt",
                "Pipfile" => $"{pip} {string.Join(' ', deps.Select(Shell.Quote))}",
                _ => $"{pip} .",
            });
        }

        string? framework = null;
        string start;
        bool Uses(string name) => deps.Any(d => d.StartsWith(name, StringComparison.OrdinalIgnoreCase)) || (main is not null && Regex.IsMatch(app.Read(main)!, $@"^\s*(from|import)\s+{name}\b", RegexOptions.Multiline | RegexOptions.IgnoreCase));
        if (app.Exists("manage.py") && Uses("django")) { framework = "django"; start = "exec python3 manage.py runserver 0.0.0.0:$PORT --noreload"; decided.Add("manage.py"); }
        else if (Uses("fastapi") && main is not null) { framework = "fastapi"; start = $"exec uvicorn {Path.GetFileNameWithoutExtension(main)}:app --host 0.0.0.0 --port $PORT"; decided.Add(main); }
        else if (Uses("flask") && main is not null) { framework = "flask"; start = $"exec python3 -m flask --app {Path.GetFileNameWithoutExtension(main)} run --host 0.0.0.0 --port $PORT"; decided.Add(main); }
        else if (main is not null) { start = $"exec python3 {main}"; decided.Add(main); }
        else return null;

        return new BuildPlan
        {
            Provider = Name,
            Framework = framework,
            Versions = manifest is null ? [version] : [version, new PlanVersion(tool, "bundled", manifest)],
            BuildBase = "python",
            RuntimeBase = "python-runtime",
            RuntimePackages = ["python3"],
            DependencyFiles = new[] { "requirements.txt", "pyproject.toml", "Pipfile", "Pipfile.lock", "uv.lock", "poetry.lock", "pdm.lock", "setup.py" }.Where(app.Exists)
                .Concat(app.DirectoryExists("wheels") ? ["wheels"] : []).ToList(),
            Install = install,
            Start = start,
            Port = 8000,
            Env = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["PATH"] = "/app/.venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["PYTHONUNBUFFERED"] = "1",
            },
            BuildEnv = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["PYTHONDONTWRITEBYTECODE"] = "1" },
            CacheDirectories = ["/root/.cache/pip"],
            DependencyPaths = [".venv"],
            Registries = deps.Count > 0 && !app.DirectoryExists("wheels") ? [new RegistryNeed("pypi", deps[0])] : [],
            DecidedBy = decided.Distinct().ToList(),
        };
    }

    /// <summary>Dependency names from the manifest (the names matter: they pick the framework and name what needs PyPI).</summary>
    public static List<string> Dependencies(AppFiles app, string? manifest)
    {
        var text = manifest is null ? null : app.Read(manifest);
        if (text is null) return [];
        return manifest switch
        {
            "requirements.txt" => text.Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0 && !l.StartsWith('-')).ToList(),
            "pyproject.toml" => [.. TomlFile.Strings(TomlFile.Read(app, manifest), "project", "dependencies"),
                .. (TomlFile.Get(TomlFile.Read(app, manifest), "tool", "poetry", "dependencies") is TomlTable poetry ? poetry.Keys.Where(k => k != "python") : [])],
            "Pipfile" => TomlFile.Get(TomlFile.Read(app, manifest), "packages") is TomlTable packages ? packages.Keys.ToList() : [],
            _ => [],
        };
    }

}
