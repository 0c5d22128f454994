using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Builder.Contracts;

/// <summary>
/// The Kubernetes buildah builder: a platform creates a Job per build with REPO_URL, BRANCH, BUILD_CONTEXT,
/// DOCKERFILE_PATH, BUILD_ARGS (<c>--build-arg K=V …</c>) and the version number it chose, a cluster-wide
/// <c>github-credentials</c> Secret as the fallback token, a <c>registry-credentials</c> docker-config Secret, and an
/// in-cluster registry spoken to over plain HTTP.
/// </summary>
public sealed partial class KubernetesBuildahContract : IEnvironmentContract
{
    public static readonly KubernetesBuildahContract Instance = new();
    public const string RepoUrl = "REPO_URL";
    public const string Branch = "BRANCH";
    /// <summary>The Secret (key <c>token</c>) the Job takes GITHUB_TOKEN from when the build brings none.</summary>
    public const string GitHubCredentialsSecret = "github-credentials";
    /// <summary>The docker-config Secret mounted as DOCKER_CONFIG.</summary>
    public const string RegistryCredentialsSecret = "registry-credentials";

    public string Name => "Kubernetes buildah builder";

    public IReadOnlyDictionary<string, string> Renames { get; } = new Dictionary<string, string>
    {
        [Model.BuildSpecEnvironment.RepoCloneUrl] = RepoUrl,
        [Model.BuildSpecEnvironment.RepoRef] = Branch,
    };

    public IReadOnlyList<ContractField> Fields { get; } =
    [
        new("REPO_URL", "the repository (same as REPO_CLONE_URL; both set differently is refused); a token in it is moved to a header"),
        new("BRANCH", "the branch (any ref works: same as REPO_REF)"),
        new("BUILD_CONTEXT", "the Dockerfile build's context directory, relative to the repository (no `..`, no absolute path)"),
        new("DOCKERFILE_PATH", "with BUILD_CONTEXT: the Dockerfile relative to the repository root (as `buildah bud -f PATH CONTEXT` run at the root reads it); without: relative to ROOT_DIRECTORY"),
        new("BUILD_ARGS", "`--build-arg K=V --build-arg K2=\"V 2\" …` (also `--build-arg=K=V`): passed to the Dockerfile build over image.yml's; a name must be an ARG-style identifier; anything else is one line naming the word. Queue requests give the same as the object `buildArgs`"),
        new("VERSION", "the version number the caller chose (request field `version`): the image is tagged with it (and `latest`) instead of an allocated number; refused, permanent, if that version already exists (in PostgreSQL when the builder has it, else as a tag in the registry)"),
        new("github-credentials Secret", "the Job's GITHUB_TOKEN comes from this Secret's key `token` (optional reference) when the build brings no token of its own (`Kubernetes:GitHubCredentialsSecret`)"),
        new("registry-credentials Secret", "a `kubernetes.io/dockerconfigjson` Secret mounted read-only with DOCKER_CONFIG pointing at it (`Kubernetes:RegistryConfigSecret=registry-credentials`); Slipway's credential chain reads it"),
        new("--tls-verify=false", "`--insecure-registry HOST[:PORT]` (repeatable, or comma-separated) / BUILDER_INSECURE_REGISTRIES: that registry is spoken to over plain HTTP; every other registry stays HTTPS"),
        new("ARM64 nodes", "`PLATFORMS=linux/arm64` (request `platforms`, `--platform`): the Job gets the node selector `kubernetes.io/arch: arm64` and builds natively on that node; `linux/amd64,linux/arm64` pushes an image index, the other platform cross-built under qemu (see Platforms below)"),
    ];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ArgName();

    /// <summary>
    /// <c>--build-arg K=V …</c> → K → V. Words split on blanks; single or double quotes keep blanks in a value.
    /// No shell runs: <c>$(…)</c> or <c>;</c> are plain characters of a value.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseBuildArgs(string text)
    {
        var words = Words(text);
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            string pair;
            if (words[i] == "--build-arg")
            {
                if (i + 1 >= words.Count) throw new FormatException("'--build-arg' at the end needs K=V after it");
                pair = words[++i];
            }
            else if (words[i].StartsWith("--build-arg=", StringComparison.Ordinal)) pair = words[i]["--build-arg=".Length..];
            else throw new FormatException($"'{words[i]}' is not part of '--build-arg K=V'; write each argument as --build-arg NAME=VALUE");
            AddPair(args, pair);
        }
        return args;
    }

    /// <summary>Adds NAME=VALUE, checking the name (one line naming it otherwise).</summary>
    public static void AddPair(Dictionary<string, string> args, string pair)
    {
        var eq = pair.IndexOf('=');
        var (name, value) = eq < 0 ? (pair, "") : (pair[..eq], pair[(eq + 1)..]);
        Check(name, value);
        args[name] = value;
    }

    public static void Check(string name, string value)
    {
        if (!ArgName().IsMatch(name)) throw new FormatException($"build argument name '{name}' is not valid; use letters, digits and '_' (not starting with a digit)");
        if (value.Any(c => c is '\0' or '\n' or '\r')) throw new FormatException($"build argument {name} has a NUL or line break in its value");
    }

    /// <summary>The same form back (values quoted when they need it), for the Job's BUILD_ARGS.</summary>
    public static string FormatBuildArgs(IReadOnlyDictionary<string, string> args) =>
        string.Join(' ', args.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
            "--build-arg " + kv.Key + "=" + (kv.Value.Length > 0 && kv.Value.All(c => !char.IsWhiteSpace(c) && c is not ('"' or '\'' or '\\')) ? kv.Value : "'" + kv.Value.Replace("'", "'\"'\"'") + "'")));

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else current.Append(c);
            }
            else if (c is '\'' or '"') { quote = c; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
            }
            else { current.Append(c); inWord = true; }
        }
        if (quote != '\0') throw new FormatException($"a {quote} quote is not closed");
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
