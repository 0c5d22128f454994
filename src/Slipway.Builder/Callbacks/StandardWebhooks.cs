using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Slipway.Tooling;

namespace Slipway.Builder.Callbacks;

/// <summary>
/// Standard Webhooks v1 (standardwebhooks.com): headers webhook-id, webhook-timestamp (unix seconds) and
/// webhook-signature ("v1," + base64 HMAC-SHA256 over "id.timestamp.body"); the secret is "whsec_" + base64 key.
/// </summary>
public sealed class WebhookSigner
{
    private readonly byte[] _key;

    public WebhookSigner(Secret secret) => _key = DecodeSecret(secret.Reveal());

    public string Sign(string id, long timestamp, ReadOnlySpan<byte> body) => "v1," + Convert.ToBase64String(Mac(_key, id, timestamp, body));

    internal static byte[] Mac(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }

    internal static byte[] DecodeSecret(string secret)
    {
        var raw = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
        try
        {
            var key = Convert.FromBase64String(raw);
            if (key.Length < 16) throw new FormatException("shorter than 16 bytes");
            return key;
        }
        catch (FormatException e)
        {
            throw new StepFailure("configure", FailureClass.Permanent,
                $"the callback secret is not whsec_ followed by base64 of at least 16 bytes ({e.Message}); generate one with: echo whsec_$(head -c 32 /dev/urandom | base64)");
        }
    }

    /// <summary>A new random secret in whsec_ form.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>Why a callback was refused.</summary>
public sealed class WebhookVerificationException(string message) : Exception(message);

/// <summary>
/// What the receiving API runs: checks the signature (constant time, any of the space-separated v1 entries),
/// refuses timestamps more than 5 minutes off, and per build refuses a sequence lower than one already accepted.
/// The same webhook-id again (a sender's retry after a lost answer) is reported as a duplicate, not applied twice.
/// </summary>
public sealed class WebhookVerifier(Secret secret, TimeProvider? clock = null)
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private readonly byte[] _key = WebhookSigner.DecodeSecret(secret.Reveal());
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, long> _highest = new();
    private readonly ConcurrentDictionary<string, byte> _seenIds = new();
    private readonly object _gate = new();

    public sealed record Verified(CallbackPayload Payload, bool Duplicate);

    public Verified Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
            throw new WebhookVerificationException("missing webhook-id, webhook-timestamp or webhook-signature header");
        if (!long.TryParse(timestamp, out var ts))
            throw new WebhookVerificationException($"webhook-timestamp '{timestamp}' is not unix seconds");
        var age = _clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(ts);
        if (age.Duration() > Tolerance)
            throw new WebhookVerificationException($"webhook-timestamp is {age.TotalSeconds:0} s off (more than {Tolerance.TotalMinutes:0} min): stale or replayed");
        var expected = WebhookSigner.Mac(_key, id, ts, body);
        var ok = false;
        foreach (var entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!entry.StartsWith("v1,", StringComparison.Ordinal)) continue;
            byte[] given;
            try { given = Convert.FromBase64String(entry[3..]); }
            catch (FormatException) { continue; }
            ok |= CryptographicOperations.FixedTimeEquals(given, expected);
        }
        if (!ok) throw new WebhookVerificationException("webhook-signature does not match (wrong secret or a changed body)");

        var payload = CallbackPayload.Parse(body);
        lock (_gate)
        {
            if (_seenIds.ContainsKey(id)) return new Verified(payload, Duplicate: true);
            if (_highest.TryGetValue(payload.BuildId, out var seen) && payload.Sequence <= seen)
                throw new WebhookVerificationException($"sequence {payload.Sequence} for build {payload.BuildId} is not newer than {seen} already seen: out of order or replayed");
            _highest[payload.BuildId] = payload.Sequence;
            _seenIds[id] = 0;
        }
        return new Verified(payload, Duplicate: false);
    }
}
