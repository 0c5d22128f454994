using Slipway.Oci.Content;
using Slipway.Oci.Model;

namespace Slipway.Nix.Formats;

/// <summary>Puts a config and layers together as an OCI image whose diff_ids are the digests of OUR tars.</summary>
internal static class StoreImage
{
    public const string DefaultCreated = "1970-01-01T00:00:01Z";

    public static OciImage Assemble(ContainerConfig? config, string? arch, string? created,
        IReadOnlyList<(IBlob Blob, Digest DiffId)> layers, IReadOnlyList<HistoryEntry?>? history = null)
    {
        var when = string.IsNullOrEmpty(created) ? DefaultCreated : created;
        var imageConfig = new ImageConfig
        {
            Architecture = string.IsNullOrEmpty(arch) ? Platform.Current.Architecture : arch,
            Os = "linux",
            Created = when,
            Config = config,
            RootFs = new RootFs { DiffIds = layers.Select(l => l.DiffId).ToList() },
            // Some tools want one history entry per layer (nix2container issue 57).
            History = layers.Select((_, i) => history is not null && i < history.Count && history[i] is { } h && (h.Created ?? h.CreatedBy ?? h.Comment) is not null
                ? h
                : new HistoryEntry { Created = when, CreatedBy = "slipway nix" }).ToList(),
        };
        return OciImage.Create(imageConfig, layers.Select(l => l.Blob).ToList());
    }
}
