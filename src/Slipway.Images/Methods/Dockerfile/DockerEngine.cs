using System.Formats.Tar;
using System.IO.Pipelines;
using Docker.DotNet;
using Docker.DotNet.Models;
using Slipway.Images.BaseImages;
using Slipway.Oci.Content;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Tooling;

namespace Slipway.Images.Methods.Dockerfile;

/// <summary>
/// The Docker engine, spoken to through its HTTP API (Docker.DotNet.Enhanced, the maintained Docker.DotNet) at <c>DOCKER_HOST</c> (unix:// or tcp://;
/// default /var/run/docker.sock), so it needs no docker CLI: local bases go in with <c>POST /images/load</c> as a
/// docker-archive streamed from their OCI layouts, the build is <c>POST /build</c> (the classic builder) with the
/// context tar streamed from the directory, and the result comes back through <c>GET /images/{name}/get</c>,
/// unpacked entry by entry into a blob directory (no tarball is written). It becomes an OCI image whose layers
/// are the saved, uncompressed layer tars. RUN steps get network mode none (daemons started without a bridge
/// cannot give them one).
/// When the docker CLI with the buildx plugin is on PATH, the build itself goes through
/// <c>DOCKER_BUILDKIT=1 docker build</c> instead: BuildKit over the API needs the CLI's gRPC session (file sync of
/// the context, build secrets) hijacked on <c>/session</c>, which Docker.DotNet does not implement.
/// </summary>
public sealed class DockerEngine : IDockerfileEngine
{
    // Keyed by DOCKER_HOST: a test (or CI step) may point at another daemon later in the same process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ToolchainProblem?> Problems = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> BuildKitClients = new();

