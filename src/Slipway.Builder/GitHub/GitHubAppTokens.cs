using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Octokit;
using Slipway.Builder.Model;
using Slipway.Tooling;

namespace Slipway.Builder.GitHub;

/// <summary>
/// GitHub App installation tokens through Octokit: an RS256 JWT from the app's key (iat 60 s in the past against
/// clock drift, exp 9 min ahead, GitHub's limit is 10), exchanged for a token scoped to the one repository with
/// contents: read, cached until five minutes before it expires.
/// </summary>
public sealed class GitHubAppTokens(Uri? apiBase = null, TimeProvider? clock = null)
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(long App, long Installation, string Repository), (Secret Token, DateTimeOffset ExpiresAt)> _cache = new();

    /// <summary>How many tokens were asked of GitHub (the rest came from the cache).</summary>
    public int Issued => _issued;
    private int _issued;

    public async Task<Secret> GetTokenAsync(GitHubAppIdentity app, string repositoryName, CancellationToken cancellationToken)
    {
        var key = (app.AppId, app.InstallationId, repositoryName);
        if (_cache.TryGetValue(key, out var cached) && cached.ExpiresAt - RefreshMargin > _clock.GetUtcNow())
        {
            Secrets.Register(cached.Token.Reveal()); // masked in this build's lines too (redaction is per build)
            return cached.Token;
        }

        var jwt = new Secret(CreateJwt(app.AppId, ReadKey(app.PrivateKeyFile), _clock.GetUtcNow()));
        var client = apiBase is null
            ? new GitHubClient(new ProductHeaderValue("slipway-builder"))
            : new GitHubClient(new ProductHeaderValue("slipway-builder"), apiBase);
        client.Credentials = new Credentials(jwt.Reveal(), AuthenticationType.Bearer);
        AccessToken token;
        try
        {
            // Octokit's CreateInstallationToken cannot narrow repositories/permissions; the endpoint can.
            var api = new ApiConnection(client.Connection);
            token = await api.Post<AccessToken>(new Uri($"app/installations/{app.InstallationId}/access_tokens", UriKind.Relative),
                new ScopedTokenRequest([repositoryName], new Dictionary<string, string> { ["contents"] = "read" }));
        }
        catch (ApiException e)
        {
            var transient = (int)e.StatusCode >= 500 || (int)e.StatusCode == 429;
            throw new StepFailure("github-token", transient ? FailureClass.Transient : FailureClass.Permanent,
                $"GitHub refused an installation token for app {app.AppId}, installation {app.InstallationId}, repository '{repositoryName}': {(int)e.StatusCode} {e.Message}" +
                (transient ? "" : "; check GITHUB_APP_ID, GITHUB_APP_KEY_FILE, GITHUB_INSTALLATION_ID and that the app is installed on the repository"));
        }
        catch (HttpRequestException e)
        {
            throw new StepFailure("github-token", FailureClass.Transient, $"GitHub API unreachable: {e.Message}");
        }
        Interlocked.Increment(ref _issued);
        var secret = new Secret(token.Token);
        _cache[key] = (secret, token.ExpiresAt);
        return secret;
    }

    /// <summary>Octokit serializes property names snake_case: repositories, permissions.</summary>
    private sealed record ScopedTokenRequest(IReadOnlyList<string> Repositories, IReadOnlyDictionary<string, string> Permissions);

    private static RSA ReadKey(string file)
    {
        string pem;
        try { pem = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StepFailure("github-token", FailureClass.Permanent, $"GITHUB_APP_KEY_FILE '{file}' cannot be read ({e.Message}); point it at the app's private key (.pem)");
        }
        var rsa = RSA.Create();
        try { rsa.ImportFromPem(pem); }
        catch (ArgumentException)
        {
            throw new StepFailure("github-token", FailureClass.Permanent, $"GITHUB_APP_KEY_FILE '{file}' holds no RSA private key in PEM form; download the key from the app's settings");
        }
        return rsa;
    }

    public static string CreateJwt(long appId, RSA key, DateTimeOffset now)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = now.AddSeconds(-60).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(9).ToUnixTimeSeconds(),
            ["iss"] = appId.ToString(),
        }));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + B64(signature);
    }

    /// <summary>owner/name of an https clone URL → name (what the token endpoint's "repositories" takes).</summary>
    public static string RepositoryName(string cloneUrl)
    {
        var path = new Uri(cloneUrl).AbsolutePath.TrimEnd('/');
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name.EndsWith(".git", StringComparison.Ordinal) ? name[..^4] : name;
    }
}
