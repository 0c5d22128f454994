using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Slipway.Oci.Model;
using Slipway.Release.Git;

namespace Slipway.Release.Listing;

/// <summary>One tag at an image's destination, with what its config says and where its commit stands.</summary>
public sealed record TagInfo(string Image, string Repository, string Tag, Digest Digest, string? Version, string? Revision, DateTimeOffset? Created, CommitMark Mark)
{
    public string ShortRevision => Revision is { Length: >= 7 } r ? r[..7] : Revision ?? "-";
    public bool IsLatest => Tag.StartsWith("latest", StringComparison.Ordinal);
}

/// <summary>What an image config says about where it came from (labels are what <c>skopeo inspect</c> shows too).</summary>
public sealed record ConfigFacts(string? Revision, string? Version, DateTimeOffset? Created);

/// <summary>An image repository to list: the image key (<c>api</c>, <c>api-nix</c>), its tag suffix and where its tags are.</summary>
public sealed record ListedImage(string Key, string TagSuffix, ITagSource Source);

/// <summary>
/// Lists tags with their facts: every page of tags, then manifests and configs fetched in parallel (at most
/// <see cref="Parallelism"/> requests at once), each config once per digest (many tags share one; a run's memory
/// cache plus an optional directory of config facts that later runs reuse — a digest's content never changes).
/// </summary>
public sealed class TagLister(ICommitClassifier classifier, string? cacheDirectory = null)
{
    public int Parallelism { get; init; } = 16;

    private readonly ConcurrentDictionary<Digest, Lazy<Task<ConfigFacts>>> _configs = new();

    public async Task<IReadOnlyList<TagInfo>> ListAsync(IReadOnlyList<ListedImage> images, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(Parallelism);
        var raw = new ConcurrentBag<(int Order, string Image, string Repo, string Tag, Digest Digest, ConfigFacts Facts)>();
        var order = 0;
        var work = new List<Task>();
        foreach (var image in images)
        {
            var tags = await image.Source.ListTagsAsync(ct);
            foreach (var tag in tags.Where(t => BelongsTo(t, image, images)))
            {
                var n = order++;
                work.Add(Task.Run(async () =>
                {
                    await gate.WaitAsync(ct);
                    try
                    {
                        if (await FactsAsync(image.Source, tag, ct) is { } f) raw.Add((n, image.Key, image.Source.Display, tag, f.Digest, f.Facts));
                    }
                    finally { gate.Release(); }
                }, ct));
            }
        }
        await Task.WhenAll(work);

        var marks = await classifier.ClassifyAsync(raw.Select(r => r.Facts.Revision).OfType<string>().Distinct().ToList(), ct);
        return raw
            .Select(r => new TagInfo(r.Image, r.Repo, r.Tag, r.Digest, r.Facts.Version, r.Facts.Revision, r.Facts.Created,
                r.Facts.Revision is { } rev && marks.TryGetValue(rev, out var m) ? m : CommitMark.Unknown))
            .OrderBy(t => t.Image, StringComparer.Ordinal)
            .ThenByDescending(t => t.Created ?? DateTimeOffset.MinValue)
            .ThenBy(t => t.IsLatest ? 0 : 1)
            .ThenByDescending(t => t.Tag, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Variants of one name share a repository (<c>api</c> and <c>api-nix</c>): a tag belongs to the variant with
    /// the longest suffix it ends with.
    /// </summary>
    internal static bool BelongsTo(string tag, ListedImage image, IReadOnlyList<ListedImage> all)
    {
        var same = all.Where(i => i.Source.Display == image.Source.Display).ToList();
        var owner = same.Where(i => i.TagSuffix.Length == 0 || tag.EndsWith(i.TagSuffix, StringComparison.Ordinal))
            .OrderByDescending(i => i.TagSuffix.Length).FirstOrDefault();
        return owner is null ? image.TagSuffix.Length == 0 : ReferenceEquals(owner, image);
    }

    private async Task<(Digest Digest, ConfigFacts Facts)?> FactsAsync(ITagSource source, string tag, CancellationToken ct)
    {
        if (await source.GetManifestAsync(tag, ct) is not { } manifest) return null;
        var (digest, bytes) = manifest;
        var config = ConfigOf(bytes);
        if (config is null && IndexChild(bytes) is { } child && await source.GetManifestAsync(child.ToString(), ct) is { } inner)
            config = ConfigOf(inner.Bytes);
        if (config is null) return (digest, new ConfigFacts(null, null, null));
        var facts = await _configs.GetOrAdd(config.Digest, _ => new Lazy<Task<ConfigFacts>>(() => LoadConfigAsync(source, config, ct))).Value;
        return (digest, facts);
    }

    private async Task<ConfigFacts> LoadConfigAsync(ITagSource source, Descriptor config, CancellationToken ct)
    {
        var cached = cacheDirectory is null ? null : Path.Combine(cacheDirectory, $"{config.Digest.Algorithm}-{config.Digest.Hex}.json");
        if (cached is not null && File.Exists(cached))
        {
            try { return JsonSerializer.Deserialize<ConfigFacts>(await File.ReadAllBytesAsync(cached, ct)) ?? throw new JsonException(); }
            catch (JsonException) { /* a torn entry: read the config again */ }
        }
        var facts = ParseConfig(await source.GetBlobAsync(config, ct));
        if (cached is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            var tmp = cached + $".{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(tmp, JsonSerializer.SerializeToUtf8Bytes(facts), ct);
            File.Move(tmp, cached, overwrite: true);
        }
        return facts;
    }

    internal static ConfigFacts ParseConfig(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        string? Label(string key) =>
            root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("Labels", out var l)
            && l.ValueKind == JsonValueKind.Object && l.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var createdText = Label(Annotations.Created) ?? (root.TryGetProperty("created", out var cr) && cr.ValueKind == JsonValueKind.String ? cr.GetString() : null);
        DateTimeOffset? created = DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        return new ConfigFacts(Label(Annotations.Revision), Label(Annotations.Version), created);
    }

    private static Descriptor? ConfigOf(byte[] manifest)
    {
        using var doc = JsonDocument.Parse(manifest);
        if (!doc.RootElement.TryGetProperty("config", out var c)) return null;
        return OciJson.Deserialize<Descriptor>(System.Text.Encoding.UTF8.GetBytes(c.GetRawText()), "manifest config descriptor");
    }

    /// <summary>An index's linux/amd64 manifest, else its first.</summary>
    private static Digest? IndexChild(byte[] index)
    {
        using var doc = JsonDocument.Parse(index);
        if (!doc.RootElement.TryGetProperty("manifests", out var ms) || ms.ValueKind != JsonValueKind.Array || ms.GetArrayLength() == 0) return null;
        var pick = ms.EnumerateArray().FirstOrDefault(m => m.TryGetProperty("platform", out var p) && p.TryGetProperty("architecture", out var a) && a.GetString() == "amd64");
        if (pick.ValueKind == JsonValueKind.Undefined) pick = ms[0];
        return pick.TryGetProperty("digest", out var d) && Digest.TryParse(d.GetString(), out var digest) ? digest : null;
    }
}
