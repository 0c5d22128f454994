using System.Net;

namespace Slipway.Oci.Registry;

/// <summary>A registry failure worded for the user: what was asked, of whom, and what to do.</summary>
public sealed class RegistryException(string message, HttpStatusCode? status = null, string? code = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
    /// <summary>The OCI error code (MANIFEST_UNKNOWN, BLOB_UNKNOWN, DENIED, ...), when the registry sent one.</summary>
    public string? Code { get; } = code;
}
