using System.Net.Http.Headers;

namespace Slipway.Oci.Registry.Auth;

/// <summary>A parsed WWW-Authenticate challenge: scheme plus parameters (realm, service, scope).</summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    public string? Scope => Parameters.GetValueOrDefault("scope");

    public static AuthChallenge? From(HttpResponseHeaders headers)
    {
        foreach (var h in headers.WwwAuthenticate)
        {
            var p = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var s = h.Parameter ?? "";
            var i = 0;
            while (i < s.Length)
            {
                while (i < s.Length && (s[i] == ',' || char.IsWhiteSpace(s[i]))) i++;
                var eq = s.IndexOf('=', i);
                if (eq < 0) break;
                var key = s[i..eq].Trim();
                i = eq + 1;
                string value;
                if (i < s.Length && s[i] == '"')
                {
                    var end = s.IndexOf('"', i + 1);
                    if (end < 0) end = s.Length;
                    value = s[(i + 1)..end];
                    i = end + 1;
                }
                else
                {
                    var end = s.IndexOf(',', i);
                    if (end < 0) end = s.Length;
                    value = s[i..end].Trim();
                    i = end;
                }
                p[key] = value;
            }
            return new AuthChallenge(h.Scheme, p);
        }
        return null;
    }
}
