using Slipway.Images.BaseImages;
using Slipway.Source.Tests.Support;
using Xunit.Abstractions;

namespace Slipway.Source.Tests;

/// <summary>The source engine's bases (the standard catalog) build from Debian packages or official binaries and carry their toolchain.</summary>
public sealed class SourceBaseTests(SourceFixture fixture, ITestOutputHelper output) : IClassFixture<SourceFixture>
{
    [Theory]
    [InlineData("node", "node --version && npm --version", "v18.20.8")]
    [InlineData("node-debian", "node --version && npm --version", "v18.")]
    [InlineData("node-slim", "node --version", "v18.")]
    [InlineData("python", "python3 --version", "Python 3.11")]
    [InlineData("python-slim", "python3 --version", "Python 3.11")]
    [InlineData("golang", "go version", "go version go1.19")]
    // Closure runtimes: the interpreter works as the app user, TLS finds the CA bundle, and no package manager came along.
    [InlineData("node-runtime", "node -e \"require('https'); console.log(process.version, require('tls').rootCertificates.length > 0)\" && ls /etc/ssl/certs/ca-certificates.crt && ! test -e /usr/bin/apt-get && ! test -e /var/lib/dpkg/status && ! test -e /usr/bin/perl", "v18.")]
    [InlineData("python-runtime", "python3 -c \"import ssl, sqlite3, zoneinfo, decimal, ctypes; print(ssl.create_default_context().cert_store_stats()['x509_ca'] > 0)\" && ! test -e /usr/bin/apt-get && ! test -e /usr/bin/perl", "True")]
    [InlineData("caddy-runtime", "caddy version && ! test -e /usr/bin/apt-get && ! test -e /usr/bin/perl", "2.6.")]
    public async Task A_source_base_builds_and_has_its_toolchain(string name, string command, string expected)
    {
        var catalog = SourceBases.Catalog(fixture.Options.BaseDirectory);
        var result = await new BaseImageBuilder(catalog).BuildAllAsync([name], new BaseImageBuildOptions { Log = output.WriteLine }, default);
        var image = Slipway.Oci.Layout.OciLayout.Open(result[0].LayoutPath).ReadImage(BaseImageCatalog.Ref);
        // stderr joins stdout: a version printed to either counts, and an empty answer shows what the shell said.
        var printed = (await fixture.RunAsync(image, ["sh", "-c", command + " 2>&1; echo \"exit $?\""])).Trim();
        output.WriteLine(printed);
        Assert.StartsWith(expected, printed);
        Assert.EndsWith("exit 0", printed);
    }
}
