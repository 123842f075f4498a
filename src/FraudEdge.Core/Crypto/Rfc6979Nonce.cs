using System.Runtime.CompilerServices;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// The deterministic ECDSA nonce of RFC 6979 §3.2 for P-256 with HMAC-SHA-256 (qlen = hlen = 256, so one HMAC
/// output is one candidate and bits2int is the identity). Deterministic nonces mean the terminal needs no
/// random source to sign a checkpoint, and a weak one can never leak the audit key. <see cref="Next"/> yields
/// the candidates in order; the signer asks again when r or s comes out zero (step h.3). Holds secret-derived
/// state: <see cref="Clear"/> when done.
/// </summary>
[SkipLocalsInit]
internal struct Rfc6979Nonce
{
    private Bytes32 _k;
    private Bytes32 _v;
    private bool _yielded;

    /// <param name="privateKey">x, in [1, n−1].</param>
    /// <param name="hash">h1 = SHA-256 of the message, 32 bytes.</param>
    public Rfc6979Nonce(in UInt256 privateKey, ReadOnlySpan<byte> hash)
    {
        if (hash.Length != P256.ScalarSize) throw new ArgumentException("a SHA-256 hash is 32 bytes", nameof(hash));
        // int2octets(x) || bits2octets(h1), where bits2octets(h1) = int2octets(h1 mod n).
        Span<byte> seed = stackalloc byte[2 * P256.ScalarSize];
        privateKey.WriteBigEndian(seed);
        P256.Order.Reduce(UInt256.ReadBigEndian(hash)).WriteBigEndian(seed[P256.ScalarSize..]);

        ((Span<byte>)_v).Fill(0x01); // step b
        ((Span<byte>)_k).Clear();    // step c
        Rekey(0x00, seed);           // steps d, e
        Rekey(0x01, seed);           // steps f, g
        seed.Clear();
        _yielded = false;
    }

    /// <summary>The next candidate k in [1, n−1] (step h).</summary>
    public UInt256 Next()
    {
        if (_yielded) Rekey(0x00, default); // the previous k was refused by the signer: step h.3
        while (true)
        {
            HmacV(); // h.2: T = V = HMAC_K(V); one block is the whole of qlen
            var candidate = UInt256.ReadBigEndian(_v);
            if (!candidate.IsZero && P256.Order.IsReduced(candidate))
            {
                _yielded = true;
                return candidate;
            }
            Rekey(0x00, default); // out of range: h.3, then try again
        }
    }

    public void Clear() => this = default;

    /// <summary>K = HMAC_K(V || separator || extra); V = HMAC_K(V).</summary>
    private void Rekey(byte separator, ReadOnlySpan<byte> extra)
    {
        var mac = new HmacSha256(_k);
        mac.Append(_v);
        mac.Append([separator]);
        mac.Append(extra);
        mac.GetHashAndReset(_k);
        mac.Clear();
        HmacV();
    }

    private void HmacV()
    {
        var mac = new HmacSha256(_k);
        mac.Append(_v);
        mac.GetHashAndReset(_v);
        mac.Clear();
    }

    [InlineArray(P256.ScalarSize)]
    private struct Bytes32
    {
        private byte _element;
    }
}
