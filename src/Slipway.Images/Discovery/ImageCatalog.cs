using Slipway.Images.Methods;
using Slipway.Oci.Model;

namespace Slipway.Images.Discovery;

/// <summary>One discovered image and the method that builds it.</summary>
public sealed record CatalogEntry(ImageDefinition Definition, IImageMethod Method)
{
    /// <summary>Name plus variant suffix: what identifies this image among all others (<c>api</c>, <c>api-nix</c>).</summary>
    public string Key => Definition.Name + Definition.TagSuffix;
}

/// <summary>
/// Every image of a monorepo, as the registered methods discover it. Discovery is cheap (file system only);
/// validation is separate so all problems can be listed at once before anything builds.
/// </summary>
public sealed class ImageCatalog
{
    public ImageCatalog(IReadOnlyList<CatalogEntry> entries) => Entries = entries;

    public IReadOnlyList<CatalogEntry> Entries { get; }

    public static async Task<ImageCatalog> DiscoverAsync(string root, IEnumerable<IImageMethod> methods, CancellationToken cancellationToken)
    {
        var entries = new List<CatalogEntry>();
        foreach (var method in methods)
        {
            IReadOnlyList<ImageDefinition> found;
            try { found = await method.DiscoverAsync(root, cancellationToken); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ImageCatalogException($"the {method.Name} method could not discover images in '{root}': {e.Message}");
            }
            entries.AddRange(found.Select(d => new CatalogEntry(d, method)));
        }
        // Stable order for tables, reports and build order: by name, then variant, then method.
        return new ImageCatalog(entries
            .OrderBy(e => e.Definition.Name, StringComparer.Ordinal)
            .ThenBy(e => e.Definition.TagSuffix, StringComparer.Ordinal)
            .ThenBy(e => e.Method.Name, StringComparer.Ordinal)
            .ToList());
    }

    public IReadOnlyList<string> Names => Entries.Select(e => e.Definition.Name).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Keeps the images named in <paramref name="filter"/> (all variants of a name; <c>name-nix</c> picks one variant).
    /// An unknown name is an error that lists the available ones.
    /// </summary>
    public ImageCatalog Filter(IReadOnlyCollection<string>? filter)
    {
        if (filter is null || filter.Count == 0) return this;
        var wanted = filter.Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
        var unknown = wanted.Where(w => !Entries.Any(e => e.Definition.Name == w || e.Key == w)).ToList();
        if (unknown.Count > 0)
        {
            var available = Entries.Count == 0 ? "none (no containers/<name>/ directory, app/ or flake.nix image was found)"
                : string.Join(", ", Entries.Select(e => e.Key).Distinct().Order(StringComparer.Ordinal));
            throw new ImageCatalogException($"Unknown image{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))} in --images. Available images are: {available}");
        }
        return new ImageCatalog(Entries.Where(e => wanted.Contains(e.Definition.Name) || wanted.Contains(e.Key)).ToList());
    }

    /// <summary>
    /// Problems that must stop the run before any build: invalid names, two definitions claiming the same
    /// name and variant. Tags are validated by the planner, which knows them.
    /// </summary>
    public IReadOnlyList<string> Validate(string root)
    {
        var problems = new List<string>();
        foreach (var e in Entries)
        {
            var d = e.Definition;
            if (ImageReference.ExplainInvalidRepository(d.Name) is { } error)
                problems.Add($"{Relative(root, d.DefinitionFile)}: image name {error}; rename the directory that defines it");
            if (d.Visibility is not ("public" or "private"))
                problems.Add($"{Relative(root, d.DefinitionFile)}: visibility '{d.Visibility}' of image '{d.Name}' must be 'public' or 'private'");
        }
        foreach (var clash in Entries.GroupBy(e => e.Key).Where(g => g.Count() > 1))
            problems.Add($"image '{clash.Key}' is defined more than once ({string.Join(", ", clash.Select(c => $"{c.Method.Name}: {Relative(root, c.Definition.DefinitionFile)}"))}); give one a tag suffix or rename it");
        return problems;
    }

    internal static string Relative(string root, string path)
    {
        if (string.IsNullOrEmpty(path)) return path;
        var rel = Path.GetRelativePath(root, path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel.Replace('\\', '/');
    }
}

/// <summary>Discovery or validation failed; the message lists the valid choices or the fix.</summary>
public sealed class ImageCatalogException(string message) : Exception(message);
