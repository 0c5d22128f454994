using System.Text;
using Slipway.Oci.Registry.Auth;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Registry;

public class KeychainTests
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
        var r = Keychain.Default(new CredentialEnvironment(env, t.Combine("home")));
        Assert.Equal(("dock", "er-pass"), await Pair(r, "reg.example:5000"));
        Assert.Equal(("file", "pass-1"), await Pair(r, "other.example"));
        Assert.Equal(("pod", "man-pass"), await Pair(r, "third.example"));
        Assert.Equal(("octo", "ghp_token_value"), await Pair(r, "ghcr.io"));
        Assert.Equal(("gitlab-ci-token", "glpat-value"), await Pair(r, "registry.gitlab.com"));
        Assert.Null(await r.FindAsync("nowhere.example", default));
        Assert.Equal("x [REDACTED]", Slipway.Tooling.Secrets.Redact("x glpat-value"));
    }

    /// <summary>A fake docker-credential-test on a PATH given to the resolver: answers for hosts it knows, exits 1 otherwise.</summary>
    private static string FakeHelper(TempDir t)
    {
        var helper = t.Write("bin/docker-credential-test", """
            #!/bin/sh
            [ "$1" = get ] || exit 2
            read host
            case "$host" in
              *helped*|*stored*) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret-for-%s"}\n' "$host" "$host" ;;
              *oauth*) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-from-helper"}\n' "$host" ;;
              *) echo "credentials not found in native keychain"; exit 1 ;;
            esac
            """);
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        return t.Combine("bin");
    }

    [Fact]
    public async Task Credential_helpers_and_the_creds_store_are_asked_through_docker_credential_programs()
    {
        using var t = new TempDir();
        var env = new Dictionary<string, string?> { ["PATH"] = FakeHelper(t) + ":/usr/bin:/bin", ["REGISTRY_AUTH_FILE"] = t.Combine("authfile.json") };
        t.Write("home/.docker/config.json", """{ "credHelpers": { "helped.example": "test", "missing.example": "test" }, "credsStore": "test", "auths": { "stored.example": {} } }""");
        t.Write("authfile.json", $$"""{ "auths": { "missing.example": { "auth": "{{B64("file:pass-2")}}" } } }""");
        var r = Keychain.Default(new CredentialEnvironment(env, t.Combine("home")));
        Assert.Equal(("helper-user", "helper-secret-for-helped.example"), await Pair(r, "helped.example"));
        // credsStore answers for hosts without a helper of their own (auths entries are placeholders then).
        Assert.Equal(("helper-user", "helper-secret-for-stored.example"), await Pair(r, "stored.example"));
        // A helper that has nothing (exit 1) lets the search go on to the next source.
        Assert.Equal(("file", "pass-2"), await Pair(r, "missing.example"));
        // "<token>" from a helper is an identity token.
        var oauth = await r.FindAsync("oauth.example", default);
        Assert.Equal((null, null, "refresh-from-helper"), (oauth!.Username, oauth.Password, oauth.IdentityToken));
        Assert.Equal("[REDACTED]", Slipway.Tooling.Secrets.Redact("helper-secret-for-helped.example"));
    }

    [Fact]
    public async Task The_first_source_that_has_the_host_wins_in_docker_then_containers_then_CI_order()
    {
        using var t = new TempDir();
        const string host = "reg.example:5000";
        var env = new Dictionary<string, string?>
        {
            ["DOCKER_CONFIG"] = t.Combine("dockercfg"), ["REGISTRY_AUTH_FILE"] = t.Combine("authfile.json"), ["XDG_RUNTIME_DIR"] = t.Combine("run"),
            ["CI_REGISTRY"] = host, ["CI_REGISTRY_USER"] = "gitlab-ci-token", ["CI_REGISTRY_PASSWORD"] = "glpat-order-test",
        };
        var files = new[]
        {
            t.Write("dockercfg/config.json", $$"""{ "auths": { "https://{{host}}/v1/": { "auth": "{{B64("docker:pass-docker")}}" } } }"""),
            t.Write("authfile.json", $$"""{ "auths": { "{{host}}": { "username": "authfile", "password": "pass-authfile" } } }"""),
            t.Write("run/containers/auth.json", $$"""{ "auths": { "{{host}}": { "auth": "{{B64("runtime:pass-runtime")}}" } } }"""),
            t.Write("home/.config/containers/auth.json", $$"""{ "auths": { "{{host}}": { "auth": "{{B64("podman:pass-podman")}}" } } }"""),
        };
        // ~/.docker/config.json is ignored while DOCKER_CONFIG points elsewhere.
        t.Write("home/.docker/config.json", $$"""{ "auths": { "{{host}}": { "auth": "{{B64("ignored:pass-ignored")}}" } } }""");
        var expected = new[] { "docker", "authfile", "runtime", "podman", "gitlab-ci-token" };
        var r = Keychain.Default(new CredentialEnvironment(env, t.Combine("home")));
        for (var i = 0; i < expected.Length; i++)
        {
            var c = await r.FindAsync(host, default);
            Assert.Equal(expected[i], c!.Username);
            if (i < files.Length) File.Delete(files[i]);
        }
        // The GitLab variables also answer for gitlab.com's registry, and never for other hosts.
        Assert.Equal(("gitlab-ci-token", "glpat-order-test"), await Pair(r, "registry.gitlab.com"));
        Assert.Null(await r.FindAsync("other.example", default));
    }

    [Fact]
    public async Task An_identity_token_in_auths_is_the_credential_and_bad_files_are_named()
    {
        using var t = new TempDir();
        t.Write("home/.docker/config.json", $$"""{ "auths": { "oauth.example": { "auth": "{{B64("<token>:")}}", "identitytoken": "idt-value-123" } } }""");
        var r = Keychain.Default(new CredentialEnvironment(new Dictionary<string, string?>(), t.Combine("home")));
        var c = await r.FindAsync("oauth.example", default);
        Assert.Equal((null, null, "idt-value-123"), (c!.Username, c.Password, c.IdentityToken));
        Assert.DoesNotContain("idt-value-123", c.ToString());

        t.Write("home/.docker/config.json", "{ \"auths\": { \n  oops } }");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => r.FindAsync("oauth.example", default).AsTask());
        Assert.Contains(t.Combine("home/.docker/config.json"), e.Message);
        Assert.Contains("line 2", e.Message);

        t.Write("home/.docker/config.json", """{ "credHelpers": { "x.example": "nonexistent" } }""");
        var missing = await Assert.ThrowsAsync<Slipway.Oci.Registry.RegistryException>(() => r.FindAsync("x.example", default).AsTask());
        Assert.Contains("'docker-credential-nonexistent' is not on PATH", missing.Message);
    }

    [Fact]
    public async Task The_chain_asks_explicit_credentials_first_a_hosts_own_before_the_any_host_one_then_the_files()
    {
        using var t = new TempDir();
        t.Write("home/.docker/config.json", $$"""{ "auths": { "files.example": { "auth": "{{Convert.ToBase64String("file:pass-f"u8)}}" }, "both.example": { "auth": "{{Convert.ToBase64String("file:pass-b"u8)}}" } } }""");
        var files = Keychain.Default(new CredentialEnvironment(new Dictionary<string, string?>(), t.Combine("home")));
        Assert.Equal([typeof(DockerConfigCredentials), typeof(ContainersAuthFiles), typeof(CiCredentials)], files.Providers.Select(p => p.GetType()));

        var given = new ExplicitCredentials().AnyHost(new RegistryCredential("any", "pass-any")).Host("own.example", new RegistryCredential("own", "pass-own"));
        var chain = files.Prepend(given);
        Assert.Equal(("own", "pass-own"), await Pair(chain, "own.example"));
        Assert.Equal(("any", "pass-any"), await Pair(chain, "both.example"));
        Assert.Equal(("file", "pass-f"), await Pair(files.Prepend(ExplicitCredentials.ForHost("own.example", new RegistryCredential("own", "x"))), "files.example"));
        Assert.Null(await Keychain.Empty.FindAsync("files.example", default));
    }

    private static async Task<(string?, string?)?> Pair(Keychain r, string host) =>
        await r.FindAsync(host, default) is { } c ? (c.Username, c.Password) : null;
}
