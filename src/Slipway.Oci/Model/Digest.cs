using System.Security.Cryptography;

namespace Slipway.Oci.Model;

/// <summary>A content digest, <c>algorithm:hex</c>. sha256 is produced; sha512 is parsed and verified.</summary>
public readonly record struct Digest(string Algorithm, string Hex) : IComparable<Digest>
{
    public static Digest Parse(string value)
    {
        if (TryParse(value, out var d, out var error)) return d;
        throw new FormatException(error);
    }

    public static bool TryParse(string? value, out Digest digest) => TryParse(value, out digest, out _);

    public static bool TryParse(string? value, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(value)) { error = "empty digest; expected 'sha256:<64 hex digits>'"; return false; }
        var colon = value.IndexOf(':');
        if (colon <= 0) { error = $"'{value}' is not a digest; expected 'sha256:<64 hex digits>'"; return false; }
        var alg = value[..colon];
        var hex = value[(colon + 1)..];
        var expected = alg switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (expected < 0) { error = $"digest '{value}' uses algorithm '{alg}'; supported are sha256 and sha512"; return false; }
        if (hex.Length != expected || !hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            error = $"digest '{value}' must have {expected} lowercase hex digits after '{alg}:'";
            return false;
        }
        digest = new Digest(alg, hex);
        error = "";
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    public static Digest FromHash(string algorithm, byte[] hash) => new(algorithm, Convert.ToHexStringLower(hash));

    /// <summary>An incremental hasher matching this digest's algorithm, for verifying streamed content.</summary>
    public IncrementalHash CreateHasher() => Algorithm switch
    {
        "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new NotSupportedException($"digest algorithm '{Algorithm}'"),
    };

    /// <summary>Short form used in tags and logs: the first 12 hex digits.</summary>
    public string Short => Hex.Length >= 12 ? Hex[..12] : Hex;

    public int CompareTo(Digest other) => string.CompareOrdinal(ToString(), other.ToString());

    public override string ToString() => $"{Algorithm}:{Hex}";
}
