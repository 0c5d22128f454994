using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Registry.Auth;
using Slipway.Oci.Registry.Http;

namespace Slipway.Oci.Registry;

/// <summary>
/// The distribution-spec client for one registry host. Auth and retries live in handlers beneath it; this class
/// speaks the protocol, one narrow interface per area.
/// </summary>
public sealed class RegistryClient : IBlobStore, IBlobUploads, IManifestStore, ITagLister, IDisposable
{
    private readonly HttpClient _http;
    private readonly AuthHandler _auth;

    public RegistryClient(string registry, RegistryClientOptions options)
    {
        Registry = registry;
        BaseUri = new Uri($"{(IsPlainHttp(registry, options.InsecureRegistries) ? "http" : "https")}://{registry}/");
        var loopback = IsPlainHttp(registry, []);
        var transport = options.TransportFactory?.Invoke() ?? new SocketsHttpHandler
        {
            // A proxy never applies to loopback; skipping its discovery saves start-up time on every cold run.
            UseProxy = !loopback,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(2, options.Jobs * 2),
            AutomaticDecompression = DecompressionMethods.None,
        };
        var resolver = options.Credentials ?? new CredentialResolver();
        _auth = new AuthHandler(registry, async ct =>
                options.ExplicitCredentials.TryGetValue(registry, out var c) || options.ExplicitCredentials.TryGetValue("*", out c)
                    ? c : await resolver.ResolveAsync(registry, ct),
            options.TransportFactory?.Invoke() ?? new SocketsHttpHandler())
        {
            InnerHandler = new RetryHandler(options.MaxAttempts, options.RetryBaseDelay) { InnerHandler = transport },
        };
        _http = new HttpClient(_auth) { BaseAddress = BaseUri, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    public string Registry { get; }
    public Uri BaseUri { get; }
    public int TokenRequests => _auth.TokenRequests;

    /// <summary>Loopback registries, and those named insecure, are spoken to over plain HTTP.</summary>
    public static bool IsPlainHttp(string registry, IReadOnlyCollection<string> insecure)
    {
        if (insecure.Contains(registry)) return true;
        var host = registry.StartsWith('[') ? registry[..(registry.IndexOf(']') + 1)] : registry.Split(':')[0];
        if (insecure.Contains(host)) return true;
        if (host is "localhost" or "[::1]") return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string[] Pull(string repo) => [$"repository:{repo}:pull"];
    private static string[] Push(string repo) => [$"repository:{repo}:pull,push"];

    private HttpRequestMessage Request(HttpMethod method, string pathOrUri, string[] scopes)
    {
        var req = new HttpRequestMessage(method, pathOrUri);
        req.Options.Set(AuthHandler.ScopeOption, scopes);
        return req;
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri, string[] scopes)
    {
        var req = new HttpRequestMessage(method, uri.IsAbsoluteUri ? uri : new Uri(BaseUri, uri));
        req.Options.Set(AuthHandler.ScopeOption, scopes);
        return req;
    }

    // ---- blobs ----

    public async Task<long?> HeadBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using var req = Request(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", Pull(repository));
        using var resp = await _http.SendAsync(req, cancellationToken);
        if (resp.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(resp, $"check blob {digest} in {Registry}/{repository}", cancellationToken);
        return resp.Content.Headers.ContentLength;
    }

    public async Task<Stream> GetBlobAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var req = Request(HttpMethod.Get, $"v2/{repository}/blobs/{descriptor.Digest}", Pull(repository));
        var resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(resp, $"pull blob {descriptor.Digest} from {Registry}/{repository}", cancellationToken);
        return new VerifyingReadStream(await resp.Content.ReadAsStreamAsync(cancellationToken), descriptor);
    }

    // ---- uploads ----

    public async Task<(bool Mounted, UploadSession? Session)> MountAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        using var req = Request(HttpMethod.Post, $"v2/{repository}/blobs/uploads/?mount={digest}&from={fromRepository}",
            [.. Push(repository), .. Pull(fromRepository)]);
        using var resp = await _http.SendAsync(req, cancellationToken);
        if (resp.StatusCode == HttpStatusCode.Created) return (true, null);
        if (resp.StatusCode == HttpStatusCode.Accepted) return (false, Session(repository, resp));
        await EnsureAsync(resp, $"mount {digest} from {fromRepository} into {Registry}/{repository}", cancellationToken);
        return (false, null);
    }

    public async Task<UploadSession> StartUploadAsync(string repository, CancellationToken cancellationToken)
    {
        using var req = Request(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", Push(repository));
        using var resp = await _http.SendAsync(req, cancellationToken);
        await EnsureAsync(resp, $"start an upload to {Registry}/{repository}", cancellationToken);
        return Session(repository, resp);
    }

    private UploadSession Session(string repository, HttpResponseMessage resp)
    {
        var location = resp.Headers.Location ?? throw new RegistryException($"{Registry} opened an upload without a Location header");
        if (!location.IsAbsoluteUri) location = new Uri(BaseUri, location);
        long? min = resp.Headers.TryGetValues("OCI-Chunk-Min-Length", out var v) && long.TryParse(v.FirstOrDefault(), out var m) ? m : null;
        return new UploadSession(repository, location, min);
    }

    private static Uri WithQuery(Uri location, string query) =>
        new(location + (string.IsNullOrEmpty(location.Query) ? "?" : "&") + query);

    public async Task CommitMonolithicAsync(UploadSession session, IBlob blob, CancellationToken cancellationToken)
    {
        var d = blob.Descriptor;
        await _auth.EnsureAuthorizedAsync(Push(session.Repository), cancellationToken);
        await using var body = await blob.OpenReadAsync(cancellationToken);
        using var req = Request(HttpMethod.Put, WithQuery(session.Location, $"digest={Uri.EscapeDataString(d.Digest.ToString())}"), Push(session.Repository));
        req.Content = new StreamContent(body, 1 << 20);
        req.Content.Headers.ContentLength = d.Size;
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var resp = await _http.SendAsync(req, cancellationToken);
        await EnsureAsync(resp, $"upload blob {d.Digest} to {Registry}/{session.Repository}", cancellationToken);
        CheckDigestHeader(resp, d.Digest, "blob");
    }

    public async Task CommitChunkedAsync(UploadSession session, IBlob blob, int chunkSize, CancellationToken cancellationToken)
    {
        var d = blob.Descriptor;
        var size = (int)Math.Max(chunkSize, session.MinChunkLength ?? 0);
        await _auth.EnsureAuthorizedAsync(Push(session.Repository), cancellationToken);
        await using var body = await blob.OpenReadAsync(cancellationToken);
        var buffer = new byte[size];
        var location = session.Location;
        long offset = 0;
        while (true)
        {
            var n = await body.ReadAtLeastAsync(buffer, size, throwOnEndOfStream: false, cancellationToken);
            if (n == 0) break;
            using var req = Request(HttpMethod.Patch, location, Push(session.Repository));
            req.Content = new ByteArrayContent(buffer, 0, n);
            req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            req.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + n - 1);
            using var resp = await _http.SendAsync(req, cancellationToken);
            await EnsureAsync(resp, $"upload a chunk of {d.Digest} to {Registry}/{session.Repository}", cancellationToken);
            location = resp.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(BaseUri, l)) : location;
            offset += n;
            if (n < size) break;
        }
        using var commit = Request(HttpMethod.Put, WithQuery(location, $"digest={Uri.EscapeDataString(d.Digest.ToString())}"), Push(session.Repository));
        using var commitResp = await _http.SendAsync(commit, cancellationToken);
        await EnsureAsync(commitResp, $"commit blob {d.Digest} to {Registry}/{session.Repository}", cancellationToken);
        CheckDigestHeader(commitResp, d.Digest, "blob");
    }

    // ---- manifests ----

    public async Task<Descriptor?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var req = Request(HttpMethod.Head, $"v2/{repository}/manifests/{reference}", Pull(repository));
        foreach (var mt in MediaTypes.AcceptedManifests) req.Headers.Accept.ParseAdd(mt);
        using var resp = await _http.SendAsync(req, cancellationToken);
        if (resp.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(resp, $"check manifest {Registry}/{repository}:{reference}", cancellationToken);
        if (!resp.Headers.TryGetValues("Docker-Content-Digest", out var dv) || !Digest.TryParse(dv.FirstOrDefault(), out var digest))
        {
            // Some registries omit the digest on HEAD: fall back to GET and hash the bytes.
            var (bytes, mediaType) = await GetManifestAsync(repository, reference, cancellationToken);
            return new Descriptor { MediaType = mediaType, Digest = Digest.Sha256(bytes), Size = bytes.Length };
        }
        return new Descriptor
        {
            MediaType = resp.Content.Headers.ContentType?.MediaType ?? MediaTypes.OciManifest,
            Digest = digest,
            Size = resp.Content.Headers.ContentLength ?? 0,
        };
    }

    public async Task<(byte[] Bytes, string MediaType)> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var req = Request(HttpMethod.Get, $"v2/{repository}/manifests/{reference}", Pull(repository));
        foreach (var mt in MediaTypes.AcceptedManifests) req.Headers.Accept.ParseAdd(mt);
        using var resp = await _http.SendAsync(req, cancellationToken);
        await EnsureAsync(resp, $"get manifest {Registry}/{repository}:{reference}", cancellationToken);
        var bytes = await resp.Content.ReadAsByteArrayAsync(cancellationToken);
        if (Digest.TryParse(reference, out var wanted) && wanted.Algorithm == "sha256" && Digest.Sha256(bytes) != wanted)
            throw new RegistryException($"{Registry}/{repository}@{wanted} returned a manifest with a different digest; refusing it");
        return (bytes, OciJson.SniffMediaType(bytes, resp.Content.Headers.ContentType?.MediaType));
    }

