using System.Text.RegularExpressions;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>A Dockerfile build that failed: names the image, the Dockerfile and (when known) its line.</summary>
public sealed class DockerfileBuildException(string message, string image, string dockerfile, int? line, IReadOnlyList<string> tail) : Exception(message)
{
    public string Image { get; } = image;
    public string Dockerfile { get; } = dockerfile;
    public int? Line { get; } = line;
    public IReadOnlyList<string> Tail { get; } = tail;
}

/// <summary>
/// Finds the Dockerfile line a failed build stopped at, from what the engine printed: BuildKit quotes the file
/// (<c>Dockerfile:12</c>, <c>&gt;&gt;&gt;</c> marks), buildah counts steps per stage (<c>[2/3] STEP 4/6: RUN …</c>),
/// which map back to instructions because FROM is step 1 of each stage.
/// </summary>
public static partial class BuildFailure
{
    [GeneratedRegex(@"(?:^|[\s/""'])(?:Dockerfile|Containerfile)[^\s:]*:(\d+)(?:$|[\s:])")]
    private static partial Regex BuildKitLine();

    // buildah: "[2/3] STEP 4/6: RUN …"; Docker's classic builder: "Step 4/9 : RUN …" (numbered across all stages).
    [GeneratedRegex(@"^\s*(?:\[(\d+)/(\d+)\]\s+)?(?:STEP|Step) (\d+)(?:/(\d+))?\s?:\s*(.*)$")]
    private static partial Regex BuildahStep();

    [GeneratedRegex(@"^\s*(\d+)\s*\|\s*>>>")]
    private static partial Regex BuildKitMarker();

    /// <summary>The 1-based Dockerfile line the build failed at, or null when the output does not say.</summary>
    public static int? FindLine(IReadOnlyList<string> output, DockerfileInfo dockerfile)
    {
        // BuildKit: an explicit file:line, or the ">>>" line of its source excerpt. The last one wins.
        for (var i = output.Count - 1; i >= 0; i--)
        {
            if (BuildKitMarker().Match(output[i]) is { Success: true } mk) return int.Parse(mk.Groups[1].Value);
            if (BuildKitLine().Match(output[i]) is { Success: true } m && int.TryParse(m.Groups[1].Value, out var n)) return n;
        }
        // buildah/podman: the last STEP started is the one that failed.
        for (var i = output.Count - 1; i >= 0; i--)
        {
            var m = BuildahStep().Match(output[i]);
            if (!m.Success) continue;
            var stage = m.Groups[1].Success ? int.Parse(m.Groups[1].Value) : 1;
            var step = int.Parse(m.Groups[3].Value);
            // The echoed instruction is the surest key (stage numbers shift when unused stages are skipped);
            // its position is the fallback.
            var text = Squash(m.Groups[5].Value);
            var byText = dockerfile.Instructions.Where(x => Squash($"{x.Keyword} {x.Arguments}").Equals(text, StringComparison.OrdinalIgnoreCase)).ToList();
            if (byText.Count == 1) return byText[0].Line;
            return LineOfStep(dockerfile, stage, step) ?? byText.FirstOrDefault()?.Line;
        }
        // Failures before any step (a base image that cannot be pulled) name the image: point at its FROM.
        foreach (var stage in dockerfile.Stages)
        {
            var names = new[] { stage.From, BaseImages.BaseImageResolver.Normalize(stage.From) }
                .Select(n => new Regex($@"(?<![\w.-]){Regex.Escape(n)}(?![\w.-])")).ToList();
            if (output.Any(l => names.Any(n => n.IsMatch(l)))) return stage.Line;
        }
        return null;
    }

    private static string Squash(string s) => Regex.Replace(s.Trim(), @"\s+", " ");

    /// <summary>The line of instruction <paramref name="step"/> (1 = FROM) of stage <paramref name="stage"/> (1-based).</summary>
    public static int? LineOfStep(DockerfileInfo dockerfile, int stage, int step)
    {
        var currentStage = 0;
        var currentStep = 0;
        foreach (var i in dockerfile.Instructions)
        {
            if (i.Keyword == "FROM") { currentStage++; currentStep = 0; }
            if (currentStage == 0) continue; // global ARGs are not steps
            currentStep++;
            if (currentStage == stage && currentStep == step) return i.Line;
        }
        return null;
    }
}
