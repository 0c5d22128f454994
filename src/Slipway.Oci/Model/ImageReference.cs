using System.Text.RegularExpressions;

namespace Slipway.Oci.Model;

/// <summary>
/// A registry image reference <c>host[:port]/repo[:tag][@digest]</c>, validated against the distribution spec.
/// Unlike Docker, a host is required: Slipway never guesses docker.io.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, Digest? Digest)
{
    // distribution spec: <name> components and <reference> tag grammar.
    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^(localhost|\\[[0-9a-fA-F:]+\\]|[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(:[0-9]{1,5})?$")]
    private static partial Regex HostPattern();

    public static bool IsValidRepository(string repository) => repository.Length <= 255 && RepositoryPattern().IsMatch(repository);
    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);
    public static bool IsValidRegistry(string host) => HostPattern().IsMatch(host);

    /// <summary>Why <paramref name="repository"/> is not a valid repository name, or null when it is.</summary>
    public static string? ExplainInvalidRepository(string repository) =>
        IsValidRepository(repository) ? null :
        $"'{repository}' is not a valid repository name: use lowercase letters, digits and '.', '_', '-' separators, with '/' between components (e.g. 'team/my-app')";

    public static string? ExplainInvalidTag(string tag) =>
        IsValidTag(tag) ? null :
        $"'{tag}' is not a valid tag: up to 128 characters of letters, digits, '_', '.', '-', not starting with '.' or '-'";

    public static ImageReference Parse(string value)
    {
        if (TryParse(value, out var r, out var error)) return r!;
        throw new FormatException(error);
    }

    public static bool TryParse(string value, out ImageReference? reference, out string error)
    {
        reference = null;
        var original = value;
        var (name, tag, digestText) = Split(WithoutTransport(value));
        Digest? digest = null;
        if (digestText is not null)
        {
            if (!Model.Digest.TryParse(digestText, out var d, out var derr)) { error = $"'{original}': {derr}"; return false; }
            digest = d;
        }
        value = name;
        var slash = value.IndexOf('/');
        if (slash <= 0)
        {
            error = $"'{original}' has no registry host; write it as HOST[:PORT]/REPOSITORY[:TAG], e.g. 127.0.0.1:5000/team/app:latest";
            return false;
        }
        var host = value[..slash];
        var rest = value[(slash + 1)..];
        if (!IsValidRegistry(host)) { error = $"'{host}' in '{original}' is not a registry host[:port]"; return false; }
        if (tag is not null && ExplainInvalidTag(tag) is { } terr) { error = $"in '{original}': {terr}"; return false; }
        if (ExplainInvalidRepository(rest) is { } rerr) { error = $"in '{original}': {rerr}"; return false; }
        reference = new ImageReference(host, rest, tag, digest);
        error = "";
        return true;
    }

    /// <summary>The transport prefix of a registry name (skopeo's <c>docker://</c>).</summary>
    public const string TransportPrefix = "docker://";

    /// <summary><paramref name="value"/> without a leading <c>docker://</c>.</summary>
    public static string WithoutTransport(string value) =>
        value.StartsWith(TransportPrefix, StringComparison.Ordinal) ? value[TransportPrefix.Length..] : value;

    /// <summary>
    /// The one colon rule of a registry name, without validation (for names written by others: FROM lines,
    /// manifests, reports): <c>@</c> starts the digest; a <c>:</c> after the last <c>/</c> starts the tag, so
    /// <c>host:5000/img</c> has no tag and <c>host:5000/img:v1@sha256:…</c> has both.
    /// </summary>
    public static (string Name, string? Tag, string? Digest) Split(string value)
    {
        string? digest = null;
        var at = value.IndexOf('@');
        if (at >= 0) { digest = value[(at + 1)..]; value = value[..at]; }
        var colon = value.LastIndexOf(':');
        return colon > value.LastIndexOf('/') ? (value[..colon], value[(colon + 1)..], digest) : (value, null, digest);
    }

    /// <summary>The tag or digest to address the manifest by (digest wins); "latest" when neither is given.</summary>
    public string Reference => Digest?.ToString() ?? Tag ?? "latest";

    public ImageReference WithTag(string tag) => this with { Tag = tag, Digest = null };
    public ImageReference WithDigest(Digest digest) => this with { Digest = digest };

    /// <summary>The repository without tag or digest: <c>host/repo</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}
