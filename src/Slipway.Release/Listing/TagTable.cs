using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Release.Git;

namespace Slipway.Release.Listing;

/// <summary>ListImages output: a plain table for people, JSON for scripts.</summary>
public static class TagTable
{
    public static string Mark(CommitMark mark) => mark switch
    {
        CommitMark.Main => "[main]",
        CommitMark.Branch => "[branch]",
        _ => "[unknown]",
    };

    public static string Format(IReadOnlyList<TagInfo> tags, IReadOnlyList<ListedImage> images)
    {
        var header = new[] { "IMAGE", "TAG", "DIGEST", "VERSION", "COMMIT", "CREATED", "MARK" };
        var rows = tags.Select(t => new[]
        {
            t.Image, t.Tag, t.Digest.Short, t.Version ?? "-", t.ShortRevision,
            t.Created?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-", Mark(t.Mark),
        }).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        foreach (var r in rows.Prepend(header))
            sb.AppendLine(string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        foreach (var empty in images.Where(i => tags.All(t => t.Image != i.Key)))
            sb.AppendLine($"{empty.Key}: no tags at {empty.Source.Display}");
        return sb.ToString();
    }

    public static string Json(IReadOnlyList<TagInfo> tags)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 1);
            w.WriteStartArray("tags");
            foreach (var t in tags)
            {
                w.WriteStartObject();
                w.WriteString("image", t.Image);
                w.WriteString("repository", t.Repository);
                w.WriteString("tag", t.Tag);
                w.WriteString("digest", t.Digest.ToString());
                w.WriteString("version", t.Version);
                w.WriteString("revision", t.Revision);
                if (t.Created is { } c) w.WriteString("created", c.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                else w.WriteNull("created");
                w.WriteString("mark", t.Mark.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
