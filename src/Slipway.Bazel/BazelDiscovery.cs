using System.Text.RegularExpressions;
using Slipway.Images.Methods;
using Slipway.Oci.Model;

namespace Slipway.Bazel;

/// <summary>
/// Pure planning half of the Bazel method. An image is a target named <c>image</c> (an <c>image_manifest</c>) in
/// a package's BUILD.bazel: <c>//app:image</c>. Its name is the file's <c>IMAGE_NAME = "…"</c>, else the last
/// component of the package's <c>image_push</c> repository when that is a literal, else the package directory's name; its version is the
/// file's <c>VERSION = "X.Y.Z"</c> line.
/// </summary>
public static partial class BazelDiscovery
{
    public const string MethodName = "bazel";
    public const string ImageTarget = "image";
    public const string PushTarget = "push";

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "node_modules", "artifacts", "bin", "obj", ".direnv" };

    [GeneratedRegex(@"image_manifest\s*\(\s*[^)]*?\bname\s*=\s*""image""", RegexOptions.Singleline)]
    private static partial Regex ImageManifestNamedImage();

    [GeneratedRegex(@"image_push\s*\([^)]*?\brepository\s*=\s*""([^""{}]+)""", RegexOptions.Singleline)]
    private static partial Regex PushRepository();

    [GeneratedRegex(@"^\s*IMAGE_NAME\s*=\s*""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex ImageNameLine();

    [GeneratedRegex(@"^\s*VERSION\s*=\s*(.*?)\s*(#.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^""(\d+\.\d+\.\d+)""$")]
    private static partial Regex VersionValue();

    public static IReadOnlyList<ImageDefinition> Discover(string root)
    {
        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, "MODULE.bazel")) && !File.Exists(Path.Combine(root, "WORKSPACE")) && !File.Exists(Path.Combine(root, "WORKSPACE.bazel")))
            return [];
        var result = new List<ImageDefinition>();
        foreach (var build in BuildFiles(root))
        {
            var text = File.ReadAllText(build);
            if (!ImageManifestNamedImage().IsMatch(text)) continue;
            var packageDir = Path.GetDirectoryName(build)!;
            var package = Path.GetRelativePath(root, packageDir).Replace('\\', '/');
            if (package == ".") package = "";
            var name = ImageNameLine().Match(text) is { Success: true } n ? n.Groups[1].Value
                : PushRepository().Match(text) is { Success: true } m ? m.Groups[1].Value.Split('/').Last()
                : Path.GetFileName(packageDir);
            if (ImageReference.ExplainInvalidRepository(name) is { } error)
                throw new InvalidDataException($"{build}: image //{package}:{ImageTarget} is named '{name}', and {error}");
            result.Add(new ImageDefinition
            {
                Name = name,
                Method = MethodName,
                DefinitionFile = build,
                ContextDirectory = root,
                Attribute = $"//{package}:{ImageTarget}",
                Version = ReadVersion(build),
                InputFiles = Directory.EnumerateFiles(packageDir, "*", SearchOption.AllDirectories)
                    .Concat(new[] { "MODULE.bazel", "MODULE.bazel.lock", ".bazelrc", ".bazelversion" }.Select(f => Path.Combine(root, f)).Where(File.Exists))
                    .Select(Path.GetFullPath).Distinct().Order(StringComparer.Ordinal).ToList(),
            });
        }
        return result;
    }

    /// <summary>The push target next to an image target: //app:image → //app:push.</summary>
    public static string PushLabel(string imageLabel) => imageLabel[..(imageLabel.LastIndexOf(':') + 1)] + PushTarget;

    /// <summary>Where <c>bazel build --output_groups=+oci_layout</c> puts an image_manifest's layout.</summary>
    public static string LayoutDirectory(string bazelBin, string imageLabel)
    {
        var colon = imageLabel.LastIndexOf(':');
        var package = imageLabel[2..colon];
        return Path.Combine(bazelBin, package, imageLabel[(colon + 1)..] + "_oci_layout");
    }

    public static string? ReadVersion(string file)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var m = VersionLine().Match(lines[i]);
            if (!m.Success) continue;
            if (VersionValue().Match(m.Groups[1].Value) is { Success: true } v) return v.Groups[1].Value;
            throw new InvalidDataException($"{file}:{i + 1}: VERSION = {m.Groups[1].Value} is not a version; write it as VERSION = \"1.2.3\" (three numbers, quoted)");
        }
        return null;
    }

    private static IEnumerable<string> BuildFiles(string root)
    {
        var stack = new Stack<string>([root]);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            foreach (var name in new[] { "BUILD.bazel", "BUILD" })
            {
                var f = Path.Combine(dir, name);
                if (File.Exists(f)) { yield return f; break; }
            }
            foreach (var sub in Directory.GetDirectories(dir).OrderDescending(StringComparer.Ordinal))
            {
                var n = Path.GetFileName(sub);
                if (Skipped.Contains(n) || n.StartsWith("bazel-", StringComparison.Ordinal) || new DirectoryInfo(sub).LinkTarget is not null) continue;
                stack.Push(sub);
            }
        }
    }
}
