using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Tooling;

namespace Slipway.Nix;

/// <summary>
/// The nix commands Slipway runs, with the flags every one needs: the <c>nix-command flakes</c> features (so no
/// nix.conf change is required) and, unless turned off, <c>--option sandbox false</c> (Debian's nix-bin and most
/// containers cannot sandbox).
/// </summary>
public sealed partial class NixCli(bool sandbox = false, Action<string>? log = null)
{
    public const string InstallCommand = "apt-get install -y nix-bin (or the upstream installer: sh <(curl -L https://nixos.org/nix/install) --daemon)";
    public static readonly IReadOnlyList<string> Features = ["--extra-experimental-features", "nix-command flakes"];

    private IEnumerable<string> Options =>
        sandbox ? [] : ["--option", "sandbox", "false"];

    public static bool IsInstalled => ToolRunner.Which("nix") is not null && ToolRunner.Which("nix-build") is not null;

    /// <summary>The Nix system double of this machine, e.g. x86_64-linux.</summary>
    public static string CurrentSystem => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64-linux",
        _ => "x86_64-linux",
    };

    /// <summary><c>nix build DIR#ATTR</c>; returns the output path. A GC root is kept at <paramref name="outLink"/>.</summary>
    public async Task<string> BuildFlakeAsync(string flakeDirectory, string attribute, string outLink, CancellationToken ct)
    {
        var result = await RunAsync("nix", [.. Features, "build", $"{flakeDirectory}#{attribute}", "--json", "--out-link", outLink, .. Options], flakeDirectory, ct);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement[0].GetProperty("outputs").GetProperty("out").GetString()
               ?? throw new InvalidDataException($"nix build {flakeDirectory}#{attribute} printed no output path");
    }

    /// <summary><c>nix-build FILE</c>; returns the (single) output path.</summary>
    public async Task<string> BuildFileAsync(string file, string outLink, CancellationToken ct)
    {
        var result = await RunAsync("nix-build", [file, "--out-link", outLink, .. Options], Path.GetDirectoryName(file), ct);
        var paths = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return paths.Length == 1 ? paths[0]
            : throw new InvalidDataException($"{file} built {paths.Length} outputs ({string.Join(", ", paths)}); an image definition must evaluate to one derivation");
    }

    /// <summary>The derivation path: it changes exactly when anything the image is built from changes.</summary>
    public async Task<string> InstantiateFileAsync(string file, CancellationToken ct)
    {
        var result = await RunAsync("nix-instantiate", [file, .. Options], Path.GetDirectoryName(file), ct);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
    }

    public async Task<string> EvalFlakeRawAsync(string flakeDirectory, string attribute, CancellationToken ct)
    {
        var result = await RunAsync("nix", [.. Features, "eval", "--raw", $"{flakeDirectory}#{attribute}", .. Options], flakeDirectory, ct);
        return result.StandardOutput.Trim();
    }

    /// <summary>Image packages of a flake for a system: attribute name → meta.version (or null).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> ListFlakeImagesAsync(string flakeDirectory, string system, CancellationToken ct)
    {
        const string apply = """
            ps: builtins.listToAttrs (map (n: {
              name = n;
              value = let v = builtins.tryEval (ps.${n}.meta.version or ps.${n}.version or null); in if v.success then v.value else null;
            }) (builtins.filter (n: builtins.match ".*-image" n != null) (builtins.attrNames ps)))
            """;
        var result = await RunAsync("nix", [.. Features, "eval", "--json", $"{flakeDirectory}#packages.{system}", "--apply", apply, .. Options,
            // Discovery runs on every build, no-op ones included: nix's default of 5 download attempts with backoff
            // spends ~4 s before reporting an unreachable input. Two attempts still ride out a blip.
            "--option", "download-attempts", "2"], flakeDirectory, ct);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null);
    }

    private async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> args, string? cwd, CancellationToken ct)
    {
        var result = await ToolRunner.RunAsync(new ToolInvocation(tool, args)
        {
            WorkingDirectory = cwd,
            CaptureStandardOutput = true,
            OnLine = log,
            TailLines = 80,
        }, ct);
        if (result.Succeeded) return result;
        var invocation = new ToolInvocation(tool, args);
        if (FindFetchFailure(result.Tail) is { } url)
            throw new NixFetchException(url, $"'{invocation}' could not download {url}", result);
        var tail = string.Join(Environment.NewLine, result.Tail.Where(l => !l.StartsWith("warning:", StringComparison.Ordinal)).TakeLast(20).Select(l => "  | " + l));
        throw new ToolException($"'{invocation}' exited with code {result.ExitCode}{Environment.NewLine}{tail}", result);
    }

    [GeneratedRegex(@"unable to download '([^']+)'|unable to (?:fetch|download) ([^\s:]+)|Couldn't resolve host.*?'([^']+)'")]
    private static partial Regex DownloadError();

    internal static string? FindFetchFailure(IEnumerable<string> lines)
    {
        foreach (var line in lines.Reverse())
        {
            if (!line.StartsWith("error:", StringComparison.Ordinal)) continue;
            var m = DownloadError().Match(line);
            if (m.Success) return m.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value;
        }
        return null;
    }
}

/// <summary>nix could not download something (a flake input, a substitute): no network, or a private repository.</summary>
public sealed class NixFetchException(string url, string message, ToolResult result) : Exception(message)
{
    public string Url { get; } = url;
    public ToolResult Result { get; } = result;
}
