namespace Slipway.Release;

/// <summary>A release-flow step cannot go on; the message names the file, value or command and the fix.</summary>
public sealed class ReleaseException(string message) : Exception(message);
