using System.Net;

namespace Slipway.Oci.Registry;

/// <summary>
/// A registry failure worded for the user in one line: what was asked, of whom, what the registry said and what
/// to do. Never carries a secret (messages pass through <see cref="Tooling.Secrets.Redact"/>).
/// </summary>
public sealed class RegistryException(string message, HttpStatusCode? status = null, string? code = null, bool transient = false, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The OCI error code (MANIFEST_UNKNOWN, BLOB_UNKNOWN, DIGEST_INVALID, DENIED, ...), when the registry sent one.</summary>
    public string? Code { get; } = code;

    /// <summary>Worth another attempt: 408, 429, 5xx, or the connection failed.</summary>
    public bool IsTransient { get; } = transient || status is { } s && Http.RegistryRetry.IsTransient(s);
}
