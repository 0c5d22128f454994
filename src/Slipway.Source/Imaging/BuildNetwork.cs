namespace Slipway.Source.Imaging;

/// <summary>
/// The one network setting of every build container: which CA certificates it trusts, which proxy it goes
/// through, and where each package manager finds its registry. Made once from the machine's configuration
/// (<see cref="SourceBuilderOptions"/>, the host's CA bundle and proxy variables) and handed the same way to npm,
/// pnpm, yarn 1 and berry, bun, pip/uv, NuGet (dotnet), go and cargo: environment variables plus read-only files
/// mounted into the container. The step runner decides how a step is isolated; this type decides only what it sees.
/// </summary>
public sealed record BuildNetwork
{
    /// <summary>Where the CA bundle is mounted in a build container.</summary>
    public const string CaBundlePath = "/etc/slipway-ca-bundle.crt";
    /// <summary>bun's installer reads its CA file from the global bunfig, not from the environment.</summary>
    public const string BunfigPath = "/root/.bunfig.toml";
    public static readonly string[] ProxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"];

    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    /// <summary>Host file → container path (mounted read-only).</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    /// <summary>
    /// The setting for one build. The CA bundle: the host's (SSL_CERT_FILE, else Debian's
    /// /etc/ssl/certs/ca-certificates.crt), with the configured extra CA file (a company mirror or TLS proxy)
    /// appended; written under <paramref name="workDirectory"/>. Proxies: the host's HTTP(S)_PROXY/NO_PROXY (either case).
    /// </summary>
    public static BuildNetwork For(PackageMirrors mirrors, string workDirectory, Func<string, string?>? hostEnvironment = null, string? hostCaBundle = null)
    {
        hostEnvironment ??= System.Environment.GetEnvironmentVariable;
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        // Trust: one bundle, named by every variable the tools read.
        hostCaBundle ??= hostEnvironment("SSL_CERT_FILE") is { Length: > 0 } f && File.Exists(f) ? f : "/etc/ssl/certs/ca-certificates.crt";
        var parts = new[] { hostCaBundle, mirrors.CaFile }.Where(p => p is { Length: > 0 } && File.Exists(p)).Distinct().ToList();
        if (parts.Count > 0)
        {
            Directory.CreateDirectory(workDirectory);
            var bundle = Path.Combine(workDirectory, "ca-bundle.crt");
            File.WriteAllText(bundle, string.Join("\n", parts.Select(p => File.ReadAllText(p!).TrimEnd('\n'))) + "\n");
            files[bundle] = CaBundlePath;
            foreach (var v in new[]
            {
                "SSL_CERT_FILE",        // OpenSSL: dotnet (NuGet), go, uv with native TLS, curl
                "NODE_EXTRA_CA_CERTS",  // node: npm, pnpm, yarn 1 and berry (no YARN_CA_FILE_PATH: yarn 4 refuses it as a legacy setting); bun at run time
                "NPM_CONFIG_CAFILE",    // npm and pnpm's own agent
                "PIP_CERT",             // pip
                "REQUESTS_CA_BUNDLE",   // pip's vendored requests, poetry
                "UV_CERT_FILE",
                "CARGO_HTTP_CAINFO",    // cargo
                "GIT_SSL_CAINFO",       // git dependencies
                "CURL_CA_BUNDLE",
            })
                env[v] = CaBundlePath;
            env["UV_NATIVE_TLS"] = "true";
            var bunfig = Path.Combine(workDirectory, "bunfig.toml");
            File.WriteAllText(bunfig, $"[install]\ncafile = \"{CaBundlePath}\"\n");
            files[bunfig] = BunfigPath;
        }

        // Proxy: the host's, in both spellings (curl and go read lowercase, others uppercase), and yarn berry's own.
        foreach (var name in ProxyVariables)
            if ((hostEnvironment(name) ?? hostEnvironment(name.ToLowerInvariant())) is { Length: > 0 } value)
            {
                env[name] = value;
                env[name.ToLowerInvariant()] = value;
            }
        if (env.TryGetValue("HTTP_PROXY", out var http)) env["YARN_HTTP_PROXY"] = http;
        if (env.TryGetValue("HTTPS_PROXY", out var https)) env["YARN_HTTPS_PROXY"] = https;

        // Registries.
        if (mirrors.Npm is { } npm)
        {
            env["NPM_CONFIG_REGISTRY"] = npm;           // npm, pnpm, bun, yarn 1 (it reads npm_config_* case-insensitively)
            env["BUN_CONFIG_REGISTRY"] = npm;
            // No YARN_REGISTRY: yarn 2 stops on it as a legacy setting (Railpack's node-yarn-2-node-linker failed).
            env["YARN_NPM_REGISTRY_SERVER"] = npm.TrimEnd('/'); // yarn berry
        }
        if (mirrors.PyPI is { } pypi)
        {
            env["PIP_INDEX_URL"] = pypi;
            env["UV_DEFAULT_INDEX"] = pypi;
        }
        // MSBuild reads environment variables as properties: RestoreSources replaces nuget.config's sources.
        if (mirrors.NuGet is { } nuget && nuget != PackageMirrors.DefaultNuGet) env["RestoreSources"] = nuget;
        env["GOPROXY"] = mirrors.GoProxy ?? "off";
        env["GOSUMDB"] = "off";
        env["GOTOOLCHAIN"] = "local";
        if (mirrors.Crates is { } crates) env["CARGO_REGISTRIES_CRATES_IO_INDEX"] = crates;
        return new BuildNetwork { Environment = env, Files = files };
    }
}