    public async Task PutManifestAsync(string repository, string reference, byte[] bytes, string mediaType, CancellationToken cancellationToken)
    {
        using var req = Request(HttpMethod.Put, $"v2/{repository}/manifests/{reference}", Push(repository));
        req.Content = new ByteArrayContent(bytes);
        req.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var resp = await _http.SendAsync(req, cancellationToken);
        await EnsureAsync(resp, $"push manifest {Registry}/{repository}:{reference}", cancellationToken);
        CheckDigestHeader(resp, Digest.Sha256(bytes), "manifest");
    }

    // ---- tags ----

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        string? next = $"v2/{repository}/tags/list?n=1000";
        while (next is not null)
        {
            using var req = Request(HttpMethod.Get, next, Pull(repository));
            using var resp = await _http.SendAsync(req, cancellationToken);
            if (resp.StatusCode == HttpStatusCode.NotFound)
                throw new RegistryException($"repository {Registry}/{repository} does not exist", resp.StatusCode, "NAME_UNKNOWN");
            await EnsureAsync(resp, $"list tags of {Registry}/{repository}", cancellationToken);
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStreamAsync(cancellationToken));
            if (doc.RootElement.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array)
                tags.AddRange(t.EnumerateArray().Select(e => e.GetString()!).Where(s => s is not null));
            next = NextLink(resp);
        }
        return tags;
    }

    private static string? NextLink(HttpResponseMessage resp)
    {
        if (!resp.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            var start = link.IndexOf('<');
            var end = link.IndexOf('>');
            if (start >= 0 && end > start && link.Contains("rel=\"next\"")) return link[(start + 1)..end].TrimStart('/');
        }
        return null;
    }

    // ---- errors ----

    private void CheckDigestHeader(HttpResponseMessage resp, Digest expected, string what)
    {
        if (resp.Headers.TryGetValues("Docker-Content-Digest", out var v) && Digest.TryParse(v.FirstOrDefault(), out var got) && got != expected)
            throw new RegistryException($"{Registry} stored {what} {expected} as {got}: the content was changed in transit; nothing was tagged");
    }

    private async Task EnsureAsync(HttpResponseMessage resp, string what, CancellationToken ct)
    {
        if (resp.IsSuccessStatusCode) return;
        string? code = null, message = null;
        try
        {
            var body = await resp.Content.ReadAsStringAsync(ct);
            if (body.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0)
                {
                    code = errors[0].TryGetProperty("code", out var c) ? c.GetString() : null;
                    message = errors[0].TryGetProperty("message", out var m) ? m.GetString() : null;
                }
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException) { }
        var status = (int)resp.StatusCode;
        var detail = code is null ? $"{status} {resp.ReasonPhrase}" : $"{status} {code}: {message}";
        var hint = resp.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"; no accepted credentials for {Registry}: pass --creds USER:PASS or run `docker login {Registry}`",
            HttpStatusCode.Forbidden => $"; the credentials for {Registry} lack permission for this repository",
            HttpStatusCode.NotFound => "; check the repository name and tag",
            _ => "",
        };
        throw new RegistryException(Tooling.Secrets.Redact($"could not {what}: {detail}{hint}"), resp.StatusCode, code);
    }

    public void Dispose() => _http.Dispose();
}
