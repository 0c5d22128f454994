using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Registry.Auth;
using Slipway.Oci.Registry.Http;
using Slipway.Tooling;

namespace Slipway.Oci.Registry;

/// <summary>
/// The distribution-spec client for one registry host. Auth and retries are handlers beneath it
/// (AuthHandler → RegistryRetry's handler → transport); this class speaks the protocol, one narrow interface per area, and
/// turns every failure into one <see cref="RegistryException"/> line.
/// </summary>
public sealed class RegistryClient : IBlobStore, IBlobUploads, IManifestStore, ITagLister, IDisposable
{
    /// <summary>Manifests larger than this are refused (the distribution spec's recommended limit).</summary>
    public const int MaxManifestBytes = 4 << 20;

    private readonly HttpClient _http;
    private readonly AuthHandler _auth;
    private readonly int _tagPageSize;

    public RegistryClient(string registry, RegistryClientOptions options)
    {
        Registry = registry;
        _tagPageSize = Math.Max(1, options.TagPageSize);
        BaseUri = new Uri($"{(IsPlainHttp(registry, options.InsecureRegistries) ? "http" : "https")}://{registry}/");
        var loopback = IsPlainHttp(registry, []);
        var transport = options.TransportFactory?.Invoke() ?? new SocketsHttpHandler
        {
            // A proxy never applies to loopback; skipping its discovery saves start-up time on every cold run.
            UseProxy = !loopback,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(2, options.Jobs * 2),
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        var keychain = options.Keychain;
        _auth = new AuthHandler(registry, async ct => await keychain.FindAsync(registry, ct),
            options.TransportFactory?.Invoke() ?? new SocketsHttpHandler { UseProxy = !loopback }, options.InsecureRegistries)
        {
            InnerHandler = new RegistryRetry(options).Handler(transport),
        };
        _http = new HttpClient(_auth) { BaseAddress = BaseUri, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    public string Registry { get; }
    public Uri BaseUri { get; }

    /// <summary>Token requests made so far (tests check that tokens are cached per scope set).</summary>
    public int TokenRequests => _auth.TokenRequests;

    /// <summary>Loopback registries (127.0.0.0/8, localhost, ::1), and those named insecure, are spoken to over plain HTTP.</summary>
    public static bool IsPlainHttp(string registry, IReadOnlyCollection<string> insecure)
    {
        if (insecure.Contains(registry)) return true;
        var host = registry.StartsWith('[') ? registry[..(registry.IndexOf(']') + 1)] : registry.Split(':')[0];
        if (insecure.Contains(host)) return true;
        if (host is "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string[] Pull(string repo) => [$"repository:{repo}:pull"];
    private static string[] Push(string repo) => [$"repository:{repo}:pull,push"];

    private HttpRequestMessage Request(HttpMethod method, string relative, string[] scopes) =>
        Request(method, new Uri(BaseUri, relative), scopes);

    private HttpRequestMessage Request(HttpMethod method, Uri uri, string[] scopes)
    {
        var req = new HttpRequestMessage(method, uri.IsAbsoluteUri ? uri : new Uri(BaseUri, uri));
        req.Options.Set(AuthHandler.ScopeOption, scopes);
        return req;
    }

    /// <summary>Sends, turning connection failures into one line; a blob whose bytes are wrong stays an InvalidDataException.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            for (Exception? x = e; x is not null; x = x.InnerException)
                if (x is InvalidDataException bad) throw new InvalidDataException(bad.Message, bad);
            var reason = e.InnerException?.Message ?? e.Message;
            throw new RegistryException(Secrets.Redact($"could not reach {Registry} to {what}: {reason}; is the registry running and reachable at {BaseUri.GetLeftPart(UriPartial.Authority)}?"),
                transient: true, inner: e);
        }
    }

    // ---- blobs ----

    private static string[] Scopes(string repo, RegistryAccess access) => access == RegistryAccess.Push ? Push(repo) : Pull(repo);

    public async Task<long?> HeadBlobAsync(string repository, Digest digest, CancellationToken cancellationToken, RegistryAccess access = RegistryAccess.Pull)
    {
        using var req = Request(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", Scopes(repository, access));
        using var resp = await SendAsync(req, $"check blob {digest} in {repository}", cancellationToken);
        if (resp.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(resp, $"check blob {digest} in {repository}", Scopes(repository, access), cancellationToken);
        return resp.Content.Headers.ContentLength;
    }

    public async Task<Stream> GetBlobAsync(string repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var req = Request(HttpMethod.Get, $"v2/{repository}/blobs/{descriptor.Digest}", Pull(repository));
        var resp = await SendAsync(req, $"pull blob {descriptor.Digest} from {repository}", cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        try
        {
            await EnsureAsync(resp, $"pull blob {descriptor.Digest} from {repository}", Pull(repository), cancellationToken, new Missing("blob", repository, "@" + descriptor.Digest));
            return new VerifyingReadStream(await resp.Content.ReadAsStreamAsync(cancellationToken), descriptor);
        }
        catch
        {
            resp.Dispose();
            req.Dispose();
            throw;
        }
    }

    public async Task<MountResult> MountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        // Push on the destination and pull on the source, in one token.
        using var req = Request(HttpMethod.Post, $"v2/{repository}/blobs/uploads/?mount={digest}&from={fromRepository}",
            [.. Push(repository), .. Pull(fromRepository)]);
        using var resp = await SendAsync(req, $"mount {digest} from {fromRepository} into {repository}", cancellationToken);
        if (resp.StatusCode == HttpStatusCode.Created) return new MountResult(true, null);
        if (resp.StatusCode == HttpStatusCode.Accepted) return new MountResult(false, Session(repository, resp));
        await EnsureAsync(resp, $"mount {digest} from {fromRepository} into {repository}", [.. Push(repository), .. Pull(fromRepository)], cancellationToken);
        return new MountResult(false, null);
    }

    // ---- uploads ----

    public async Task<UploadSession> StartUploadAsync(string repository, CancellationToken cancellationToken)
    {
        using var req = Request(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", Push(repository));
        using var resp = await SendAsync(req, $"start an upload to {repository}", cancellationToken);
        await EnsureAsync(resp, $"start an upload to {repository}", Push(repository), cancellationToken);
        return Session(repository, resp);
    }

    private UploadSession Session(string repository, HttpResponseMessage resp, long offset = 0, long? minChunk = null)
    {
        var location = resp.Headers.Location ?? throw new RegistryException($"{Registry} opened an upload to {repository} without a Location header; it does not follow the distribution spec");
        if (!location.IsAbsoluteUri) location = new Uri(BaseUri, location);
        long? min = resp.Headers.TryGetValues("OCI-Chunk-Min-Length", out var v) && long.TryParse(v.FirstOrDefault(), out var m) && m > 0 ? m : minChunk;
        return new UploadSession(repository, location, offset, min);
    }

    private static Uri WithDigest(Uri location, Digest digest) =>
        new(location + (string.IsNullOrEmpty(location.Query) ? "?" : "&") + "digest=" + Uri.EscapeDataString(digest.ToString()));

    public async Task PutMonolithicAsync(UploadSession session, IBlob blob, CancellationToken cancellationToken)
    {
        var d = blob.Descriptor;
        var what = $"upload blob {d.Digest} to {session.Repository}";
        // Streamed from the blob (never buffered); the length check turns a short or long blob into a clear error.
        await using var body = new LengthCheckingStream(await blob.OpenReadAsync(cancellationToken), d);
        using var req = Request(HttpMethod.Put, WithDigest(session.Location, d.Digest), Push(session.Repository));
        req.Content = new StreamContent(body, 1 << 20);
        req.Content.Headers.ContentLength = d.Size;
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var resp = await SendAsync(req, what, cancellationToken);
        await EnsureAsync(resp, what, Push(session.Repository), cancellationToken);
        CheckDigestHeader(resp, d.Digest, "blob");
    }

    public async Task<UploadSession> PatchChunkAsync(UploadSession session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        var what = $"upload a chunk at offset {session.Offset} to {session.Repository}";
        using var req = Request(HttpMethod.Patch, session.Location, Push(session.Repository));
        req.Content = new ReadOnlyMemoryContent(chunk);
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        req.Content.Headers.ContentLength = chunk.Length;
        // The spec's form, without the "bytes " unit: <first>-<last>.
        req.Content.Headers.TryAddWithoutValidation("Content-Range", $"{session.Offset}-{session.Offset + chunk.Length - 1}");
        using var resp = await SendAsync(req, what, cancellationToken);
        await EnsureAsync(resp, what, Push(session.Repository), cancellationToken);
        var next = session.Offset + chunk.Length;
        // Range: 0-<last byte received>; trust the registry's count when it gives one.
        if (resp.Headers.TryGetValues("Range", out var r) && r.FirstOrDefault() is { } range && range.Split('-') is [_, var last] && long.TryParse(last, out var l))
            next = l + 1;
        return resp.Headers.Location is null ? session with { Offset = next } : Session(session.Repository, resp, next, session.MinChunkLength);
    }

    public async Task CommitAsync(UploadSession session, Digest digest, CancellationToken cancellationToken)
    {
        var what = $"commit blob {digest} to {session.Repository}";
        using var req = Request(HttpMethod.Put, WithDigest(session.Location, digest), Push(session.Repository));
        req.Content = new ByteArrayContent([]);
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var resp = await SendAsync(req, what, cancellationToken);
        await EnsureAsync(resp, what, Push(session.Repository), cancellationToken);
        CheckDigestHeader(resp, digest, "blob");
    }

    public async Task CancelAsync(UploadSession session, CancellationToken cancellationToken)
    {
        try
        {
            using var req = Request(HttpMethod.Delete, session.Location, Push(session.Repository));
            using var resp = await _http.SendAsync(req, cancellationToken);
        }
        catch (HttpRequestException) { } // best effort: the registry expires abandoned sessions
    }

    // ---- manifests ----

    private static void AcceptManifests(HttpRequestMessage req)
    {
        foreach (var mt in MediaTypes.AcceptedManifests) req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mt));
    }

    public async Task<Descriptor?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken, RegistryAccess access = RegistryAccess.Pull)
    {
        var what = $"check manifest {Show(repository, reference)}";
        using var req = Request(HttpMethod.Head, $"v2/{repository}/manifests/{reference}", Scopes(repository, access));
        AcceptManifests(req);
        using var resp = await SendAsync(req, what, cancellationToken);
        if (resp.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureAsync(resp, what, Scopes(repository, access), cancellationToken, new Missing("manifest", repository, At(reference)));
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
        var shown = Show(repository, reference);
        using var req = Request(HttpMethod.Get, $"v2/{repository}/manifests/{reference}", Pull(repository));
        AcceptManifests(req);
        using var resp = await SendAsync(req, $"get manifest {shown}", cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await EnsureAsync(resp, $"get manifest {shown}", Pull(repository), cancellationToken, new Missing("manifest", repository, At(reference)));
        if (resp.Content.Headers.ContentLength > MaxManifestBytes)
            throw new RegistryException($"manifest {shown} is {resp.Content.Headers.ContentLength} bytes; manifests over {MaxManifestBytes} bytes are refused");
        var bytes = await resp.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length > MaxManifestBytes)
            throw new RegistryException($"manifest {shown} is over {MaxManifestBytes} bytes; refused");
        // By digest: the bytes must hash to it. By tag: to the digest the registry says it served, when it says one.
        Digest? expected = Digest.TryParse(reference, out var wanted) ? wanted
            : resp.Headers.TryGetValues("Docker-Content-Digest", out var dv) && Digest.TryParse(dv.FirstOrDefault(), out var served) ? served : null;
        if (expected is { } e && Compute(e.Algorithm, bytes) != e)
            throw new RegistryException($"{shown} returned a manifest whose bytes hash to {Compute(e.Algorithm, bytes)}, not {e}; refusing it");
        return (bytes, OciJson.SniffMediaType(bytes, resp.Content.Headers.ContentType?.MediaType));
    }

    private static Digest Compute(string algorithm, byte[] bytes)
    {
        if (algorithm == "sha256") return Digest.Sha256(bytes);
        using var h = new Digest(algorithm, "").CreateHasher();
        h.AppendData(bytes);
        return Digest.FromHash(algorithm, h.GetHashAndReset());
    }

    public async Task PutManifestAsync(string repository, string reference, byte[] bytes, string mediaType, CancellationToken cancellationToken)
    {
        var what = $"push manifest {Show(repository, reference)}";
        using var req = Request(HttpMethod.Put, $"v2/{repository}/manifests/{reference}", Push(repository));
        req.Content = new ByteArrayContent(bytes);
        req.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var resp = await SendAsync(req, what, cancellationToken);
        await EnsureAsync(resp, what, Push(repository), cancellationToken);
        CheckDigestHeader(resp, Digest.Sha256(bytes), "manifest");
    }

    // ---- tags ----

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        Uri? next = new(BaseUri, $"v2/{repository}/tags/list?n={_tagPageSize}");
        var pages = 0;
        while (next is not null)
        {
            if (++pages > 10_000) throw new RegistryException($"{Registry}/{repository} keeps answering with another page of tags; stopped after 10000");
            using var req = Request(HttpMethod.Get, next, Pull(repository));
            using var resp = await SendAsync(req, $"list tags of {repository}", cancellationToken);
            await EnsureAsync(resp, $"list tags of {repository}", Pull(repository), cancellationToken, new Missing("repository", repository));
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStreamAsync(cancellationToken));
            if (doc.RootElement.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array)
                tags.AddRange(t.EnumerateArray().Select(e => e.GetString()).OfType<string>());
            next = NextLink(resp);
        }
        return tags;
    }

    /// <summary>RFC 5988 <c>Link: &lt;/v2/…/tags/list?n=…&amp;last=…&gt;; rel="next"</c>, relative to the registry.</summary>
    private Uri? NextLink(HttpResponseMessage resp)
    {
        if (!resp.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var start = link.IndexOf('<');
            var end = link.IndexOf('>');
            var isNext = link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) || link.Contains("rel=next", StringComparison.OrdinalIgnoreCase);
            if (isNext && start >= 0 && end > start) return new Uri(BaseUri, link[(start + 1)..end]);
        }
        return null;
    }

    // ---- errors ----

    private string Show(string repository, string reference) => $"{Registry}/{repository}{At(reference)}";

    private static string At(string reference) => (Digest.TryParse(reference, out _) ? "@" : ":") + reference;

    /// <summary>What a 404 means for the request: which manifest, blob or repository does not exist.</summary>
    private sealed record Missing(string Kind, string Repository, string Reference = "");

    private void CheckDigestHeader(HttpResponseMessage resp, Digest expected, string what)
    {
        if (resp.Headers.TryGetValues("Docker-Content-Digest", out var v) && Digest.TryParse(v.FirstOrDefault(), out var got) && got != expected)
            throw new RegistryException($"{Registry} stored {what} {expected} as {got}: the content changed in transit; nothing was tagged");
    }

    /// <summary>
    /// Throws one line for a failed response: "401 Unauthorized from HOST for push to REPO: …; pass --creds …",
    /// "manifest unknown: HOST/REPO:TAG does not exist", or the status with the OCI error body's codes and messages.
    /// </summary>
    private async Task EnsureAsync(HttpResponseMessage resp, string what, string[] scopes, CancellationToken ct, Missing? missing = null)
    {
        if (resp.IsSuccessStatusCode) return;
        var errors = new List<(string Code, string Message)>();
        try
        {
            if (resp.RequestMessage?.Method != HttpMethod.Head)
            {
                var body = await resp.Content.ReadAsStringAsync(ct);
                if (body.TrimStart().StartsWith('{'))
                {
                    using var doc = JsonDocument.Parse(body);
                    if (doc.RootElement.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
                        foreach (var e in list.EnumerateArray())
                            errors.Add((e.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "", e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : ""));
                }
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException) { }
        var status = resp.StatusCode;
        var code = errors.FirstOrDefault().Code is { Length: > 0 } c0 ? c0 : null;
        var said = errors.Count == 0 ? "" : string.Join("; ", errors.Select(e => e.Message.Length == 0 ? e.Code : $"{e.Code}: {e.Message}"));
        var head = $"{(int)status} {resp.ReasonPhrase ?? status.ToString()} from {Registry}";
        var action = ScopeText.Describe(scopes);
        string message;
        if (status == HttpStatusCode.Unauthorized)
            message = $"{head} for {action}: {(_auth.HasCredential ? _auth.CredentialSummary : "no credentials found")}; pass --creds USER:PASS or run `docker login {Registry}`";
        else if (status == HttpStatusCode.Forbidden)
            message = $"{head} for {action}: {(_auth.HasCredential ? "the credentials lack permission" : "anonymous access is not allowed")}{(said.Length > 0 ? $" ({said})" : "")}; use credentials that may {action}";
        else if (status == HttpStatusCode.NotFound && missing is { } m)
            message = code == "NAME_UNKNOWN" || m.Kind == "repository"
                ? $"repository unknown: {Registry}/{m.Repository} does not exist"
                : $"{m.Kind} unknown: {Registry}/{m.Repository}{m.Reference} does not exist";
        else
        {
            var hint = code switch
            {
                "DIGEST_INVALID" or "SIZE_INVALID" => "; the local blob's bytes do not match its descriptor (corrupt or changed since it was made)",
                "MANIFEST_BLOB_UNKNOWN" => "; a blob the manifest names is missing from the repository",
                "MANIFEST_INVALID" => "; the registry does not accept this manifest",
                _ => "",
            };
            message = $"{head} to {what}{(said.Length > 0 ? ": " + said : "")}{hint}";
        }
        throw new RegistryException(Secrets.Redact(message.ReplaceLineEndings(" ")), status, code);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// Passes an upload body through and checks its length against the descriptor, so a blob that is shorter or
/// longer than it claims fails with its digest named instead of as a broken connection that gets retried.
/// (Its digest is checked by the registry, which refuses the commit with DIGEST_INVALID.)
/// </summary>
internal sealed class LengthCheckingStream(Stream inner, Descriptor descriptor) : Content.ObservingReadStream(inner, descriptor.Size)
{
    protected override void OnRead(ReadOnlySpan<byte> data, int asked)
    {
        if (BytesRead > descriptor.Size)
            throw new InvalidDataException($"blob {descriptor.Digest} is longer than the {descriptor.Size} bytes its descriptor says; it is corrupt or changed since it was made");
        if (data.Length == 0 && asked > 0 && BytesRead < descriptor.Size)
            throw new InvalidDataException($"blob {descriptor.Digest} ended after {BytesRead} of {descriptor.Size} bytes; it is corrupt or changed since it was made");
    }
}
