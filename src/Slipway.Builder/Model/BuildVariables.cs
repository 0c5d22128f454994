using Microsoft.Extensions.Configuration;
using Slipway.Tooling;

namespace Slipway.Builder.Model;

/// <summary>
/// The builder-container contract: the environment variable behind each <see cref="BuildSpec"/> field. One home
/// for the names, used both ways: a spec becomes a container's environment (Kubernetes executor, job dry-run)
/// and a configuration (environment, flags) becomes a spec. Secret values are listed apart: they travel only
/// through Secrets/secretKeyRef or the environment, never through flags or a Job spec.
/// </summary>
public static class BuildVariables
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
    public const string RegistryUser = "REGISTRY_USER";
    public const string Attempt = "BUILD_ATTEMPT";

    public const string GitHubToken = "GITHUB_TOKEN";
    public const string CallbackSecret = "CALLBACK_SECRET";
    public const string RegistryPassword = "REGISTRY_PASSWORD";

    /// <summary>Where the builder writes its <see cref="BuildOutcome"/> when set (the Kubernetes termination-message path).</summary>
    public const string OutcomeFile = "SLIPWAY_OUTCOME_FILE";

    /// <summary>The non-secret variables of a spec, in contract order; unset fields are left out.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> NonSecret(BuildSpec spec)
    {
        var list = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value) { if (!string.IsNullOrEmpty(value)) list.Add(new(name, value)); }
        Add(BuildJobId, spec.BuildId);
        Add(RepoCloneUrl, spec.RepoCloneUrl);
        Add(RepoRef, spec.Ref);
        Add(Tenant, spec.Tenant);
        Add(Service, spec.Service);
        Add(ImageTag, spec.ImageTag);
        Add(RootDirectory, spec.RootDirectory);
        Add(DockerfilePath, spec.DockerfilePath);
        Add(BuildCommand, spec.BuildCommand);
        Add(StartCommand, spec.StartCommand);
        Add(CallbackUrl, spec.CallbackUrl);
        Add(RegistryUser, spec.RegistryUser);
        Add(Attempt, spec.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return list;
    }

    /// <summary>The secret variables of a spec (name, value); unset ones are left out.</summary>
    public static IReadOnlyList<KeyValuePair<string, Secret>> SecretValues(BuildSpec spec)
    {
        var list = new List<KeyValuePair<string, Secret>>();
        if (spec.GitToken is { } token) list.Add(new(GitHubToken, token));
        if (spec.CallbackSecret is { } callback) list.Add(new(CallbackSecret, callback));
        if (spec.RegistryPassword is { } password) list.Add(new(RegistryPassword, password));
        return list;
    }

    /// <summary>
    /// A spec from configuration keyed by the contract names (environment variables, or flags mapped onto them).
    /// Missing required values and bad combinations are one line naming the variable and the fix.
    /// </summary>
    public static BuildSpec FromConfiguration(IConfiguration configuration)
    {
        string? Get(string name) => configuration[name] is { Length: > 0 } v ? v : null;
        string Required(string name) => Get(name)
            ?? throw new ArgumentException($"{name} is not set: every build needs it (environment variable {name}).");

        var tenant = Get(Tenant);
        var service = Get(Service);
        var imageTag = Get(ImageTag);
        if (imageTag is null && (tenant is null || service is null))
            throw new ArgumentException($"no destination: set {ImageTag} (docker://HOST/REPO:TAG or oci:DIR:TAG) or both {Tenant} and {Service}.");
        if ((tenant is null) != (service is null))
            throw new ArgumentException($"{Tenant} and {Service} go together: set both or neither (got only {(tenant is null ? Service : Tenant)}).");
        var attempt = 1;
        if (Get(Attempt) is { } a && (!int.TryParse(a, out attempt) || attempt < 1))
            throw new ArgumentException($"{Attempt}='{a}' is not a positive whole number.");

        return new BuildSpec
        {
            BuildId = Required(BuildJobId),
            RepoCloneUrl = Required(RepoCloneUrl),
            Ref = Get(RepoRef),
            Tenant = tenant,
            Service = service,
            ImageTag = imageTag,
            RootDirectory = Get(RootDirectory),
            DockerfilePath = Get(DockerfilePath),
            BuildCommand = Get(BuildCommand),
            StartCommand = Get(StartCommand),
            CallbackUrl = Get(CallbackUrl),
            CallbackSecret = Secret.FromNullable(Get(CallbackSecret)),
            GitToken = Secret.FromNullable(Get(GitHubToken)),
            RegistryUser = Get(RegistryUser),
            RegistryPassword = Secret.FromNullable(Get(RegistryPassword)),
            Attempt = attempt,
        };
    }
}
