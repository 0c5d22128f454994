using System.Text.Json;
using Slipway.Source.Plan;

namespace Slipway.Source.Providers;

/// <summary>
/// PHP apps without Composer dependencies (<c>index.php</c>, or a <c>composer.json</c> that requires only PHP and
/// its extensions): Debian bookworm's php-cli 8.2 on the <c>php</c> base, serving /app with PHP's built-in server on
/// $PORT (several workers). <c>require.php</c> must accept 8.2. Packages from Packagist are not reachable here:
/// such an app is refused in one line.
/// </summary>
public sealed class PhpProvider : IProvider
{
    /// <summary>The PHP Debian bookworm ships (php-cli → php8.2-cli).</summary>
    public const string DebianPhp = "8.2";
    /// <summary>The 8.2 release ranges are checked against: the one the Debian mirror gave here (security updates follow).</summary>
    private static readonly Semver.SemVersion DebianPhpRelease = new(8, 2, 32);

    public string Name => "php";
    public string LooksFor => "index.php or composer.json";

    public BuildPlan? Detect(AppFiles app, PlanContext context)
    {
        var composer = app.Json("composer.json");
        if (composer is null && !app.Exists("index.php")) return null;
        var decided = new List<string>();
        var versionSource = "default: Debian bookworm";
        if (composer is { ValueKind: JsonValueKind.Object } c)
        {
            decided.Add("composer.json");
            if (c.TryGetProperty("require", out var require) && require.ValueKind == JsonValueKind.Object)
                foreach (var r in require.EnumerateObject())
                {
                    if (r.Name == "php")
                    {
                        var range = Shell.VersionSpec(r.Value.ToString(), "composer.json require.php");
                        // Composer's "|" is npm's "||".
                        if (!NpmVersions.Satisfies(System.Text.RegularExpressions.Regex.Replace(range, @"(?<!\|)\|(?!\|)", "||"), DebianPhpRelease))
                            throw new FormatException($"composer.json require.php: '{range}' does not accept PHP {DebianPhp}, the PHP of Debian bookworm (the only one reachable here); widen the range or build with a Dockerfile");
                        versionSource = "composer.json require.php";
                    }
                    else if (!r.Name.StartsWith("ext-", StringComparison.Ordinal) && !app.DirectoryExists("vendor"))
                        throw new FormatException($"composer.json require: '{Shell.Printable(r.Name)}' comes from Packagist, which is not reachable here; commit vendor/ or build where Packagist is reachable");
                }
        }
        if (app.Exists("index.php")) decided.Add("index.php");
        return new BuildPlan
        {
            Provider = Name,
            Versions = [new PlanVersion("php", DebianPhp, versionSource)],
            RuntimeBase = "php",
            RuntimePackages = ["php-cli"],
            Env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["PHP_CLI_SERVER_WORKERS"] = "4" },
            Start = "exec php -S 0.0.0.0:${PORT} -t /app",
            DecidedBy = decided,
        };
    }
}