    /// <summary>DOCKER_HOST, or the daemon's default socket.</summary>
    public static string Host => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } h ? h : "unix:///var/run/docker.sock";

    /// <summary>A client for <see cref="Host"/>; no request timeout (builds and image streams take as long as they take).</summary>
    public static DockerClient Connect()
    {
        if (!Uri.TryCreate(Host, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "http" or "https"))
            throw new FormatException($"DOCKER_HOST '{Host}' is not a daemon address; use unix:///path/to/docker.sock or tcp://HOST:PORT");
        return new DockerClientBuilder().WithEndpoint(uri).WithTimeout(Timeout.InfiniteTimeSpan).Build();
    }

    private static ToolchainProblem? ProbeNow()
    {
        try
        {
            using var client = Connect();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            client.System.GetVersionAsync(cts.Token).GetAwaiter().GetResult();
            return null;
        }
        catch (FormatException e) { return new ToolchainProblem(e.Message, "export DOCKER_HOST=unix:///var/run/docker.sock"); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ToolchainProblem($"no Docker daemon answers at {Host} ({e.GetBaseException().Message})",
                "start one with: systemctl start docker (or dockerd --storage-driver=vfs --bridge=none --iptables=false &), or point DOCKER_HOST at one");
        }
    }

    public string Name => "docker";

    public ToolchainProblem? Probe() => Problems.GetOrAdd(Host, _ => ProbeNow());

    /// <summary>
    /// Since Docker 23 the CLI drives BuildKit only through the buildx plugin; without it (or without any CLI) the
    /// classic builder of the API is used.
    /// </summary>
    public static bool CliHasBuildKit => BuildKitClients.GetOrAdd(Host + "|" + ToolRunner.Which("docker"),
        _ => EngineTools.Answers("docker", ["buildx", "version"], TimeSpan.FromSeconds(10)));

    public string Flavor => CliHasBuildKit ? "docker/buildkit" : "docker/classic";

    public async Task<OciImage> BuildAsync(DockerfileBuildRequest r, CancellationToken cancellationToken)
    {
        using var client = Connect();
        var buildKit = CliHasBuildKit;
        if (!buildKit) r.Context.Log("docker: no docker CLI with the buildx plugin here, so BuildKit cannot be driven; using the engine's classic builder through its API");
        await LoadBasesAsync(client, r, cancellationToken);

        var tag = $"slipway-build/{r.Definition.Name}:{Guid.NewGuid():N}";
        if (buildKit) await BuildWithCliAsync(r, tag, cancellationToken);
        else await BuildClassicAsync(client, r, tag, cancellationToken);
        try
        {
            await using var saved = await client.Images.SaveImageAsync(tag, cancellationToken);
            return await DockerArchive.UnpackAsync(new NoEmptyReads(saved), Path.Combine(r.OutputDirectory, "saved"), cancellationToken);
        }
        finally
        {
            try { await client.Images.DeleteImageAsync(tag, new ImageDeleteParameters { NoPrune = true }, CancellationToken.None); }
            catch (DockerApiException e) { r.Context.Log($"docker: could not remove {tag}: {e.Message}"); }
        }
    }

    private static async Task BuildWithCliAsync(DockerfileBuildRequest r, string tag, CancellationToken ct)
    {
        var env = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "1", ["SOURCE_DATE_EPOCH"] = r.SourceDateEpoch };
        var args = new List<string> { "build", "--network=none", "-t", tag, "--progress=plain" };
        args.AddRange(EngineTools.CommonBuildFlags(r));
        // BuildKit reads SOURCE_DATE_EPOCH as a build arg: config and history times become the commit time.
        args.AddRange(["--build-arg", $"SOURCE_DATE_EPOCH={r.SourceDateEpoch}"]);
        args.Add(r.Definition.ContextDirectory);
        var result = await EngineTools.RunLoggedAsync("docker", args, r, ct, env);
        if (!result.Succeeded) throw EngineTools.Failure(r, "docker", result);
    }

    /// <summary><c>POST /build</c>: the context goes up as a tar written while it is sent; the answer is a stream of JSON messages.</summary>
    private static async Task BuildClassicAsync(DockerClient client, DockerfileBuildRequest r, string tag, CancellationToken ct)
    {
        var d = r.Definition;
        var context = Path.GetFullPath(d.ContextDirectory);
        var dockerfile = Path.GetFullPath(d.DefinitionFile);
        var relDockerfile = Path.GetRelativePath(context, dockerfile).Replace('\\', '/');
        // A Dockerfile outside the context travels inside it under a name of its own, as the docker CLI does.
        var outside = relDockerfile.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relDockerfile);
        if (outside) relDockerfile = $".dockerfile.{Guid.NewGuid():N}";
        var parameters = new ImageBuildParameters
        {
            Tags = [tag],
            Dockerfile = relDockerfile,
            NetworkMode = "none",
            Remove = true,
            ForceRemove = true,
            BuildArgs = d.BuildArgs.ToDictionary(kv => kv.Key, kv => kv.Value),
            Target = string.IsNullOrEmpty(d.Attribute) ? null : d.Attribute,
            Platform = d.Platforms.Count == 1 ? d.Platforms[0] : null,
        };
        var output = new BuildOutput(r.Context.Log);
        await StreamToEngineAsync(
            (tar, token) => WriteContextAsync(context, dockerfile, relDockerfile, outside, tar, token),
            body => client.Images.BuildImageFromDockerfileAsync(parameters, body, [], new Dictionary<string, string>(), output, ct),
            output, ct);
        if (output.Failed is { } code)
            throw EngineTools.Failure(r, "docker", new ToolResult((int)code, "", output.Tail, TimeSpan.Zero));
    }

    /// <summary>The build context as the docker CLI sends it: the files .dockerignore keeps, plus the Dockerfile and .dockerignore.</summary>
    private static async Task WriteContextAsync(string context, string dockerfile, string relDockerfile, bool outside, Stream stream, CancellationToken ct)
    {
        await using var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
        var ignoreFile = DockerIgnore.Locate(dockerfile, context);
        var files = DockerIgnore.Load(ignoreFile).ContextFiles(context).ToList();
        if (!outside && !files.Contains(dockerfile)) files.Add(dockerfile);
        if (ignoreFile is not null && Path.GetDirectoryName(Path.GetFullPath(ignoreFile)) == context && !files.Contains(Path.GetFullPath(ignoreFile)))
            files.Add(Path.GetFullPath(ignoreFile));
        var dirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var rel = Path.GetRelativePath(context, file).Replace('\\', '/');
            // Parent directories first, so the daemon creates them with their own modes.
            var slash = -1;
            while ((slash = rel.IndexOf('/', slash + 1)) > 0)
                if (dirs.Add(rel[..slash])) await tar.WriteEntryAsync(Path.Combine(context, rel[..slash]), rel[..slash], ct);
            await tar.WriteEntryAsync(file, rel, ct);
        }
        if (outside) await tar.WriteEntryAsync(dockerfile, relDockerfile, ct);
    }

    /// <summary>
    /// Loads each local base into the daemon under its upstream name, unless the daemon already has exactly that
    /// image (the image ID of a loaded image is its config digest).
    /// </summary>
    private static async Task LoadBasesAsync(DockerClient client, DockerfileBuildRequest r, CancellationToken ct)
    {
        foreach (var b in r.MappedBases)
        {
            var image = OciLayout.Open(b.LayoutDirectory).ReadImage(b.LayoutRef);
            try
            {
                var present = await client.Images.InspectImageAsync(b.EngineName, ct);
                if (present.ID == image.Config.Descriptor.Digest.ToString())
                {
                    r.Context.Log($"base {b.From}: {b.EngineName} is already in the daemon");
                    continue;
                }
            }
            catch (DockerImageNotFoundException) { }
            r.Context.Log($"base {b.From} ← {b.Source}");
            var output = new BuildOutput(r.Context.Log);
            await StreamToEngineAsync(
                (archive, token) => DockerArchive.WriteAsync(image, b.EngineName, archive, token),
                body => client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, body, output, ct),
                output, ct);
            if (output.Failed is { } code)
                throw EngineTools.Failure(r, "docker", new ToolResult((int)code, "", output.Tail, TimeSpan.Zero), $"loading local base {b.Source} into the daemon as {b.EngineName}");
        }
    }

    /// <summary>
    /// Sends what <paramref name="write"/> produces to an engine API call while it is being written (a pipe: no
    /// tarball on disk, flat memory). An API error joins the output's tail; a writer failure fails the call and is rethrown.
    /// </summary>
    private static async Task StreamToEngineAsync(Func<Stream, CancellationToken, Task> write, Func<Stream, Task> send, BuildOutput output, CancellationToken ct)
    {
        var pipe = new Pipe();
        var writing = WriteAsync();
        try
        {
            await send(pipe.Reader.AsStream());
        }
        catch (DockerApiException e)
        {
            output.Add(e.ResponseBody is { Length: > 0 } body ? body.Trim() : e.Message);
            output.Failed ??= 1;
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
        }
        await writing;

        async Task WriteAsync()
        {
            try
            {
                await using var stream = pipe.Writer.AsStream();
                await write(stream, ct);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }
    }

    /// <summary>
    /// Docker.DotNet's chunked response stream throws EndOfStreamException on a zero-length read (TarReader asks
    /// for 0 bytes at an empty entry); this answers those itself and passes every other read through.
    /// </summary>
    private sealed class NoEmptyReads(Stream inner) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => count == 0 ? 0 : inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => buffer.IsEmpty ? 0 : inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => buffer.IsEmpty ? ValueTask.FromResult(0) : inner.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => count == 0 ? Task.FromResult(0) : inner.ReadAsync(buffer, offset, count, ct);
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// The daemon's JSON message stream as build-log lines (redacted), a bounded tail for the failure message and
    /// the error it ended with. Called synchronously by Docker.DotNet, in order, as messages arrive.
    /// </summary>
    private sealed class BuildOutput(Action<string> log) : IProgress<JSONMessage>
    {
        private readonly Queue<string> _tail = new();
        public long? Failed { get; set; }
        public IReadOnlyList<string> Tail => _tail.ToArray();

        public void Add(string text)
        {
            foreach (var raw in text.Split('\n'))
            {
                var line = Secrets.Redact(raw.TrimEnd('\r'));
                if (line.Length == 0) continue;
                _tail.Enqueue(line);
                while (_tail.Count > 50) _tail.Dequeue();
                log(line);
            }
        }

        public void Report(JSONMessage value)
        {
            if (value.Stream is { Length: > 0 } s) Add(s);
            else if (value.Status is { Length: > 0 } status) Add(value.ID is { Length: > 0 } id ? $"{id}: {status}" : status);
            // The daemon sends "error" (deprecated) and "errorDetail" together; the client library reads the latter.
            if (value.Error is { } error)
            {
                Add(error.Message ?? "error");
                // The classic builder reports a RUN step's exit code in the error; others carry none.
                Failed = error.Code is { } code and not 0 ? code : 1;
            }
        }
    }
}
