using Slipway.Images.Discovery;
using Slipway.Oci.Model;
using Slipway.Source.Plan;

namespace Slipway.Source.Imaging;

/// <summary>The OCI labels every Slipway image carries (created, and source/revision when the app is in git), plus the plan's provider.</summary>
public static class SourceLabels
{
    public const string Provider = "dev.slipway.source.provider";

    public static Task<IReadOnlyDictionary<string, string>> ForAsync(SourceBuildRequest request, BuildPlan plan, string created, CancellationToken ct) =>
        ForAsync(request, plan.Framework is null ? plan.Provider : $"{plan.Provider}/{plan.Framework}", created, ct);

    /// <param name="provider">What built the image: a plan's provider(/framework), or "dockerfile".</param>
    public static async Task<IReadOnlyDictionary<string, string>> ForAsync(SourceBuildRequest request, string provider, string created, CancellationToken ct)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Annotations.Created] = created,
            [Provider] = provider,
        };
        if (await GitAsync(request.Directory, ct) is { } git)
        {
            labels[Annotations.Revision] = git.Sha;
            if (git.RemoteUrl is { } url) labels[Annotations.Source] = url;
        }
        return labels;
    }

    /// <summary>The commit of the checkout, or null outside git (a plain directory builds too).</summary>
    public static async Task<GitInfo?> GitAsync(string directory, CancellationToken ct)
    {
        if (!Directory.Exists(Path.Combine(directory, ".git")) && !File.Exists(Path.Combine(directory, ".git"))) return null;
        try { return await GitInfo.ReadAsync(directory, cancellationToken: ct); }
        catch (GitInfoException) { return null; }
    }
}
