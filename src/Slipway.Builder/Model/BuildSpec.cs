using Slipway.Tooling;

namespace Slipway.Builder.Model;

/// <summary>
/// Everything one build needs: the contract of a single-purpose builder container (its environment variables
/// are named in brackets). The local executor runs it in-process; the Kubernetes executor turns it back into
/// those variables (secrets through Secrets, never in the Job spec).
/// </summary>
public sealed record BuildSpec
{
    /// <summary>[BUILD_JOB_ID] Idempotency key: a redelivered request with the same id is not built twice.</summary>
    public required string BuildId { get; init; }
    /// <summary>[REPO_CLONE_URL] Without credentials; credentials found in it are moved to <see cref="GitToken"/>.</summary>
    public required string RepoCloneUrl { get; init; }
    /// <summary>[REPO_REF] A full commit sha (preferred), a branch or a tag; null = the default branch.</summary>
    public string? Ref { get; init; }
    /// <summary>[TENANT] + [SERVICE]: publish to {registry}/tenants/{tenant}/{service}:{n}.</summary>
    public string? Tenant { get; init; }
    public string? Service { get; init; }
    /// <summary>[IMAGE_TAG] An explicit destination (docker://HOST/REPO:TAG or oci:DIR:TAG) instead of tenant naming.</summary>
    public string? ImageTag { get; init; }
    public string? RootDirectory { get; init; }       // [ROOT_DIRECTORY]
    public string? DockerfilePath { get; init; }      // [DOCKERFILE_PATH]
    public string? BuildCommand { get; init; }        // [BUILD_COMMAND]
    public string? StartCommand { get; init; }        // [START_COMMAND]
    public string? CallbackUrl { get; init; }         // [CALLBACK_URL]
    public Secret? CallbackSecret { get; init; }      // [CALLBACK_SECRET] whsec_...
    /// <summary>[GITHUB_TOKEN] or a token taken out of the clone URL.</summary>
    public Secret? GitToken { get; init; }
    /// <summary>[GITHUB_APP_ID] [GITHUB_APP_KEY_FILE] [GITHUB_INSTALLATION_ID]</summary>
    public GitHubAppIdentity? GitHubApp { get; init; }
    public string? RegistryUser { get; init; }        // [REGISTRY_USER]
    public Secret? RegistryPassword { get; init; }    // [REGISTRY_PASSWORD]
    /// <summary>1 for the first try; the queue counts attempts in a header of its own.</summary>
    public int Attempt { get; init; } = 1;
    /// <summary>[CALLBACK_TOKEN] A token the receiving API checks: sent as <c>Authorization: Bearer</c> and in the body.</summary>
    public Secret? CallbackToken { get; init; }
    /// <summary>[BUILD_CONTEXT] The Dockerfile build's context, relative to the repository; DOCKERFILE_PATH is then relative to the repository too.</summary>
    public string? BuildContext { get; init; }
    /// <summary>[BUILD_ARGS] Dockerfile build arguments (ARG), over those of image.yml.</summary>
    public IReadOnlyDictionary<string, string>? BuildArgs { get; init; }
    /// <summary>[VERSION] A version number chosen by the caller: used instead of allocating one, refused if it exists.</summary>
    public int? Version { get; init; }
    /// <summary>
    /// [PLATFORMS] What to build for (<c>linux/amd64,linux/arm64</c>, parsed by <see cref="Slipway.Source.TargetPlatforms"/>):
    /// more than one makes an OCI image index. Null = the builder's own platform, a single image as before.
    /// </summary>
    public IReadOnlyList<Slipway.Oci.Model.Platform>? Platforms { get; init; }
    /// <summary>
    /// [RAILPACK_*, NIXPACKS_*] The service's Railpack/Nixpacks settings (<see cref="Validation.PeerVariables"/>),
    /// read by the source engine's detection and given to the build's steps as secrets; null = none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }
}

public sealed record GitHubAppIdentity(long AppId, string PrivateKeyFile, long InstallationId);
