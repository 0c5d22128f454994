using System.Security.Cryptography;
using System.Text.Json;
using Slipway.Builder.GitHub;
using Slipway.Builder.Model;
using Slipway.Builder.Tests.Support;
using Slipway.Testing;
using Slipway.Tooling;

namespace Slipway.Builder.Tests;

public sealed class GitHubAppTokensTests
{
    [Fact]
    public async Task Installation_tokens_are_scoped_to_the_repository_and_cached_until_near_expiry()
    {
        using var key = RSA.Create(2048);
        using var dir = new TempDir("ghapp");
        var keyFile = dir.Write("app.pem", key.ExportRSAPrivateKeyPem());
        var n = 0;
        using var pub = RSA.Create();
        pub.ImportRSAPublicKey(key.ExportRSAPublicKey(), out _);
        await using var github = new FakeGitHubApi(4242, pub, () => $"ghs_issued{Interlocked.Increment(ref n)}xyz", TimeSpan.FromHours(1));
        var tokens = new GitHubAppTokens(github.BaseUrl);
        var app = new GitHubAppIdentity(4242, keyFile, 77);

        var t1 = await tokens.GetTokenAsync(app, "web", default);
        var t2 = await tokens.GetTokenAsync(app, "web", default);
        var t3 = await tokens.GetTokenAsync(app, "api", default);

        Assert.Empty(github.Refused);
        Assert.Equal("ghs_issued1xyz", t1.Reveal());
        Assert.Same(t1, t2);
        Assert.Equal("ghs_issued2xyz", t3.Reveal());
        Assert.Equal(2, github.Issued.Count);
        var (installation, body) = github.Issued.First();
        Assert.Equal(77, installation);
        var scope = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["web"], scope.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("read", scope.GetProperty("permissions").GetProperty("contents").GetString());
        Assert.Equal("[REDACTED]", t1.ToString());
    }

    [Fact]
    public async Task A_token_close_to_expiry_is_replaced_and_a_wrong_key_is_refused_permanently()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        using var dir = new TempDir("ghapp");
        var n = 0;
        using var pub = RSA.Create();
        pub.ImportRSAPublicKey(key.ExportRSAPublicKey(), out _);
        await using var github = new FakeGitHubApi(9, pub, () => $"ghs_short{Interlocked.Increment(ref n)}xyz", TimeSpan.FromMinutes(3));
        var tokens = new GitHubAppTokens(github.BaseUrl);
        var app = new GitHubAppIdentity(9, dir.Write("app.pem", key.ExportRSAPrivateKeyPem()), 1);
        await tokens.GetTokenAsync(app, "web", default);
        await tokens.GetTokenAsync(app, "web", default);
        Assert.Equal(2, github.Issued.Count); // 3 minutes left is inside the 5-minute margin

        var wrong = new GitHubAppIdentity(9, dir.Write("other.pem", other.ExportRSAPrivateKeyPem()), 1);
        var e = await Assert.ThrowsAsync<StepFailure>(() => tokens.GetTokenAsync(wrong, "web", default));
        Assert.Equal(FailureClass.Permanent, e.Class);
        Assert.Contains("GITHUB_APP_KEY_FILE", e.Message);
        Assert.Single(github.Refused);
    }

    [Fact]
    public void Jwt_has_iat_a_minute_back_and_exp_within_ten_minutes()
    {
        using var key = RSA.Create(2048);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var jwt = GitHubAppTokens.CreateJwt(5, key, now);
        var payload = jwt.Split('.')[1];
        var claims = JsonDocument.Parse(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='))).RootElement;
        Assert.Equal(now.ToUnixTimeSeconds() - 60, claims.GetProperty("iat").GetInt64());
        Assert.True(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64() <= 600);
        Assert.Equal("5", claims.GetProperty("iss").GetString());
    }
}
