using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Builder.Git;
using Slipway.Builder.Model;
using Slipway.Builder.Validation;
using Slipway.Tooling;

namespace Slipway.Builder.Queue;

/// <summary>
/// A build request on the queue (JSON, camelCase; documented in the README):
/// id, repo, ref, tenant, service, rootDirectory, dockerfile, buildCommand, startCommand, installationId, token,
/// callbackUrl, and optionally imageTag instead of tenant/service.
/// </summary>
public sealed record BuildRequest
{
    public string? Id { get; init; }
    public string? Repo { get; init; }
    public string? Ref { get; init; }
    public string? Tenant { get; init; }
    public string? Service { get; init; }
    public string? ImageTag { get; init; }
    public string? RootDirectory { get; init; }
    public string? Dockerfile { get; init; }
    public string? BuildCommand { get; init; }
    public string? StartCommand { get; init; }
    public long? InstallationId { get; init; }
    public string? Token { get; init; }
    public string? CallbackUrl { get; init; }
    /// <summary>Dockerfile build arguments (the Kubernetes buildah builder's BUILD_ARGS as an object).</summary>
    public Dictionary<string, string>? BuildArgs { get; init; }
    /// <summary>The Dockerfile build's context relative to the repository (BUILD_CONTEXT).</summary>
    public string? BuildContext { get; init; }
    /// <summary>A version chosen by the caller instead of the next one (VERSION); refused if it exists.</summary>
    public int? Version { get; init; }
    /// <summary>Platforms to build for, e.g. ["linux/amd64", "linux/arm64"] (an image index when more than one); none = the builder's own.</summary>
    public List<string>? Platforms { get; init; }
    /// <summary>The service's Railpack/Nixpacks settings, e.g. {"RAILPACK_NODE_VERSION": "22"} (only RAILPACK_* and NIXPACKS_* names).</summary>
    public Dictionary<string, string>? Variables { get; init; }
    /// <summary>The queue builder's fields (Contracts/QueueBuilderContract): its user, and what kind of source.</summary>
    [JsonPropertyName("userID")] public string? UserId { get; init; }
    public string? Type { get; init; }
    public string? Connector { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The whole message's cap: far above any honest request, far below what would strain the worker or the store.</summary>
    public const int MaxBytes = 64 * 1024;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Parses and validates; a bad request is one line naming the field and the fix (never the token).</summary>
    public static BuildRequest Parse(ReadOnlySpan<byte> body, string source = "request")
    {
        if (body.Length > MaxBytes)
            throw new StepFailure("validate", FailureClass.Permanent, $"{source}: the request is {body.Length} bytes; the limit is {MaxBytes} (commands and fields have their own caps)");
        BuildRequest? request;
        try { request = JsonSerializer.Deserialize<BuildRequest>(body, Json); }
        catch (JsonException e)
        {
            throw new StepFailure("validate", FailureClass.Permanent,
                $"{source}: not a build request ({e.Message.Split('.')[0]}{(e.Path is { } p ? $" at {p}" : "")}); fields: id, repo, ref, tenant, service, imageTag, rootDirectory, dockerfile, buildCommand, startCommand, installationId, token, callbackUrl, buildArgs, buildContext, version, platforms, variables, userID, type, connector");
        }
        return request ?? throw new StepFailure("validate", FailureClass.Permanent, $"{source}: empty build request");
    }

    /// <summary>The spec for one attempt; the worker's settings supply the callback secret and GitHub App.</summary>
    public BuildSpec ToSpec(int attempt, Secret? callbackSecret, GitHubAppSettings? gitHubApp, InputPolicy? policy = null)
    {
        if (string.IsNullOrWhiteSpace(Id)) throw Invalid("'id' is missing; give each request a unique id (the idempotency key)");
        if (string.IsNullOrWhiteSpace(Repo)) throw Invalid($"request {Printable(Id)}: 'repo' is missing; give the https clone URL");
        var (url, urlToken) = CloneUrl.Split(Repo);
        GitHubAppIdentity? app = null;
        if (InstallationId is { } installation)
        {
            if (gitHubApp is null) throw Invalid($"request {Printable(Id)}: 'installationId' given but the worker has no GitHub App; start it with --github-app-id and --github-app-key");
            app = new GitHubAppIdentity(gitHubApp.AppId, gitHubApp.PrivateKeyFile, installation);
        }
        Dictionary<string, string>? buildArgs = null;
        if (BuildArgs is { Count: > 0 })
        {
            buildArgs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in BuildArgs)
            {
                try { Contracts.KubernetesBuildahContract.Check(k, v ?? ""); }
                catch (FormatException e) { throw Invalid($"request {Id}: buildArgs: {e.Message}"); }
                buildArgs[k] = v ?? "";
            }
        }
        if (Version is < 1) throw Invalid($"request {Id}: version {Version} is not a version number; give a positive whole number or leave it out");
        IReadOnlyList<Slipway.Oci.Model.Platform>? platforms = null;
        if (Platforms is { Count: > 0 })
        {
            if (Platforms.Count > Slipway.Source.TargetPlatforms.Supported.Count * 2)
                throw Invalid($"request {Printable(Id)}: platforms lists {Platforms.Count} entries; valid platforms: {Slipway.Source.TargetPlatforms.Valid}");
            try { platforms = Slipway.Source.TargetPlatforms.ParseList(string.Join(',', Platforms.Select(p => (p ?? "").Replace(",", " "))), "platforms"); }
            catch (FormatException e) { throw Invalid($"request {Printable(Id)}: {e.Message}"); }
        }
        IReadOnlyDictionary<string, string>? variables = null;
        if (Variables is { Count: > 0 })
        {
            try { variables = PeerVariables.Check(Variables.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))); }
            catch (FormatException e) { throw Invalid($"request {Printable(Id)}: variables: {e.Message}"); }
        }
        var spec = new BuildSpec
        {
            BuildId = Id, RepoCloneUrl = url, Ref = Ref, Tenant = Tenant, Service = Service, ImageTag = ImageTag,
            RootDirectory = RootDirectory, DockerfilePath = Dockerfile, BuildCommand = BuildCommand, StartCommand = StartCommand,
            CallbackUrl = CallbackUrl, CallbackSecret = CallbackUrl is null ? null : callbackSecret,
            GitToken = Secret.FromNullable(Token) ?? urlToken, GitHubApp = app, Attempt = attempt,
            BuildArgs = buildArgs, BuildContext = BuildContext, Version = Version, Platforms = platforms, Variables = variables,
        };
        if (BuildSpecValidation.Explain(spec, policy) is { } error) throw Invalid($"request {Printable(Id)}: {error}");
        return spec;
    }

    /// <summary>
    /// What <c>submit</c> checks before publishing: everything a worker checks except its own settings (the
    /// callback secret and the GitHub App are the worker's, so stand-ins take their place here).
    /// </summary>
    public void Validate(InputPolicy? policy = null) =>
        ToSpec(1, CallbackUrl is null ? null : new Secret(WebhookPlaceholder), InstallationId is null ? null : new GitHubAppSettings(0, "worker's key"), policy);

    /// <summary>An id as it may appear in a refusal line (control characters escaped, cut short).</summary>
    private static string Printable(string? id) =>
        id is null ? "" : string.Concat((id.Length > 64 ? id[..64] + "…" : id).Select(c => c < 0x20 || c == 0x7f ? $"\\u{(int)c:X4}" : c.ToString()));

    private const string WebhookPlaceholder = "whsec_c3VibWl0LXNpZGUtY2hlY2stb25seQ==";

    private static StepFailure Invalid(string message) => new("validate", FailureClass.Permanent, message);
}

public sealed record GitHubAppSettings(long AppId, string PrivateKeyFile);
