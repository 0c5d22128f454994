using Slipway.Images.Discovery;
using Slipway.Images.Methods;
using Slipway.Oci.Model;

namespace Slipway.Images.Pipeline;

/// <summary>Where images go when no <c>--registry</c> is given.</summary>
public enum ImageContext
{
    /// <summary>Public upstream images: <c>ghcr.io/&lt;Org&gt;</c>.</summary>
    Upstream,
    /// <summary>Private overlay images: <c>registry.gitlab.com/&lt;Group&gt;</c>.</summary>
    Overlay,
    /// <summary>The embedded default: one OCI image layout per image under <c>artifacts/images/&lt;name&gt;</c>.</summary>
    Local,
}

/// <summary>
/// Where one image is published: a registry repository, an OCI layout directory, or nowhere (with the reason).
/// <see cref="Display"/> is what tables and reports show (<c>127.0.0.1:5000/team/api</c>, <c>oci:artifacts/images/api</c>).
/// </summary>
public sealed record ImageRoute(string Display, ImageReference? Repository, string? LayoutDirectory, string? SkipReason)
{
    public static ImageRoute Skip(string display, string reason) => new(display, null, null, reason);
}

/// <summary>
/// Resolves destinations. An explicit <c>--registry</c> wins; otherwise <c>--context</c>, defaulting to what CI
/// says (GITHUB_ACTIONS → upstream, GITLAB_CI → overlay) and to <see cref="ImageContext.Local"/> everywhere else.
/// </summary>
public sealed class ImageRouter
{
    public const string UpstreamRegistry = "ghcr.io";
    public const string OverlayRegistry = "registry.gitlab.com";

    private readonly string _root;
    private readonly string? _registry;
    private readonly RepoParameters _parameters;

    public ImageRouter(string root, string? registry, ImageContext? context, RepoParameters parameters, IReadOnlyDictionary<string, string?>? environment = null)
    {
        _root = root;
        _registry = string.IsNullOrWhiteSpace(registry) ? null : registry.Trim();
        _parameters = parameters;
        Context = context ?? DefaultContext(environment);
        ContextSource = context is not null ? "--context" : Context == ImageContext.Local ? "default" : Context == ImageContext.Upstream ? "GITHUB_ACTIONS" : "GITLAB_CI";
    }

    public ImageContext Context { get; }
    /// <summary>Why this context was chosen: "--context", "GITHUB_ACTIONS", "GITLAB_CI" or "default".</summary>
    public string ContextSource { get; }

    public static ImageContext DefaultContext(IReadOnlyDictionary<string, string?>? environment = null)
    {
        string? Env(string name) => environment is not null ? environment.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);
        if (Slipway.Tooling.CiHost.IsGitHubActions(Env)) return ImageContext.Upstream;
        if (Slipway.Tooling.CiHost.IsGitLabCi(Env)) return ImageContext.Overlay;
        return ImageContext.Local;
    }


    /// <summary>The base every image goes under, for the header of the images table.</summary>
    public string Describe() => _registry is not null ? $"{_registry} (--registry)" : Context switch
    {
        ImageContext.Local => $"oci:{Relative(LocalDirectory)}/<name> (embedded default, context local from {ContextSource})",
        _ => $"{BaseFor(Context)} (context {Context.ToString().ToLowerInvariant()} from {ContextSource})",
    };

    public string LocalDirectory => Path.Combine(_root, "artifacts", "images");

    /// <summary>Where <paramref name="definition"/> goes; throws <see cref="ImageCatalogException"/> for bad settings.</summary>
    public ImageRoute Resolve(ImageDefinition definition)
    {
        var name = definition.Name;
        if (_registry is not null)
        {
            if (_registry.StartsWith("oci:", StringComparison.Ordinal))
            {
                if (!Oci.Model.TransportReference.TryParse(_registry, out var layout, out _) || layout!.Ref is not null)
                    throw new ImageCatalogException($"--registry '{_registry}' must be oci:DIR (one layout per image under it, ref from the image's tags), e.g. --registry oci:artifacts/images");
                return Layout(Path.Combine(Path.GetFullPath(layout.Path!, _root), name));
            }
            return Registry(ParseRegistry(_registry, "--registry"), name);
        }
        switch (Context)
        {
            case ImageContext.Local:
                return Layout(Path.Combine(LocalDirectory, name));
            case ImageContext.Upstream:
            {
                var target = BaseFor(ImageContext.Upstream);
                if (definition.Visibility == "private")
                    return ImageRoute.Skip($"{target}/{name}", $"image '{name}' is private and is never pushed to the public upstream registry {target}; publish it with --context overlay or --registry");
                return Registry(ParseRegistry(target, "context upstream"), name);
            }
            default:
                return Registry(ParseRegistry(BaseFor(ImageContext.Overlay), "context overlay"), name);
        }
    }

    private string BaseFor(ImageContext context) => context switch
    {
        ImageContext.Upstream => $"{UpstreamRegistry}/{Namespace("Org", "upstream", "ghcr.io/<Org>")}",
        ImageContext.Overlay => $"{OverlayRegistry}/{Namespace("Group", "overlay", "registry.gitlab.com/<Group>")}",
        _ => throw new ArgumentOutOfRangeException(nameof(context)),
    };

    private string Namespace(string parameter, string context, string pattern)
    {
        var value = _parameters.Get(parameter)
            ?? throw new ImageCatalogException($"context {context} pushes to {pattern}, but {Relative(_parameters.FilePath)} sets no \"{parameter}\"; add {{ \"{parameter}\": \"your-{parameter.ToLowerInvariant()}\" }} there, or pass --registry host/namespace");
        // GHCR and GitLab namespaces are case-insensitive but registries want lowercase repository names.
        value = value.ToLowerInvariant();
        if (ImageReference.ExplainInvalidRepository(value) is { } error)
            throw new ImageCatalogException($"\"{parameter}\" in {Relative(_parameters.FilePath)}: {error}");
        return value;
    }

    private static (string Host, string Namespace) ParseRegistry(string value, string origin)
    {
        var v = ImageReference.WithoutTransport(value);
        v = v.TrimEnd('/');
        var slash = v.IndexOf('/');
        var host = slash < 0 ? v : v[..slash];
        var ns = slash < 0 ? "" : v[(slash + 1)..];
        if (!ImageReference.IsValidRegistry(host))
            throw new ImageCatalogException($"{origin} '{value}' does not start with a registry host[:port]; write it as host[:port]/namespace (e.g. 127.0.0.1:5000/team) or oci:DIR");
        if (ns.Length > 0 && ImageReference.ExplainInvalidRepository(ns) is { } error)
            throw new ImageCatalogException($"{origin} '{value}': namespace {error}");
        return (host, ns);
    }

    private static ImageRoute Registry((string Host, string Namespace) target, string name)
    {
        var repository = target.Namespace.Length == 0 ? name : $"{target.Namespace}/{name}";
        var reference = new ImageReference(target.Host, repository, null, null);
        return new ImageRoute(reference.Name, reference, null, null);
    }

    private ImageRoute Layout(string directory) => new($"oci:{Relative(directory)}", null, directory, null);

    private string Relative(string path) => ImageCatalog.Relative(_root, path);
}
