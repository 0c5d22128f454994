using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Slipway.Tooling;

namespace Slipway.Testing;

/// <summary>
/// Smart-HTTP git server on loopback: an HttpListener that hands each request to the real <c>git http-backend</c>
/// (CGI) over bare repositories in a temp dir. With a token set it refuses (401) every request whose Basic
/// password is not that token, like GitHub with an installation token. It records each request's URL and
/// Authorization header so tests can check where the token went.
/// </summary>
public sealed class GitHttpServer : HttpFixtureServer
{
    private readonly TempDir _dir = new("githttp");

    public GitHttpServer(string? requiredToken = null) : base(concurrent: true)
    {
        RequiredToken = requiredToken;
        Start();
    }

    public string? RequiredToken { get; set; }
    /// <summary>Answer 503 to everything (a GitHub outage) while set.</summary>
    public bool Unavailable { get; set; }
    public ConcurrentQueue<string> RequestedUrls { get; } = new();
    public ConcurrentQueue<string> Refusals { get; } = new();

    public string UrlOf(string name) => $"http://127.0.0.1:{Port}/{name}.git";

    /// <summary>Creates (or replaces) a bare repository from a working tree's files and returns the commit sha.</summary>
    public Task<string> CreateRepositoryAsync(string name, IReadOnlyDictionary<string, string> files, string branch = "main") =>
        CreateRepositoryAsync(name, files.ToDictionary(f => f.Key, f => System.Text.Encoding.UTF8.GetBytes(f.Value)), branch);

    /// <summary>The same with file contents as bytes; the paths in <paramref name="executables"/> are committed as mode 755.</summary>
    public async Task<string> CreateRepositoryAsync(string name, IReadOnlyDictionary<string, byte[]> files, string branch = "main", IReadOnlyCollection<string>? executables = null)
    {
        var work = _dir.Combine("work", name);
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
            if (executables?.Contains(path) == true) File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
        }
        return await CommitAsync(name, work, branch, init: true);
    }

    /// <summary>Adds a commit to an existing repository (returns its sha).</summary>
    public async Task<string> AddCommitAsync(string name, IReadOnlyDictionary<string, string> files, string branch = "main")
    {
        var work = _dir.Combine("work", name);
        foreach (var (path, content) in files) File.WriteAllText(Path.Combine(work, path), content);
        return await CommitAsync(name, work, branch, init: false);
    }

    private async Task<string> CommitAsync(string name, string work, string branch, bool init)
    {
        var bare = _dir.Combine("repos", name + ".git");
        var env = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "test", ["GIT_AUTHOR_EMAIL"] = "t@example.com", ["GIT_COMMITTER_NAME"] = "test", ["GIT_COMMITTER_EMAIL"] = "t@example.com",
            ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        };
        async Task<string> Git(params string[] args)
        {
            var r = await ToolRunner.RunAsync(new ToolInvocation("git", args) { WorkingDirectory = work, Environment = env, CaptureStandardOutput = true });
            if (!r.Succeeded) throw new InvalidOperationException($"git {string.Join(' ', args)}: {string.Join('\n', r.Tail)}");
            return r.StandardOutput.Trim();
        }
        if (init)
        {
            await Git("init", "-q", "-b", branch);
            if (Directory.Exists(bare)) Directory.Delete(bare, true);
            Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
            await Git("init", "-q", "--bare", bare);
            await Git("--git-dir", bare, "config", "http.receivepack", "false");
            await Git("--git-dir", bare, "config", "uploadpack.allowAnySHA1InWant", "true");
        }
        await Git("add", "-A");
        await Git("commit", "-q", "-m", "commit");
        await Git("push", "-q", "-f", bare, $"HEAD:refs/heads/{branch}");
        await Git("--git-dir", bare, "symbolic-ref", "HEAD", $"refs/heads/{branch}");
        return await Git("rev-parse", "HEAD");
    }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        RequestedUrls.Enqueue(request.Url!.ToString());
        if (Unavailable)
        {
            response.StatusCode = 503;
            return;
        }
        if (RequiredToken is { } token && !Authorized(request.Headers["Authorization"], token))
        {
            Refusals.Enqueue(request.Url!.PathAndQuery);
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", "Basic realm=\"git\"");
            return;
        }
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var psi = new ProcessStartInfo("git", ["http-backend"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["GIT_PROJECT_ROOT"] = _dir.Combine("repos");
        psi.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        psi.Environment["REQUEST_METHOD"] = request.HttpMethod;
        psi.Environment["PATH_INFO"] = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        psi.Environment["QUERY_STRING"] = request.Url.Query.TrimStart('?');
        psi.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        psi.Environment["CONTENT_LENGTH"] = body.Length.ToString();
        psi.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (request.Headers["Content-Encoding"] is { } enc) psi.Environment["HTTP_CONTENT_ENCODING"] = enc;
        if (request.Headers["Git-Protocol"] is { } proto) psi.Environment["GIT_PROTOCOL"] = proto;
        using var cgi = Process.Start(psi)!;
        var stderr = cgi.StandardError.ReadToEndAsync();
        body.Position = 0;
        await body.CopyToAsync(cgi.StandardInput.BaseStream);
        cgi.StandardInput.Close();
        var output = cgi.StandardOutput.BaseStream;
        // CGI headers up to the blank line, then the body streamed through.
        var header = new StringBuilder();
        var one = new byte[1];
        while (await output.ReadAsync(one) == 1)
        {
            header.Append((char)one[0]);
            var h = header.ToString();
            if (h.EndsWith("\r\n\r\n") || h.EndsWith("\n\n"))
                break;
        }
        foreach (var line in header.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            var (k, v) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (k.Equals("Status", StringComparison.OrdinalIgnoreCase)) response.StatusCode = int.Parse(v.Split(' ')[0]);
            else if (k.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) response.ContentType = v;
            else if (!k.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) response.AddHeader(k, v);
        }
        response.SendChunked = true;
        await output.CopyToAsync(response.OutputStream);
        await cgi.WaitForExitAsync();
        await stderr;
    }

    private static bool Authorized(string? header, string token)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal)) return false;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
            return decoded.Split(':', 2) is [_, var password] && password == token;
        }
        catch (FormatException) { return false; }
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
