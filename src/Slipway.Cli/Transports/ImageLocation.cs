using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;

namespace Slipway.Cli.Transports;

/// <summary>A transport-qualified image name, as skopeo spells them: oci:DIR[:REF], docker-archive:FILE[:NAME:TAG], docker://HOST/REPO[:TAG|@DIGEST].</summary>
public abstract record ImageLocation
{
    public const string Available = "Available transports are: oci:DIR[:REF], docker-archive:FILE, docker://HOST/REPO[:TAG|@DIGEST]";

    public static ImageLocation Parse(string value)
    {
        if (value.StartsWith("docker://", StringComparison.Ordinal))
        {
            if (!ImageReference.TryParse(value, out var reference, out var error)) throw new UsageException(error);
            return new RegistryLocation(reference!);
        }
        var colon = value.IndexOf(':');
        var transport = colon < 0 ? "" : value[..colon];
        var rest = colon < 0 ? "" : value[(colon + 1)..];
        switch (transport)
        {
            case "oci":
            {
                if (rest.Length == 0) throw new UsageException($"'{value}' names no directory; write oci:DIR[:REF]");
                var split = rest.IndexOf(':');
                return split < 0 ? new LayoutLocation(rest, null) : new LayoutLocation(rest[..split], rest[(split + 1)..]);
            }
            case "docker-archive":
            {
                if (rest.Length == 0) throw new UsageException($"'{value}' names no file; write docker-archive:FILE");
                var split = rest.IndexOf(':');
                return split < 0 ? new ArchiveLocation(rest, null) : new ArchiveLocation(rest[..split], rest[(split + 1)..]);
            }
            default:
                throw new UsageException($"'{value}' has no known transport{(transport.Length > 0 ? $" ('{transport}')" : "")}. {Available}");
        }
    }

    public abstract Task<OciImage> ReadAsync(RegistrySession session, Platform? platform, CancellationToken ct);
}

public sealed record RegistryLocation(ImageReference Reference) : ImageLocation
{
    public override Task<OciImage> ReadAsync(RegistrySession session, Platform? platform, CancellationToken ct) =>
        new RegistrySource(session).ReadImageAsync(Reference, platform, ct);
    public override string ToString() => "docker://" + Reference;
}

public sealed record LayoutLocation(string Directory, string? Ref) : ImageLocation
{
    public override Task<OciImage> ReadAsync(RegistrySession session, Platform? platform, CancellationToken ct) =>
        Task.FromResult(OciLayout.Open(Directory).ReadImage(Ref, platform));
    public override string ToString() => $"oci:{Directory}" + (Ref is null ? "" : ":" + Ref);
}

public sealed record ArchiveLocation(string File, string? RepoTag) : ImageLocation
{
    public override Task<OciImage> ReadAsync(RegistrySession session, Platform? platform, CancellationToken ct) =>
        Task.FromResult(DockerArchive.Open(File).ReadImage(RepoTag));
    public override string ToString() => $"docker-archive:{File}" + (RepoTag is null ? "" : ":" + RepoTag);
}

public sealed class UsageException(string message) : Exception(message);
