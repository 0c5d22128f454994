using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;

namespace Slipway.Cli.Transports;

/// <summary>A transport-qualified image name, as skopeo spells them: oci:DIR[:REF], docker-archive:FILE[:NAME:TAG], docker://HOST/REPO[:TAG|@DIGEST].</summary>
public abstract record ImageLocation
{
    public const string Available = "Available transports are: " + TransportReference.Forms;

    /// <summary>Parsed by the OCI core's one parser (<see cref="TransportReference"/>: its colon rule is skopeo's).</summary>
    public static ImageLocation Parse(string value)
    {
        if (!TransportReference.TryParse(value, out var r, out var error)) throw new UsageException(error!);
        return r!.Transport switch
        {
            ImageTransport.Registry => new RegistryLocation(r.Registry!),
            ImageTransport.Layout => new LayoutLocation(r.Path!, r.Ref),
            _ => new ArchiveLocation(r.Path!, r.Ref),
        };
    }

    public abstract Task<OciImage> ReadAsync(RegistrySession session, Platform? platform, CancellationToken ct);
}

public sealed record RegistryLocation(ImageReference Reference) : ImageLocation
{
    public override Task<OciImage> ReadAsync(RegistrySession session, Platform? platform, CancellationToken ct) =>
        new RegistrySource(session).ReadImageAsync(Reference, platform, ct);
    public override string ToString() => ImageReference.TransportPrefix + Reference;
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
