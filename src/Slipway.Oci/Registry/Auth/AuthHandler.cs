using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Tooling;

namespace Slipway.Oci.Registry.Auth;

/// <summary>
/// Answers registry auth challenges for one registry host: Basic, or Bearer tokens fetched from the challenge's
/// realm with the scopes the request needs (set by the client in <see cref="ScopeOption"/>). Tokens are cached
/// by registry AND scope set, so a pull-only token is never reused for a push, and refreshed before they expire.
/// Once the registry's challenge is known, a request with a new scope set fetches its token before it is sent:
/// that saves a round trip, and it is what lets a streamed upload body go out exactly once. The realm is checked
/// by <see cref="TokenRealm"/> before anything is sent to it.
/// </summary>
public sealed class AuthHandler(string registry, Func<CancellationToken, Task<RegistryCredential?>> credentials, HttpMessageHandler tokenTransport,
    IReadOnlyCollection<string>? insecureRegistries = null) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<string[]> ScopeOption = new("slipway.scopes");

    private sealed record CachedHeader(AuthenticationHeaderValue Header, DateTimeOffset Expires);

    private readonly ConcurrentDictionary<string, CachedHeader> _tokens = new();
    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private volatile AuthChallenge? _challenge;
    private volatile AuthenticationHeaderValue? _basic;
    private RegistryCredential? _credential;
    private volatile bool _credentialResolved;
    private int _tokenRequests;

    /// <summary>Token requests made so far (tests check that tokens are cached per scope set).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>The scheme the registry asked for ("Basic", "Bearer"), once it has asked.</summary>
    public string? Scheme => _challenge?.Scheme;

    /// <summary>The registry's own authority (HOST[:PORT]); the default port may be left out on either side.</summary>
    private bool IsRegistryHost(Uri uri) =>
        string.Equals(uri.Authority, registry, StringComparison.OrdinalIgnoreCase)
        || (uri.IsDefaultPort && string.Equals(uri.Host, registry, StringComparison.OrdinalIgnoreCase))
        || string.Equals($"{uri.Host}:{uri.Port}", registry, StringComparison.OrdinalIgnoreCase);

    /// <summary>Says whose credential was offered, for error messages; never the secret.</summary>
    public string CredentialSummary => !_credentialResolved ? "no credentials were needed yet"
        : _credential is null ? "no credentials found" : $"the {_credential} was refused";

    public bool HasCredential => _credentialResolved && _credential is not null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // An upload Location (or any URL a registry hands back) on another host gets no credentials: a registry, or
        // whoever answers for it, must not be able to send our token to a host of its choosing.
        if (request.RequestUri is { IsAbsoluteUri: true } target && !IsRegistryHost(target))
        {
            request.Headers.Authorization = null;
            return await base.SendAsync(request, cancellationToken);
        }
        var scopes = request.Options.TryGetValue(ScopeOption, out var s) ? s : [];
        if (await HeaderForAsync(scopes, rejected: null, asked: null, cancellationToken) is { } known) request.Headers.Authorization = known;

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        if (AuthChallenge.From(response.Headers) is not { } challenge) return response;
        _challenge = challenge;

        // Nothing new to offer (no credentials, or the same ones again): the 401 stands.
        var header = await HeaderForAsync(scopes, rejected: request.Headers.Authorization, asked: challenge.Scope, cancellationToken);
        if (header is null) return response;
        // A streamed body can't be sent twice; the upload flow restarts, and finds the token cached by then.
        if (request.Content is not (null or ByteArrayContent)) return response;
        response.Dispose();
        using var retry = await CloneAsync(request, cancellationToken);
        retry.Headers.Authorization = header;
        return await base.SendAsync(retry, cancellationToken);
    }

    /// <summary>
    /// The Authorization header for <paramref name="scopes"/>: the registry-wide Basic header, a cached unexpired
    /// token, or (once the challenge is known) a freshly fetched one; never <paramref name="rejected"/>, the header
    /// the registry just refused. Null before any challenge (requests start anonymous: the registry may need
    /// nothing) and when there is nothing (new) to offer.
    /// </summary>
    private async Task<AuthenticationHeaderValue?> HeaderForAsync(string[] scopes, AuthenticationHeaderValue? rejected, string? asked, CancellationToken ct)
    {
        var challenge = _challenge;
        if (challenge is null) return null;
        if (challenge.IsBasic)
        {
            if (_basic is null)
            {
                var cred = await CredentialAsync(ct);
                if (cred?.Username is null || cred.Password is null) return null;
                _basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cred.Username}:{cred.Password}")));
            }
            return Equals(_basic, rejected) ? null : _basic;
        }
        if (!challenge.IsBearer || challenge.Realm is null) return null;

        var allScopes = scopes.ToList();
        // The registry may name a scope for this request that we did not think of (e.g. a catalog request):
        // include it unless one we ask for already covers it (pull,push covers pull).
        if (asked is not null)
            foreach (var sc in asked.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (!allScopes.Any(mine => Covers(mine, sc))) allScopes.Add(sc);
        var key = CacheKey(allScopes);
        if (Fresh(key) is { } cached && !Equals(cached, rejected)) return cached;

        await _fetchLock.WaitAsync(ct);
        try
        {
            // Another request may have fetched (or refreshed) this scope set while we waited.
            if (Fresh(key) is { } fetched && !Equals(fetched, rejected)) return fetched;
            var cred = await CredentialAsync(ct);
            var (token, lifetime) = await FetchTokenAsync(challenge, allScopes, cred, ct);
            Secrets.Register(token);
            var header = new AuthenticationHeaderValue("Bearer", token);
            // Refreshed a little early, so a long upload never starts with a token about to lapse.
            _tokens[key] = new CachedHeader(header, DateTimeOffset.UtcNow + lifetime * 0.9);
            return Equals(header, rejected) ? null : header;
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private static bool Covers(string mine, string wanted)
    {
        var (a, b) = (mine.Split(':'), wanted.Split(':'));
        if (a.Length < 3 || b.Length < 3) return mine == wanted;
        return string.Join(':', a[..^1]) == string.Join(':', b[..^1]) && b[^1].Split(',').All(a[^1].Split(',').Contains);
    }

    private AuthenticationHeaderValue? Fresh(string key) =>
        _tokens.TryGetValue(key, out var c) && c.Expires > DateTimeOffset.UtcNow ? c.Header : null;

    private string CacheKey(IEnumerable<string> scopes) => registry + " " + string.Join(' ', scopes.Order(StringComparer.Ordinal));

    private async Task<RegistryCredential?> CredentialAsync(CancellationToken ct)
    {
        if (_credentialResolved) return _credential;
        _credential = await credentials(ct);
        _credentialResolved = true;
        return _credential;
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(AuthChallenge challenge, List<string> scopes, RegistryCredential? cred, CancellationToken ct)
    {
        Interlocked.Increment(ref _tokenRequests);
        using var http = new HttpClient(tokenTransport, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) };
        var realm = TokenRealm.Validate(challenge.Realm!, registry, insecureRegistries ?? []).ToString();
        var action = ScopeText.Describe(scopes);
        HttpResponseMessage? response = null;
        if (cred?.IdentityToken is { } refresh)
        {
            // OAuth2 refresh-token grant (distribution token spec, oauth.md): what `docker login` stores as identitytoken.
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"), new("refresh_token", refresh), new("client_id", "slipway"),
                new("service", challenge.Service ?? registry), new("access_type", "offline"),
            };
            if (scopes.Count > 0) form.Add(new("scope", string.Join(' ', scopes)));
            response = await Send(http, new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) }, realm, ct);
            // Token servers without the OAuth2 endpoint answer 404/405: fall back to the plain GET below.
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) { response.Dispose(); response = null; }
        }
        if (response is null)
        {
            var query = new StringBuilder();
            if (challenge.Service is { } svc) query.Append("service=").Append(Uri.EscapeDataString(svc));
            foreach (var sc in scopes) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(sc));
            var sep = realm.Contains('?') ? "&" : "?";
            var req = new HttpRequestMessage(HttpMethod.Get, realm + (query.Length > 0 ? sep + query : ""));
            if (cred?.IdentityToken is { } idt && string.IsNullOrEmpty(cred.Password))
                req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"<token>:{idt}")));
            else if (cred?.Username is not null && cred.Password is not null)
                req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cred.Username}:{cred.Password}")));
            response = await Send(http, req, realm, ct);
        }
        using (response)
        {
            var service = new Uri(realm).GetLeftPart(UriPartial.Path);
            if (!response.IsSuccessStatusCode)
            {
                var who = cred is null ? "no credentials found" : $"the {cred} was refused";
                var hint = (int)response.StatusCode is 401 or 403
                    ? $"; pass --creds USER:PASS or run `docker login {registry}`"
                    : "";
                throw new RegistryException(Secrets.Redact($"{(int)response.StatusCode} {response.ReasonPhrase} from token service {service} for {action} on {registry}: {who}{hint}"), response.StatusCode);
            }
            try
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
                var root = doc.RootElement;
                var token = root.TryGetProperty("token", out var t) && t.GetString() is { Length: > 0 } tk ? tk
                    : root.TryGetProperty("access_token", out var at) && at.GetString() is { Length: > 0 } access ? access
                    : throw new RegistryException($"token service {service} answered without a token for {action} on {registry}");
                // The spec's default lifetime is 60 s when expires_in is absent.
                var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var sec) && sec > 0 ? sec : 60;
                return (token, TimeSpan.FromSeconds(seconds));
            }
            catch (JsonException)
            {
                throw new RegistryException($"token service {service} answered with something that is not JSON for {action} on {registry}");
            }
        }
    }

    private async Task<HttpResponseMessage> Send(HttpClient http, HttpRequestMessage request, string realm, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, ct);
            }
            catch (HttpRequestException e)
            {
                throw new RegistryException($"could not reach token service {new Uri(realm).GetLeftPart(UriPartial.Path)} for {registry}: {e.Message}", transient: true);
            }
        }
    }

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

/// <summary>Turns token scopes into words for messages: "push to team/app", "pull from team/base".</summary>
public static class ScopeText
{
    public static string Describe(IEnumerable<string> scopes)
    {
        var parts = new List<string>();
        foreach (var scope in scopes)
        {
            var p = scope.Split(':');
            if (p.Length < 3 || p[0] != "repository") { parts.Add(scope); continue; }
            var name = string.Join(':', p[1..^1]);
            parts.Add(p[^1].Split(',').Contains("push") ? $"push to {name}" : $"pull from {name}");
        }
        return parts.Count == 0 ? "access" : string.Join(" and ", parts);
    }
}
