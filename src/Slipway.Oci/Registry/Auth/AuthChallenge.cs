using System.Net.Http.Headers;

namespace Slipway.Oci.Registry.Auth;

/// <summary>A parsed WWW-Authenticate challenge: scheme plus parameters (realm, service, scope, error).</summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    public string? Scope => Parameters.GetValueOrDefault("scope");
    public string? Error => Parameters.GetValueOrDefault("error");
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first challenge we can answer (Bearer preferred over Basic), else the first one.</summary>
    public static AuthChallenge? From(HttpResponseHeaders headers)
    {
        var all = headers.WwwAuthenticate.Select(h => Parse(h.Scheme, h.Parameter)).ToList();
        return all.FirstOrDefault(c => c.IsBearer) ?? all.FirstOrDefault(c => c.IsBasic) ?? all.FirstOrDefault();
    }

    /// <summary>Parses RFC 7235 auth-params: <c>key="quoted \" value", key=token</c>.</summary>
    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var p = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var s = parameters ?? "";
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && (s[i] == ',' || char.IsWhiteSpace(s[i]))) i++;
            var eq = s.IndexOf('=', i);
            if (eq < 0) break;
            var key = s[i..eq].Trim();
            i = eq + 1;
            while (i < s.Length && s[i] == ' ') i++;
            var value = new System.Text.StringBuilder();
            if (i < s.Length && s[i] == '"')
            {
                for (i++; i < s.Length && s[i] != '"'; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length) i++;
                    value.Append(s[i]);
                }
                i++;
            }
            else
            {
                var end = s.IndexOf(',', i);
                if (end < 0) end = s.Length;
                value.Append(s[i..end].Trim());
                i = end;
            }
            p[key] = value.ToString();
        }
        return new AuthChallenge(scheme, p);
    }
}
