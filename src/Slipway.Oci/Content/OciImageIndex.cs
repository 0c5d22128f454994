using Slipway.Oci.Model;

namespace Slipway.Oci.Content;

/// <summary>
/// A multi-platform image: one <see cref="OciImage"/> per platform under an OCI image index whose descriptors carry
/// each image's platform (read from its config). Publishing pushes every image by digest, then the index by digest,
/// then the tags, so a tag never names an index with a manifest missing.
/// </summary>
public sealed class OciImageIndex
{
    private OciImageIndex(IReadOnlyList<(Platform Platform, OciImage Image)> images, byte[] bytes)
    {
        Images = images;
        Bytes = bytes;
        Digest = Digest.Sha256(bytes);
    }

    public IReadOnlyList<(Platform Platform, OciImage Image)> Images { get; }
    public byte[] Bytes { get; }
    public Digest Digest { get; }
    public string MediaType => MediaTypes.OciIndex;
    public Descriptor Descriptor => new() { MediaType = MediaType, Digest = Digest, Size = Bytes.Length };

    /// <summary>The index over <paramref name="images"/>, in the order given; two images for one platform are refused.</summary>
    public static OciImageIndex Create(IReadOnlyList<(Platform Platform, OciImage Image)> images, IReadOnlyDictionary<string, string>? annotations = null)
    {
        if (images.Count == 0) throw new ArgumentException("an image index needs at least one image");
        if (images.GroupBy(i => i.Platform.ToString()).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"two images for platform {twice.Key} in one index");
        var index = new ImageIndex
        {
            Manifests = images.Select(i => i.Image.ManifestDescriptor with { Platform = i.Platform }).ToList(),
            Annotations = annotations is { Count: > 0 } ? new SortedDictionary<string, string>(annotations.ToDictionary(), StringComparer.Ordinal) : null,
        };
        return new OciImageIndex(images, OciJson.Serialize(index));
    }
}
