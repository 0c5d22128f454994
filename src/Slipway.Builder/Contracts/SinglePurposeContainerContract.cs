using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Slipway.Tooling;

namespace Slipway.Builder.Contracts;

/// <summary>
/// The single-purpose builder container: a platform's Job runs one build configured by environment variables and
/// learns the outcome from callbacks to its API. Most of its names are Slipway's own (<see cref="Model.BuildSpecEnvironment"/>);
/// GHCR_USER/GHCR_TOKEN are the push credentials for IMAGE_TAG's registry, CALLBACK_TOKEN goes back with every
/// callback, and DOCKER_HOST (a dind sidecar) sends Dockerfile builds to that Docker engine.
/// </summary>
public sealed class SinglePurposeContainerContract : IEnvironmentContract
{
    public static readonly SinglePurposeContainerContract Instance = new();
    public const string GhcrUser = "GHCR_USER";
    public const string GhcrToken = "GHCR_TOKEN";
    public const string DockerHost = "DOCKER_HOST";

    public string Name => "single-purpose builder container";

    public IReadOnlyDictionary<string, string> Renames { get; } = new Dictionary<string, string>
    {
        [Model.BuildSpecEnvironment.RegistryUser] = GhcrUser,
        [Model.BuildSpecEnvironment.RegistryPassword] = GhcrToken,
    };

    public IReadOnlyList<ContractField> Fields { get; } =
    [
        new("BUILD_JOB_ID", "the build id: idempotency key, `buildId` of every callback"),
        new("CALLBACK_URL", "where RUNNING, then SUCCEEDED or FAILED are POSTed (retried with backoff, stops on 410)"),
        new("CALLBACK_TOKEN", "sent with every callback as `Authorization: Bearer <token>` and as `callbackToken` in the JSON body; enough on its own (no CALLBACK_SECRET needed); never logged"),
        new("CALLBACK_SECRET", "optional: when given too, callbacks also carry the Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`)"),
        new("REPO_CLONE_URL", "the repository; a token in the URL (`https://x-access-token:TOKEN@host/…`) is taken out before git runs and given through an HTTP header, so it reaches no log, argv or `.git/config`"),
        new("REPO_REF", "the commit, branch or tag to build; unset = the default branch"),
        new("IMAGE_TAG", "the destination (`ghcr.io/<org>/<user>--<repo>:<sha>`): pushed by digest, then that tag; the callback's `image` is this tag"),
        new("GHCR_USER / GHCR_TOKEN", "the push credentials for IMAGE_TAG's registry (same as REGISTRY_USER / REGISTRY_PASSWORD; both set differently is refused); never offered to another registry, and the clone token is not offered to the registry"),
        new("ROOT_DIRECTORY", "the app's directory inside the repository (relative, no `..`)"),
        new("BUILD_COMMAND", "replaces the detected build command of a generated (no Dockerfile) build"),
        new("START_COMMAND", "replaces the detected start command (the image's CMD) of a generated build"),
        new("DOCKER_HOST", "set (e.g. `tcp://localhost:2375`, the dind sidecar): Dockerfile builds go through that Docker engine's API (Docker.DotNet.Enhanced); unset: buildah. Generated builds always use buildah (their steps need buildah's isolation). The step sandbox (docs/security.md) wraps buildah's RUN steps only, so it does not apply to DOCKER_HOST builds: that engine's own containers run them"),
    ];

    /// <summary>The Dockerfile engine the environment asks for: the Docker engine at DOCKER_HOST, else buildah.</summary>
    public static string DockerfileEngine(Func<string, string?> get) => get(DockerHost) is { Length: > 0 } ? "docker" : "buildah";

    /// <summary>How a callback carries the token: the bearer header ...</summary>
    public static void Authorize(HttpRequestMessage request, Secret token) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Reveal());

    /// <summary>... and the body's <c>callbackToken</c> field.</summary>
    public static byte[] AddToBody(byte[] body, Secret token)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        json["callbackToken"] = token.Reveal();
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
