using System.Text;
using Slipway.Oci.Registry.Auth;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Registry;

public class CredentialResolverTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task Docker_config_auths_then_REGISTRY_AUTH_FILE_then_containers_auth_then_CI_variables()
    {
        using var t = new TempDir();
        t.Write("home/.docker/config.json", $$"""{ "auths": { "https://reg.example:5000": { "auth": "{{B64("dock:er-pass")}}" } } }""");
        t.Write("authfile.json", $$"""{ "auths": { "other.example": { "auth": "{{B64("file:pass-1")}}" } } }""");
        t.Write("home/.config/containers/auth.json", $$"""{ "auths": { "third.example": { "username": "pod", "password": "man-pass" } } }""");
        var env = new Dictionary<string, string?>
        {
            ["REGISTRY_AUTH_FILE"] = t.Combine("authfile.json"), ["GITHUB_TOKEN"] = "ghp_token_value", ["GITHUB_ACTOR"] = "octo",
            ["CI_REGISTRY_USER"] = "gitlab-ci-token", ["CI_REGISTRY_PASSWORD"] = "glpat-value",
        };
        var r = new CredentialResolver(env, t.Combine("home"));
        Assert.Equal(("dock", "er-pass"), await Pair(r, "reg.example:5000"));
        Assert.Equal(("file", "pass-1"), await Pair(r, "other.example"));
        Assert.Equal(("pod", "man-pass"), await Pair(r, "third.example"));
        Assert.Equal(("octo", "ghp_token_value"), await Pair(r, "ghcr.io"));
        Assert.Equal(("gitlab-ci-token", "glpat-value"), await Pair(r, "registry.gitlab.com"));
        Assert.Null(await r.ResolveAsync("nowhere.example", default));
        Assert.Equal("x [REDACTED]", Slipway.Tooling.Secrets.Redact("x glpat-value"));
    }

    [Fact]
    public async Task Credential_helpers_are_asked_through_docker_credential_programs()
    {
        using var t = new TempDir();
        var bin = t.Combine("bin");
        Directory.CreateDirectory(bin);
        var helper = t.Write("bin/docker-credential-slipwaytest", "#!/bin/sh\nread host\necho \"{\\\"Username\\\":\\\"helper-user\\\",\\\"Secret\\\":\\\"helper-secret-for-$host\\\"}\"\n");
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        t.Write("home/.docker/config.json", """{ "credHelpers": { "helped.example": "slipwaytest" } }""");
        var oldPath = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + ":" + oldPath);
        try
        {
            var r = new CredentialResolver(new Dictionary<string, string?>(), t.Combine("home"));
            Assert.Equal(("helper-user", "helper-secret-for-helped.example"), await Pair(r, "helped.example"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
        }
    }

    private static async Task<(string?, string?)?> Pair(CredentialResolver r, string host) =>
        await r.ResolveAsync(host, default) is { } c ? (c.Username, c.Password) : null;
}
