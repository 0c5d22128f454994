namespace Slipway.Oci.Model;

/// <summary>Where an image is read from or written to, as skopeo spells its transports.</summary>
public enum ImageTransport
{
    /// <summary><c>docker://HOST/REPO[:TAG|@DIGEST]</c>: a registry.</summary>
    Registry,
    /// <summary><c>oci:DIR[:REF]</c>: an OCI image layout directory.</summary>
    Layout,
    /// <summary><c>docker-archive:FILE[:NAME:TAG]</c>: a <c>docker save</c> tarball.</summary>
    Archive,
}

/// <summary>
/// A transport-qualified image name, parsed once for every caller (the CLI's copy/inspect, the pipeline's
/// <c>--registry oci:DIR</c>, the base map). <b>The colon rule</b> (skopeo's, from containers/image): the transport
/// ends at the first colon; for <c>oci:</c> and <c>docker-archive:</c> the path ends at the <i>next</i> colon and
/// everything after it is the reference, colons included. So <c>oci:a:b:c</c> is directory <c>a</c> with reference
/// <c>b:c</c> everywhere, and a path that itself holds a colon cannot be written this way (as in skopeo).
/// </summary>
public sealed record TransportReference
{
    public const string Forms = "oci:DIR[:REF], docker-archive:FILE[:NAME:TAG], docker://HOST/REPO[:TAG|@DIGEST]";

    public required ImageTransport Transport { get; init; }
    /// <summary>The layout directory or archive file (null for a registry).</summary>
    public string? Path { get; init; }
    /// <summary>The layout's ref or the archive's NAME:TAG, when given.</summary>
    public string? Ref { get; init; }
    /// <summary>The registry reference (only for <see cref="ImageTransport.Registry"/>).</summary>
    public ImageReference? Registry { get; init; }

    /// <summary>Parses <paramref name="value"/>; a bad value throws <see cref="FormatException"/> with one line naming it and the valid forms.</summary>
    public static TransportReference Parse(string value) =>
        TryParse(value, out var r, out var error) ? r! : throw new FormatException(error);

    public static bool TryParse(string value, out TransportReference? result, out string? error) =>
        TryParse(value, bareIsRegistry: false, out result, out error);

    /// <summary>
    /// As <see cref="TryParse(string, out TransportReference?, out string?)"/>; with <paramref name="bareIsRegistry"/>
    /// a name with no known transport (<c>HOST[:PORT]/REPO[:TAG]</c>, as an IMAGE_TAG is often written) is a registry
    /// reference, as if it began with <c>docker://</c>.
    /// </summary>
    public static bool TryParse(string value, bool bareIsRegistry, out TransportReference? result, out string? error)
    {
        result = null;
        if (value.StartsWith(ImageReference.TransportPrefix, StringComparison.Ordinal) || (bareIsRegistry && !HasFileTransport(value)))
        {
            if (!ImageReference.TryParse(value, out var registry, out error)) return false;
            result = new TransportReference { Transport = ImageTransport.Registry, Registry = registry };
            return true;
        }
        var colon = value.IndexOf(':');
        var transport = colon < 0 ? "" : value[..colon];
        var rest = colon < 0 ? "" : value[(colon + 1)..];
        var kind = transport switch
        {
            "oci" => ImageTransport.Layout,
            "docker-archive" => ImageTransport.Archive,
            _ => (ImageTransport?)null,
        };
        if (kind is null)
        {
            error = $"'{value}' has no known transport{(transport.Length > 0 ? $" ('{transport}')" : "")}. Available transports are: {Forms}";
            return false;
        }
        var split = rest.IndexOf(':');
        var path = split < 0 ? rest : rest[..split];
        var reference = split < 0 ? null : rest[(split + 1)..];
        if (path.Length == 0)
        {
            error = kind == ImageTransport.Layout ? $"'{value}' names no directory; write oci:DIR[:REF]" : $"'{value}' names no file; write docker-archive:FILE[:NAME:TAG]";
            return false;
        }
        if (reference is { Length: 0 })
        {
            error = $"'{value}' ends in ':' with no reference after it; drop the ':' or name the reference";
            return false;
        }
        if (path.Contains('\0') || reference?.Contains('\0') == true)
        {
            error = $"'{value.Replace("\0", "\\0")}' contains a NUL byte";
            return false;
        }
        result = new TransportReference { Transport = kind.Value, Path = path, Ref = reference };
        error = null;
        return true;
    }

    private static bool HasFileTransport(string value) =>
        value.StartsWith("oci:", StringComparison.Ordinal) || value.StartsWith("docker-archive:", StringComparison.Ordinal);

    public override string ToString() => Transport switch
    {
        ImageTransport.Registry => "docker://" + Registry,
        ImageTransport.Layout => $"oci:{Path}" + (Ref is null ? "" : ":" + Ref),
        _ => $"docker-archive:{Path}" + (Ref is null ? "" : ":" + Ref),
    };
}
