using System.Text;
using Slipway.Source.Plan;
using Slipway.Source.Providers;
using Slipway.Tooling;

namespace Slipway.Source.Imaging;

/// <summary>
/// The service's variables as build secrets, the way Railpack gives them to every step: each build command sees
/// them in its environment, from a file mounted read-only in the build container (mode 0600 on the host), never
/// through buildah's argv, the image's config or a layer; their values are masked in the build's log and errors
/// (except the peers' own RAILPACK_*/NIXPACKS_* settings, which configure the build).
/// A changed secret does not re-run a cached install (the install's cache key holds no secret).
/// </summary>
public sealed class BuildSecrets
{
    /// <summary>Where the file is mounted in the build container.</summary>
    public const string MountPath = "/run/slipway-secrets.env";
    /// <summary>Values shorter than this are not masked (they would blank ordinary words), like <see cref="Secrets"/>.</summary>
    private const int MaskFrom = 3;

    public IReadOnlyDictionary<string, string> Values { get; }

    private BuildSecrets(IReadOnlyDictionary<string, string> values) => Values = values;

    public bool IsEmpty => Values.Count == 0;

    /// <summary>The variables that can be environment variables; a name or value that cannot is left out with one line naming it.</summary>
    public static BuildSecrets From(IReadOnlyDictionary<string, string>? variables, Action<string> log)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            if (!IsVariableName(name)) { log($"variable '{Shell.Printable(name)}' is not given to the build: not an environment variable name (letters, digits, _)"); continue; }
            if (value.Contains('\0')) { log($"variable {name} is not given to the build: its value holds a NUL character"); continue; }
            values[name] = value;
            // The peers' own settings (RAILPACK_NODE_VERSION=22, RAILPACK_PRUNE_DEPS=true) configure the build and show
            // in `detect`: masking them would blank ordinary words out of the log.
            if (!PeerConfig.IsSetting(name)) Secrets.Register(value);
        }
        return new BuildSecrets(values);
    }

    /// <summary>A name an environment variable can have: letters, digits and _, not starting with a digit, at most 256.</summary>
    public static bool IsVariableName(string n) => n.Length is > 0 and <= 256 && (char.IsAsciiLetter(n[0]) || n[0] == '_') && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Writes the file (owner-only) that the step's shell sources; returns its host path.</summary>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "secrets.env");
        var text = new StringBuilder();
        foreach (var (k, v) in Values) text.Append("export ").Append(k).Append('=').Append(Shell.Quote(v)).Append('\n');
        using (var f = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var w = new StreamWriter(f, new UTF8Encoding(false)))
            w.Write(text.ToString());
        return path;
    }

    /// <summary>A log line with every secret value masked.</summary>
    public string Mask(string line)
    {
        foreach (var v in Values.Where(kv => !PeerConfig.IsSetting(kv.Key)).Select(kv => kv.Value).Where(v => v.Length >= MaskFrom).OrderByDescending(v => v.Length))
            if (line.Contains(v, StringComparison.Ordinal)) line = line.Replace(v, Secrets.Mask, StringComparison.Ordinal);
        return line;
    }
}
