using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Registry;

/// <summary>
/// A small token endpoint for the real registry's <c>auth: token</c> mode (distribution's token spec): checks Basic
/// credentials and issues RS256 JWTs, signed by a self-signed certificate the registry trusts, granting the
/// requested scopes. Records each scope set it was asked for.
/// </summary>
public sealed class TokenServer : HttpFixtureServer
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _cert;
    private readonly string _user, _password;

    public TokenServer(TempDir dir, string user, string password)
    {
        _user = user;
        _password = password;
        var req = new CertificateRequest("CN=slipway-test-token", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        _cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificatePath = dir.Write("token.pem", _cert.ExportCertificatePem());
        Start();
    }

    public string CertificatePath { get; }
    public const string Service = "slipway-test-registry";
    public const string Issuer = "slipway-test-issuer";
    public List<string> ScopeRequests { get; } = [];

    /// <summary>The host the registry names in its realm; another name than loopback's tests the realm check.</summary>
    public string RealmHost { get; init; } = "127.0.0.1";
    public string Realm => $"http://{RealmHost}:{Port}/token";

    public string RegistryConfig => $"""
        auth:
          token:
            realm: {Realm}
            service: {Service}
            issuer: {Issuer}
            rootcertbundle: {CertificatePath}
        """;

    protected override Task HandleAsync(HttpListenerContext ctx)
    {
        Handle(ctx);
        return Task.CompletedTask;
    }

    /// <summary>The refresh token (what `docker login` stores as identitytoken) this server accepts, if any.</summary>
    public string? RefreshToken { get; init; }
    /// <summary>False: POST (the OAuth2 endpoint) answers 404, as token servers without it do.</summary>
    public bool OAuthEndpoint { get; init; } = true;
    public int ExpiresIn { get; init; } = 300;
    /// <summary>"GET scope…" / "POST scope…" per token issued, in order.</summary>
    public List<string> Issued { get; } = [];

    private void Handle(HttpListenerContext ctx)
    {
        string[] scopes;
        string method = ctx.Request.HttpMethod;
        if (method == "POST")
        {
            if (!OAuthEndpoint) { Refuse(ctx, 404); return; }
            var form = System.Web.HttpUtility.ParseQueryString(new StreamReader(ctx.Request.InputStream).ReadToEnd());
            if (form["grant_type"] != "refresh_token" || RefreshToken is null || form["refresh_token"] != RefreshToken || form["service"] != Service) { Refuse(ctx, 401); return; }
            scopes = (form["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        else
        {
            var auth = ctx.Request.Headers["Authorization"];
            var ok = auth == Basic(_user, _password) || RefreshToken is not null && auth == Basic("<token>", RefreshToken);
            if (!ok) { Refuse(ctx, 401); return; }
            scopes = ctx.Request.QueryString.GetValues("scope") ?? [];
        }
        lock (ScopeRequests)
        {
            ScopeRequests.Add(string.Join(" ", scopes));
            Issued.Add(method + " " + string.Join(" ", scopes));
        }
        var access = scopes.Select(s => s.Split(':')).Where(p => p.Length == 3)
            .Select(p => new { type = p[0], name = p[1], actions = p[2].Split(',') }).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new[] { Convert.ToBase64String(_cert.RawData) } };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["sub"] = _user, ["aud"] = Service, ["exp"] = now + ExpiresIn, ["nbf"] = now - 10, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signingInput = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var token = signingInput + "." + B64(signature);
        var body = method == "POST"
            ? JsonSerializer.SerializeToUtf8Bytes(new { access_token = token, expires_in = ExpiresIn, token_type = "Bearer" })
            : JsonSerializer.SerializeToUtf8Bytes(new { token, access_token = token, expires_in = ExpiresIn });
        ctx.Response.ContentType = "application/json";
        ctx.Response.OutputStream.Write(body);
        ctx.Response.Close();
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static void Refuse(HttpListenerContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.Close();
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    protected override ValueTask DisposeCoreAsync()
    {
        _cert.Dispose();
        _key.Dispose();
        return ValueTask.CompletedTask;
    }
}
