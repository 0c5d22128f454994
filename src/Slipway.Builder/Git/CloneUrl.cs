using Slipway.Tooling;

namespace Slipway.Builder.Git;

/// <summary>Clone URLs: credentials found in one (https://x-access-token:TOKEN@host/...) are moved out before anything runs.</summary>
public static class CloneUrl
{
    /// <summary>The URL without user info, and the password (or a lone user name, GitHub's token-as-user form) as a secret.</summary>
    public static (string Url, Secret? Token) Split(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.UserInfo)) return (url, null);
        var info = Uri.UnescapeDataString(uri.UserInfo);
        var colon = info.IndexOf(':');
        var token = colon >= 0 ? info[(colon + 1)..] : info;
        var clean = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        return (clean, Secret.FromNullable(token));
    }

    /// <summary>For logs and the API: the URL with any user info removed (never the token).</summary>
    public static string WithoutCredentials(string url) => Split(url).Url;
}
