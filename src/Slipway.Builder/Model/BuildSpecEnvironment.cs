using Slipway.Builder.Validation;
using Slipway.Tooling;

namespace Slipway.Builder.Model;

/// <summary>
/// The builder-container contract in one place: <see cref="FromEnvironment"/> is what <c>slipway builder run</c>
/// reads, <see cref="ToEnvironment"/> is what an executor (Kubernetes Job, child process) sets. Secret variables
/// are listed in <see cref="SecretNames"/> so an executor can route them through a Secret instead of a spec.
/// </summary>
public static class BuildSpecEnvironment
{
    public const string BuildJobId = "BUILD_JOB_ID";
    public const string RepoCloneUrl = "REPO_CLONE_URL";
    public const string RepoRef = "REPO_REF";
    public const string Tenant = "TENANT";
    public const string Service = "SERVICE";
    public const string ImageTag = "IMAGE_TAG";
    public const string RootDirectory = "ROOT_DIRECTORY";
    public const string DockerfilePath = "DOCKERFILE_PATH";
    public const string BuildCommand = "BUILD_COMMAND";
    public const string StartCommand = "START_COMMAND";
    public const string CallbackUrl = "CALLBACK_URL";
    public const string CallbackSecret = "CALLBACK_SECRET";
    public const string GitHubToken = "GITHUB_TOKEN";
    public const string GitHubAppId = "GITHUB_APP_ID";
    public const string GitHubAppKeyFile = "GITHUB_APP_KEY_FILE";
    public const string GitHubInstallationId = "GITHUB_INSTALLATION_ID";
    public const string RegistryUser = "REGISTRY_USER";
    public const string RegistryPassword = "REGISTRY_PASSWORD";
    public const string BuildAttempt = "BUILD_ATTEMPT";
    public const string CallbackToken = "CALLBACK_TOKEN";
    public const string BuildContext = "BUILD_CONTEXT";
    public const string BuildArgs = "BUILD_ARGS";
    public const string Version = "VERSION";
    public const string Platforms = "PLATFORMS";

    /// <summary>Variables whose values are secrets (executors put these in a Secret, never in a spec or argv).</summary>
    public static readonly IReadOnlyList<string> SecretNames = [CallbackSecret, GitHubToken, RegistryPassword, CallbackToken];

    /// <summary>
    /// Reads a spec; a missing required variable or a bad number is one <see cref="StepFailure"/> line (permanent)
    /// naming the variable and the fix. Credentials in the clone URL are moved into <see cref="BuildSpec.GitToken"/>.
    /// </summary>
    /// <param name="names">The environment's variable names: its RAILPACK_* and NIXPACKS_* ones become <see cref="BuildSpec.Variables"/>.</param>
    public static BuildSpec FromEnvironment(Func<string, string?> get, InputPolicy? policy = null, IEnumerable<string>? names = null)
    {
        // A secret may also come as a file (NAME_FILE: a mounted Kubernetes Secret), so it is never in the environment.
        string? Get(string name) => get(name) is { Length: > 0 } v ? v
            : SecretNames.Contains(name) && get(name + "_FILE") is { Length: > 0 } file ? ReadSecretFile(name, file) : null;
        string Required(string name) => Get(name) ?? throw Invalid($"{name} is not set; set it to {Describe(name)}");

        var (url, urlToken) = Git.CloneUrl.Split(Required(RepoCloneUrl));
        GitHubAppIdentity? app = null;
        if (Get(GitHubAppId) is { } appId)
        {
            if (!long.TryParse(appId, out var id)) throw Invalid($"{GitHubAppId}='{appId}' is not a number; set it to the GitHub App's numeric id");
            var keyFile = Required(GitHubAppKeyFile);
            var installation = Required(GitHubInstallationId);
            if (!long.TryParse(installation, out var inst)) throw Invalid($"{GitHubInstallationId}='{installation}' is not a number; set it to the installation's numeric id");
            app = new GitHubAppIdentity(id, keyFile, inst);
        }
        var attempt = 1;
        if (Get(BuildAttempt) is { } a && (!int.TryParse(a, out attempt) || attempt < 1))
            throw Invalid($"{BuildAttempt}='{a}' is not a positive number");
        int? version = null;
        if (Get(Version) is { } ver)
        {
            if (!int.TryParse(ver, System.Globalization.NumberStyles.None, null, out var n) || n < 1)
                throw Invalid($"{Version}='{ver}' is not a version number; set it to a positive whole number (or leave it out to allocate the next one)");
            version = n;
        }
        IReadOnlyDictionary<string, string>? buildArgs = null;
        if (Get(BuildArgs) is { } rawArgs)
        {
            try { buildArgs = Contracts.KubernetesBuildahContract.ParseBuildArgs(rawArgs); }
            catch (FormatException e) { throw Invalid($"{BuildArgs}: {e.Message}"); }
        }
        IReadOnlyList<Slipway.Oci.Model.Platform>? platforms = null;
        if (Get(Platforms) is { } rawPlatforms)
        {
            try { platforms = Slipway.Source.TargetPlatforms.ParseList(rawPlatforms, Platforms); }
            catch (FormatException e) { throw Invalid(e.Message); }
        }
        var spec = new BuildSpec
        {
            BuildId = Required(BuildJobId),
            RepoCloneUrl = url,
            Ref = Get(RepoRef),
            Tenant = Get(Tenant),
            Service = Get(Service),
            ImageTag = Get(ImageTag),
            RootDirectory = Get(RootDirectory),
            DockerfilePath = Get(DockerfilePath),
            BuildCommand = Get(BuildCommand),
            StartCommand = Get(StartCommand),
            CallbackUrl = Get(CallbackUrl),
            CallbackSecret = Secret.FromNullable(Get(CallbackSecret)),
            GitToken = Secret.FromNullable(Get(GitHubToken)) ?? urlToken,
            GitHubApp = app,
            RegistryUser = Get(RegistryUser),
            RegistryPassword = Secret.FromNullable(Get(RegistryPassword)),
            Attempt = attempt,
            CallbackToken = Secret.FromNullable(Get(CallbackToken)),
            BuildContext = Get(BuildContext),
            BuildArgs = buildArgs,
            Version = version,
            Platforms = platforms,
            Variables = PeerSettings(get, names),
        };
        if (BuildSpecValidation.Explain(spec, policy ?? new InputPolicy { ImageTag = ImageTagRule.Any }) is { } error) throw Invalid(error);
        return spec;
    }

