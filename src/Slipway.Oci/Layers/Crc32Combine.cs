namespace Slipway.Oci.Layers;

/// <summary>
/// CRC-32 (gzip polynomial) of a concatenation from the CRCs of its parts, so chunks compressed on different
/// threads can share one gzip member. Arithmetic in GF(2)[x] modulo the CRC polynomial, reflected bit order.
/// </summary>
internal static class Crc32Combine
{
    private const uint Poly = 0xEDB88320;
    // PowersOfX[k] = x^(2^k) mod P.
    private static readonly uint[] PowersOfX = BuildPowers();

    private static uint[] BuildPowers()
    {
        var t = new uint[32];
        var p = 1u << 30; // x^1
        for (var k = 0; k < 32; k++) { t[k] = p; p = MultModP(p, p); }
        return t;
    }

    private static uint MultModP(uint a, uint b)
    {
        uint m = 1u << 31, p = 0;
        while (true)
        {
            if ((a & m) != 0)
            {
                p ^= b;
                if ((a & (m - 1)) == 0) break;
            }
            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ Poly : b >> 1;
        }
        return p;
    }

    /// <summary>x^(8·n) mod P: the effect of appending n bytes.</summary>
    private static uint XPow8N(long n)
    {
        uint p = 1u << 31; // x^0
        var k = 3;
        while (n != 0)
        {
            if ((n & 1) != 0) p = MultModP(PowersOfX[k & 31], p);
            n >>= 1;
            k++;
        }
        return p;
    }

    public static uint Combine(uint crc1, uint crc2, long length2) => MultModP(XPow8N(length2), crc1) ^ crc2;
}
