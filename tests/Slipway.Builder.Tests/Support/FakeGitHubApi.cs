using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Support;

/// <summary>
/// Stands in for api.github.com (unreachable here): POST .../app/installations/{id}/access_tokens verifies the app
/// JWT (RS256 with the app's public key, iss = app id, iat in the past, exp at most 10 min after iat and not
/// passed) and issues a token whose scope (repositories, permissions) is recorded.
/// </summary>
public sealed class FakeGitHubApi : HttpFixtureServer
{
    private readonly RSA _publicKey;

    public FakeGitHubApi(long appId, RSA publicKey, Func<string> nextToken, TimeSpan tokenLifetime)
    {
        AppId = appId;
        _publicKey = publicKey;
        NextToken = nextToken;
        TokenLifetime = tokenLifetime;
        Start();
    }

    public long AppId { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public Func<string> NextToken { get; set; }
    public TimeSpan TokenLifetime { get; set; }
    public ConcurrentQueue<(long Installation, string Body)> Issued { get; } = new();
    public ConcurrentQueue<string> Refused { get; } = new();

    protected override async Task HandleAsync(HttpListenerContext c)
    {
        using var reader = new StreamReader(c.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        var path = c.Request.Url!.AbsolutePath;
        var marker = "/app/installations/";
        if (c.Request.HttpMethod != "POST" || !path.Contains(marker) || !path.EndsWith("/access_tokens"))
        {
            await Answer(c, 404, new { message = "Not Found" });
            return;
        }
        var installation = long.Parse(path[(path.IndexOf(marker) + marker.Length)..path.LastIndexOf('/')]);
        var problem = CheckJwt(c.Request.Headers["Authorization"]);
        if (problem is not null)
        {
            Refused.Enqueue(problem);
            await Answer(c, 401, new { message = problem });
            return;
        }
        Issued.Enqueue((installation, body));
        var scope = JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement;
        await Answer(c, 201, new Dictionary<string, object?>
        {
            ["token"] = NextToken(),
            ["expires_at"] = DateTimeOffset.UtcNow.Add(TokenLifetime).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["permissions"] = scope.TryGetProperty("permissions", out var p) ? p : null,
            ["repository_selection"] = "selected",
        });
    }

    private string? CheckJwt(string? header)
    {
        if (header is null || !header.StartsWith("Bearer ")) return "no bearer JWT";
        var parts = header[7..].Split('.');
        if (parts.Length != 3) return "not a JWT";
        static byte[] B64(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
        var head = JsonDocument.Parse(B64(parts[0])).RootElement;
        if (head.GetProperty("alg").GetString() != "RS256") return "alg is not RS256";
        if (!_publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), B64(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            return "JWT signature does not verify with the app's public key";
        var claims = JsonDocument.Parse(B64(parts[1])).RootElement;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var iat = claims.GetProperty("iat").GetInt64();
        var exp = claims.GetProperty("exp").GetInt64();
        if (claims.GetProperty("iss").GetString() != AppId.ToString()) return "iss is not the app id";
        if (iat > now - 30) return "iat is not in the past";
        if (exp - iat > 600 + 60) return "exp is more than 10 minutes after iat";
        if (exp <= now) return "JWT expired";
        if (exp > now + 600) return "exp is more than 10 minutes ahead";
        return null;
    }

    private static Task Answer(HttpListenerContext c, int status, object body) =>
        WriteAsync(c.Response, status, JsonSerializer.Serialize(body));
}