    public static BuildSpec FromEnvironment(InputPolicy? policy = null) =>
        FromEnvironment(Environment.GetEnvironmentVariable, policy, Environment.GetEnvironmentVariables().Keys.Cast<string>());

    private static IReadOnlyDictionary<string, string>? PeerSettings(Func<string, string?> get, IEnumerable<string>? names)
    {
        var peer = (names ?? []).Where(PeerVariables.IsPeerName).Distinct().Select(n => new KeyValuePair<string, string?>(n, get(n))).ToList();
        if (peer.Count == 0) return null;
        try { return PeerVariables.Check(peer); }
        catch (FormatException e) { throw Invalid(e.Message); }
    }

    private static string? ReadSecretFile(string name, string path)
    {
        try { return File.ReadAllText(path).TrimEnd('\n', '\r') is { Length: > 0 } v ? v : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"{name}_FILE='{path}' cannot be read ({e.GetType().Name}); mount the secret there or unset {name}_FILE");
        }
    }

    /// <summary>The variables for a spec (secrets revealed: the caller puts them where only the child sees them).</summary>
    public static IReadOnlyDictionary<string, string> ToEnvironment(BuildSpec spec)
    {
        var env = new Dictionary<string, string>();
        void Set(string name, string? value) { if (!string.IsNullOrEmpty(value)) env[name] = value; }
        Set(BuildJobId, spec.BuildId);
        Set(RepoCloneUrl, spec.RepoCloneUrl);
        Set(RepoRef, spec.Ref);
        Set(Tenant, spec.Tenant);
        Set(Service, spec.Service);
        Set(ImageTag, spec.ImageTag);
        Set(RootDirectory, spec.RootDirectory);
        Set(DockerfilePath, spec.DockerfilePath);
        Set(BuildCommand, spec.BuildCommand);
        Set(StartCommand, spec.StartCommand);
        Set(CallbackUrl, spec.CallbackUrl);
        Set(CallbackSecret, spec.CallbackSecret?.Reveal());
        Set(GitHubToken, spec.GitToken?.Reveal());
        if (spec.GitHubApp is { } app)
        {
            Set(GitHubAppId, app.AppId.ToString());
            Set(GitHubAppKeyFile, app.PrivateKeyFile);
            Set(GitHubInstallationId, app.InstallationId.ToString());
        }
        Set(RegistryUser, spec.RegistryUser);
        Set(RegistryPassword, spec.RegistryPassword?.Reveal());
        Set(BuildAttempt, spec.Attempt.ToString());
        Set(CallbackToken, spec.CallbackToken?.Reveal());
        Set(BuildContext, spec.BuildContext);
        if (spec.BuildArgs is { Count: > 0 } args) Set(BuildArgs, Contracts.KubernetesBuildahContract.FormatBuildArgs(args));
        Set(Version, spec.Version?.ToString());
        if (spec.Platforms is { Count: > 0 } platforms) Set(Platforms, string.Join(',', platforms));
        foreach (var (k, v) in spec.Variables ?? new Dictionary<string, string>()) env[k] = v;
        return env;
    }

    private static StepFailure Invalid(string message) => new("configure", FailureClass.Permanent, message);

    private static string Describe(string name) => name switch
    {
        BuildJobId => "a unique build id (the idempotency key)",
        RepoCloneUrl => "the repository's https clone URL",
        GitHubAppKeyFile => "the path of the GitHub App's private key (PEM)",
        GitHubInstallationId => "the GitHub App installation id",
        _ => "a value",
    };
}
