using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Oci.Model;

namespace Slipway.Images.Pipeline;

/// <summary>One image as it would be built: its definition, method, version, tags and destination.</summary>
public sealed record PlannedImage(CatalogEntry Entry, string Version, IReadOnlyList<string> Tags, ImageRoute Route)
{
    public ImageDefinition Definition => Entry.Definition;
    public IImageMethod Method => Entry.Method;
    public string Name => Entry.Definition.Name;
    public string Key => Entry.Key;
    /// <summary>Whether the definition declared no version and <see cref="ImageTags.DefaultVersion"/> is used.</summary>
    public bool VersionDefaulted => string.IsNullOrWhiteSpace(Definition.Version);
}

/// <summary>The whole run, decided before anything builds.</summary>
public sealed record ImagePlan(
    string Root,
    GitInfo Git,
    bool IsMainBranch,
    string DestinationSummary,
    bool Strict,
    IReadOnlyList<PlannedImage> Images,
    IReadOnlyList<string> Notes);

/// <summary>Name, tag or setting problems found before any build; the message lists every one of them.</summary>
public sealed class ImagePlanException(IReadOnlyList<string> problems)
    : Exception(problems.Count == 1 ? problems[0] : $"{problems.Count} problems stop the image build before it starts:{System.Environment.NewLine}" + string.Join(System.Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
