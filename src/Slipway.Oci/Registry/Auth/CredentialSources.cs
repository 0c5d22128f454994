using System.Text;
using System.Text.Json;
using Slipway.Tooling;

namespace Slipway.Oci.Registry.Auth;

/// <summary>
/// Where the providers read: the process environment and home, or given ones (tests, a build's own environment).
/// </summary>
public sealed class CredentialEnvironment(IReadOnlyDictionary<string, string?>? environment = null, string? home = null)
{
    public static readonly CredentialEnvironment Process = new();

    public string? Get(string name) => environment is not null ? environment.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);
    public string Home => home ?? Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    internal string? Which(string tool)
    {
        if (environment is null || Get("PATH") is not { } pathVar) return ToolRunner.Which(tool);
        foreach (var dir in pathVar.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, tool))) return Path.Combine(dir, tool);
        return null;
    }
}

/// <summary>
/// docker's config.json ($DOCKER_CONFIG/config.json or ~/.docker/config.json): credHelpers for the host, then auths,
/// then credsStore — the order docker itself asks them in.
/// </summary>
public sealed class DockerConfigCredentials(CredentialEnvironment? environment = null) : ICredentialProvider
{
    private readonly CredentialEnvironment _env = environment ?? CredentialEnvironment.Process;

    public async ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken ct)
    {
        var dockerConfigDir = _env.Get("DOCKER_CONFIG") is { Length: > 0 } dc ? dc : Path.Combine(_env.Home, ".docker");
        var dockerConfig = Path.Combine(dockerConfigDir, "config.json");
        if (!File.Exists(dockerConfig)) return null;
        using var doc = AuthFiles.Parse(dockerConfig);
        var root = doc.RootElement;
        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
            foreach (var h in helpers.EnumerateObject())
                if (AuthFiles.HostMatches(h.Name, registry) && h.Value.GetString() is { Length: > 0 } helper
                    && await FromHelperAsync(helper, registry, dockerConfig, ct) is { } fromHelper)
                    return fromHelper;
        if (AuthFiles.FromAuths(root, registry, dockerConfig) is { } c) return c;
        if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
            if (await FromHelperAsync(storeName, registry, dockerConfig, ct) is { } fromStore) return fromStore;
        return null;
    }

    /// <summary>
    /// Asks <c>docker-credential-HELPER get</c> (the credential-helper protocol: host on stdin, JSON on stdout). A helper
    /// that exits non-zero has no credentials for the host; the search goes on.
    /// </summary>
    private async Task<RegistryCredential?> FromHelperAsync(string helper, string registry, string configFile, CancellationToken ct)
    {
        var tool = "docker-credential-" + helper;
        var path = _env.Which(tool)
            ?? throw new RegistryException($"{configFile} names credential helper '{helper}' for {registry}, but '{tool}' is not on PATH; install it or remove it from {configFile}");
        var result = await ToolRunner.RunAsync(new ToolInvocation(path, ["get"]) { StandardInput = registry, CaptureStandardOutput = true }, ct);
        if (!result.Succeeded) return null;
        try
        {
            using var doc = JsonDocument.Parse(result.StandardOutput);
            var user = doc.RootElement.TryGetProperty("Username", out var u) ? u.GetString() : null;
            var secret = doc.RootElement.TryGetProperty("Secret", out var s) ? s.GetString() : null;
            if (string.IsNullOrEmpty(secret)) return null;
            // Helpers return "<token>" as the username for identity (refresh) tokens.
            return user == "<token>" ? new RegistryCredential(null, null, secret, tool) : new RegistryCredential(user, secret, null, tool);
        }
        catch (JsonException)
        {
            throw new RegistryException($"'{tool} get' answered with something that is not the credential-helper JSON ({{\"Username\":…,\"Secret\":…}}); check the helper");
        }
    }
}

/// <summary>
/// The containers tools' auth files (podman, skopeo, buildah): $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
/// then ~/.config/containers/auth.json ($XDG_CONFIG_HOME).
/// </summary>
public sealed class ContainersAuthFiles(CredentialEnvironment? environment = null) : ICredentialProvider
{
    private readonly CredentialEnvironment _env = environment ?? CredentialEnvironment.Process;

