using System.Security.Cryptography;
using System.Text;
using Slipway.Tooling;

namespace Slipway.Builder.Http;

/// <summary>
/// Who may read the worker API: bearer tokens, each for one tenant or for all. One format, for
/// <c>--api-token-file</c>: a line per token, <c>TOKEN</c> (every tenant, the operator's and the dashboard's) or
/// <c>TOKEN TENANT</c> (that tenant's builds and versions only); blank lines and <c>#</c> comments are skipped.
/// <c>--api-token</c> / <c>BUILDER_API_TOKEN</c> adds one all-tenant token.
/// </summary>
public sealed class ApiTokens
{
    /// <summary>Who a token speaks for: <see cref="Tenant"/> null means every tenant.</summary>
    public sealed record Caller(string? Tenant);

    private readonly List<(byte[] Hash, Caller Caller)> _tokens = [];

    public static ApiTokens None => new();

    public bool IsEmpty => _tokens.Count == 0;

    public ApiTokens Add(string token, string? tenant)
    {
        token = token.Trim();
        if (token.Length < 16) throw new StepFailure("configure", FailureClass.Permanent,
            $"an API token must be at least 16 characters (got {token.Length}); make one with: head -c 32 /dev/urandom | base64");
        Secrets.Register(token);
        _tokens.Add((SHA256.HashData(Encoding.UTF8.GetBytes(token)), new Caller(tenant)));
        return this;
    }

    /// <summary>Reads a tokens file (see the type's summary); one line naming the file and line when malformed.</summary>
    public ApiTokens AddFile(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StepFailure("configure", FailureClass.Permanent, $"--api-token-file {path}: cannot be read ({e.Message})");
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 2)
                throw new StepFailure("configure", FailureClass.Permanent, $"{path}:{i + 1}: expected 'TOKEN' or 'TOKEN TENANT', got {parts.Length} words");
            if (parts.Length == 2 && !System.Text.RegularExpressions.Regex.IsMatch(parts[1], "^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$"))
                throw new StepFailure("configure", FailureClass.Permanent, $"{path}:{i + 1}: tenant '{parts[1]}' is not a valid tenant name");
            try { Add(parts[0], parts.Length == 2 ? parts[1] : null); }
            catch (StepFailure e) { throw new StepFailure("configure", FailureClass.Permanent, $"{path}:{i + 1}: {e.Message}"); }
        }
        return this;
    }

    /// <summary>The caller for an <c>Authorization</c> header value, or null (compared in constant time).</summary>
    public Caller? Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[7..].Trim()));
        Caller? found = null;
        foreach (var (h, caller) in _tokens)
            if (CryptographicOperations.FixedTimeEquals(h, hash)) found ??= caller;
        return found;
    }
}
