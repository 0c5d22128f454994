using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Tooling;

namespace Slipway.Oci.Registry.Auth;

/// <summary>
/// Answers registry auth challenges: Basic, or Bearer tokens fetched from the challenge's realm with the
/// scopes this request needs (set by the client in <see cref="ScopeOption"/>). Tokens are cached by registry
/// AND scope set, so a pull-only token is never reused for a push. Requests whose body cannot be replayed are
/// only sent once the right token is cached (the client authenticates the upload's POST first).
/// </summary>
public sealed class AuthHandler(string registry, Func<CancellationToken, Task<RegistryCredential?>> credentials, HttpMessageHandler tokenTransport) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<string[]> ScopeOption = new("slipway.scopes");

    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _cache = new();
    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private AuthChallenge? _challenge;
    private RegistryCredential? _credential;
    private bool _credentialResolved;

    /// <summary>Token requests made (tests check that tokens are cached per scope).</summary>
    public int TokenRequests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scopes = request.Options.TryGetValue(ScopeOption, out var s) ? s : [];
        var key = CacheKey(scopes);
        if (_cache.TryGetValue(key, out var cached)) request.Headers.Authorization = cached;

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        var challenge = AuthChallenge.From(response.Headers);
        if (challenge is null) return response;
        if (!CanReplay(request)) return response; // caller restarts the flow; the token is cached by then
        _challenge = challenge;

        var header = await AuthorizeAsync(challenge, scopes, cancellationToken);
        if (header is null) return response;
        _cache[key] = header;
        response.Dispose();
        using var retry = await CloneAsync(request, cancellationToken);
        retry.Headers.Authorization = header;
        return await base.SendAsync(retry, cancellationToken);
    }

    /// <summary>Fetches and caches the header for <paramref name="scopes"/> ahead of a request whose body can't be replayed.</summary>
    public async Task EnsureAuthorizedAsync(string[] scopes, CancellationToken cancellationToken)
    {
        if (_challenge is null || _cache.ContainsKey(CacheKey(scopes))) return;
        if (await AuthorizeAsync(_challenge, scopes, cancellationToken) is { } header) _cache[CacheKey(scopes)] = header;
    }

    private static string CacheKey(string[] scopes) => string.Join(' ', scopes.Order(StringComparer.Ordinal));

    private async Task<RegistryCredential?> CredentialAsync(CancellationToken ct)
    {
        if (_credentialResolved) return _credential;
        _credential = await credentials(ct);
        _credentialResolved = true;
        return _credential;
    }

    private async Task<AuthenticationHeaderValue?> AuthorizeAsync(AuthChallenge challenge, string[] scopes, CancellationToken ct)
    {
        await _fetchLock.WaitAsync(ct);
        try
        {
            var cred = await CredentialAsync(ct);
            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                if (cred?.Username is null || cred.Password is null) return null;
                return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cred.Username}:{cred.Password}")));
            }
            if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Realm is null) return null;
            var allScopes = scopes.ToList();
            if (challenge.Scope is { } cs) foreach (var sc in cs.Split(' ')) if (!allScopes.Contains(sc)) allScopes.Add(sc);
            var token = await FetchTokenAsync(challenge, allScopes, cred, ct);
            Secrets.Register(token);
            return new AuthenticationHeaderValue("Bearer", token);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private async Task<string> FetchTokenAsync(AuthChallenge challenge, List<string> scopes, RegistryCredential? cred, CancellationToken ct)
    {
        Interlocked.Increment(ref TokenRequests);
        using var http = new HttpClient(tokenTransport, disposeHandler: false);
        HttpResponseMessage response;
        if (cred?.IdentityToken is { } refresh)
        {
            // OAuth2 refresh-token grant (distribution token spec, "oauth.md").
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"), new("refresh_token", refresh), new("client_id", "slipway"),
                new("service", challenge.Service ?? registry),
            };
            if (scopes.Count > 0) form.Add(new("scope", string.Join(' ', scopes)));
            response = await http.PostAsync(challenge.Realm, new FormUrlEncodedContent(form), ct);
        }
        else
        {
            var query = new StringBuilder();
            if (challenge.Service is { } svc) query.Append("service=").Append(Uri.EscapeDataString(svc));
            foreach (var sc in scopes) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(sc));
            var sep = challenge.Realm!.Contains('?') ? "&" : "?";
            using var req = new HttpRequestMessage(HttpMethod.Get, challenge.Realm + (query.Length > 0 ? sep + query : ""));
            if (cred?.Username is not null && cred.Password is not null)
                req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cred.Username}:{cred.Password}")));
            response = await http.SendAsync(req, ct);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new RegistryException($"token service {new Uri(challenge.Realm!).GetLeftPart(UriPartial.Path)} refused {(cred is null ? "anonymous access" : cred.ToString())} for {registry} ({(int)response.StatusCode} {response.ReasonPhrase}); check the credentials (--creds USER:PASS or `docker login {registry}`)");
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            var root = doc.RootElement;
            if (root.TryGetProperty("token", out var t) && t.GetString() is { Length: > 0 } token) return token;
            if (root.TryGetProperty("access_token", out var at) && at.GetString() is { Length: > 0 } access) return access;
            throw new RegistryException($"token service for {registry} answered without a token");
        }
    }

    private static bool CanReplay(HttpRequestMessage request) => request.Content is null or ByteArrayContent;

    internal static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var h in request.Headers) clone.Headers.TryAddWithoutValidation(h.Key, h.Value);
        foreach (var o in request.Options) ((IDictionary<string, object?>)clone.Options)[o.Key] = o.Value;
        if (request.Content is not null)
        {
            var bytes = await request.Content.ReadAsByteArrayAsync(ct);
            var content = new ByteArrayContent(bytes);
            foreach (var h in request.Content.Headers) content.Headers.TryAddWithoutValidation(h.Key, h.Value);
            clone.Content = content;
        }
        return clone;
    }
}