    public ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken ct)
    {
        var files = new List<string?>
        {
            _env.Get("REGISTRY_AUTH_FILE"),
            _env.Get("XDG_RUNTIME_DIR") is { } run ? Path.Combine(run, "containers", "auth.json") : null,
            Path.Combine(_env.Get("XDG_CONFIG_HOME") ?? Path.Combine(_env.Home, ".config"), "containers", "auth.json"),
        };
        foreach (var file in files.OfType<string>().Where(File.Exists))
        {
            using var doc = AuthFiles.Parse(file);
            if (AuthFiles.FromAuths(doc.RootElement, registry, file) is { } c) return ValueTask.FromResult<RegistryCredential?>(c);
        }
        return ValueTask.FromResult<RegistryCredential?>(null);
    }
}

/// <summary>
/// CI variables: GITHUB_TOKEN (as GITHUB_ACTOR) for ghcr.io; CI_REGISTRY_USER/CI_REGISTRY_PASSWORD for GitLab's
/// job registry ($CI_REGISTRY, e.g. gitlab.example.com:5050) or registry.gitlab.com.
/// </summary>
public sealed class CiCredentials(CredentialEnvironment? environment = null) : ICredentialProvider
{
    private readonly CredentialEnvironment _env = environment ?? CredentialEnvironment.Process;

    public ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken ct)
    {
        if (registry == "ghcr.io" && _env.Get("GITHUB_TOKEN") is { Length: > 0 } gh)
            return Found(new RegistryCredential(_env.Get("GITHUB_ACTOR") is { Length: > 0 } actor ? actor : "x-access-token", gh, null, "GITHUB_TOKEN"));
        var gitlab = _env.Get("CI_REGISTRY") is { Length: > 0 } ci ? AuthFiles.HostMatches(ci, registry) || registry == "registry.gitlab.com" : registry == "registry.gitlab.com";
        if (gitlab && _env.Get("CI_REGISTRY_USER") is { Length: > 0 } user && _env.Get("CI_REGISTRY_PASSWORD") is { Length: > 0 } pass)
            return Found(new RegistryCredential(user, pass, null, "CI_REGISTRY_USER/CI_REGISTRY_PASSWORD"));
        return Found(null);
    }

    private static ValueTask<RegistryCredential?> Found(RegistryCredential? c) => ValueTask.FromResult(c);
}

/// <summary>The <c>auths</c> format docker's config.json and containers' auth.json share.</summary>
internal static class AuthFiles
{
    internal static JsonDocument Parse(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON (line {e.LineNumber + 1}): fix or remove it"); }
    }

    internal static RegistryCredential? FromAuths(JsonElement root, string registry, string file)
    {
        if (!root.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object) return null;
        foreach (var entry in auths.EnumerateObject())
        {
            if (!HostMatches(entry.Name, registry)) continue;
            var e = entry.Value;
            string? user = null, pass = null, token = null;
            if (e.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } b64)
            {
                string decoded;
                try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(b64)); }
                catch (FormatException) { throw new InvalidDataException($"{file}: auths.\"{entry.Name}\".auth is not base64 of USER:PASSWORD"); }
                var colon = decoded.IndexOf(':');
                if (colon < 0) throw new InvalidDataException($"{file}: auths.\"{entry.Name}\".auth does not decode to USER:PASSWORD");
                user = decoded[..colon];
                pass = decoded[(colon + 1)..];
            }
            if (e.TryGetProperty("username", out var u)) user = u.GetString() ?? user;
            if (e.TryGetProperty("password", out var p)) pass = p.GetString() ?? pass;
            if (e.TryGetProperty("identitytoken", out var t)) token = t.GetString();
            if (string.IsNullOrEmpty(token)) token = null;
            // `docker login` to an OAuth registry stores auth "<token>:" beside the identity token: the token is the credential.
            if (token is not null && (user == "<token>" || string.IsNullOrEmpty(pass))) (user, pass) = (null, null);
            if (user is not null || token is not null) return new RegistryCredential(user, pass, token, file);
        }
        return null;
    }

    /// <summary>Matches "host", "https://host", "https://host/v1/" keys against a registry host.</summary>
    internal static bool HostMatches(string key, string registry)
    {
        var k = key;
        if (k.Contains("://")) k = k[(k.IndexOf("://", StringComparison.Ordinal) + 3)..];
        k = k.Split('/')[0];
        if (k == registry) return true;
        return registry == "docker.io" && k is "index.docker.io" or "registry-1.docker.io";
    }
}
