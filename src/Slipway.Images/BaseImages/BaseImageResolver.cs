namespace Slipway.Images.BaseImages;

/// <summary>A FROM image that resolves to a local base: the name the engine must see and where the image lives.</summary>
public sealed record MappedBase(string From, string EngineName, string Source)
{
    /// <summary>The OCI layout directory of <see cref="Source"/> (<c>oci:DIR[:REF]</c>).</summary>
    public string LayoutDirectory => SplitOci(Source).Dir;
    public string? LayoutRef => SplitOci(Source).Ref;

    internal static (string Dir, string? Ref) SplitOci(string source) =>
        Oci.Model.TransportReference.TryParse(source, out var r, out _) && r!.Transport == Oci.Model.ImageTransport.Layout
            ? (r.Path!, r.Ref)
            : throw new FormatException($"base image source '{source}' must be an OCI layout written as oci:DIR[:REF]");
}

/// <summary>Docker-style reference normalisation and lookup of FROM images in a base image map.</summary>
public static class BaseImageResolver
{
    /// <summary>
    /// Docker's normalised form: <c>debian</c> → <c>docker.io/library/debian:latest</c>,
    /// <c>team/x:1</c> → <c>docker.io/team/x:1</c>; a digest is kept, a missing tag becomes <c>latest</c> unless a digest is given.
    /// </summary>
    public static string Normalize(string reference)
    {
        var (r, tag, digest) = Oci.Model.ImageReference.Split(reference.Trim());
        var first = r.IndexOf('/');
        string domain, path;
        if (first > 0 && (r[..first].Contains('.') || r[..first].Contains(':') || r[..first] == "localhost"))
        {
            domain = r[..first];
            path = r[(first + 1)..];
        }
        else
        {
            domain = "docker.io";
            path = r;
        }
        if (domain is "index.docker.io" or "registry-1.docker.io") domain = "docker.io";
        if (domain == "docker.io" && !path.Contains('/')) path = "library/" + path;
        if (tag is null && digest is null) tag = "latest";
        return $"{domain}/{path.ToLowerInvariant()}" + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);
    }

    /// <summary>
    /// The local base for <paramref name="from"/>, or null. A pinned digest (<c>debian:bookworm@sha256:…</c>)
    /// matches a mapping of the same name:tag: the digest names upstream content that cannot be had here.
    /// </summary>
    public static MappedBase? Resolve(string from, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0) return null;
        var normal = Normalize(from);
        var withoutDigest = normal.Contains('@') ? normal[..normal.IndexOf('@')] : normal;
        foreach (var (key, source) in map.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var k = Normalize(key);
            if (k == normal || k == withoutDigest) return new MappedBase(from, withoutDigest, source);
        }
        return null;
    }
}
