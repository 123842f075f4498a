namespace FraudEdge.Core.Crypto;

/// <summary>
/// ECDSA over P-256 with SHA-256 (FIPS 186-5 §6.4, SEC 1 §4.1) on raw values: the key types wrap it with
/// encodings (<see cref="P256PublicKey"/>, <see cref="P256PrivateKey"/>, <see cref="EcdsaSignatureDer"/>).
/// </summary>
internal static class EcdsaP256
{
    /// <summary>
    /// Whether (r, s) is a signature of <paramref name="hash"/> by <paramref name="publicKey"/> (a validated point).
    /// Variable time is fine here: everything a verifier handles is public.
    /// </summary>
    public static bool VerifyHash(in P256Point publicKey, ReadOnlySpan<byte> hash, in UInt256 r, in UInt256 s)
    {
        MontgomeryField n = P256.Order;
        if (hash.Length != Sha256.HashSizeInBytes) return false;
        if (r.IsZero || s.IsZero || !n.IsReduced(r) || !n.IsReduced(s)) return false;
        UInt256 e = n.Reduce(UInt256.ReadBigEndian(hash));
        UInt256 w = n.Invert(n.ToMontgomery(s));
        UInt256 u1 = n.FromMontgomery(n.Multiply(n.ToMontgomery(e), w));
        UInt256 u2 = n.FromMontgomery(n.Multiply(n.ToMontgomery(r), w));
        P256Point sum = P256Point.Add(P256Point.Multiply(P256.Generator, u1), P256Point.Multiply(publicKey, u2));
        if (!sum.TryGetAffine(out UInt256 x, out _)) return false;
        return n.Reduce(x) == r;
    }

    /// <summary>
    /// Signs <paramref name="hash"/> with the private scalar <paramref name="d"/> (in [1, n−1]) and the RFC 6979
    /// nonce, so the same key and hash always give the same (r, s).
    /// </summary>
    public static void SignHash(in UInt256 d, ReadOnlySpan<byte> hash, out UInt256 r, out UInt256 s)
    {
        if (hash.Length != Sha256.HashSizeInBytes) throw new ArgumentException("a SHA-256 hash is 32 bytes", nameof(hash));
        MontgomeryField n = P256.Order;
        UInt256 e = n.ToMontgomery(n.Reduce(UInt256.ReadBigEndian(hash)));
        UInt256 dm = n.ToMontgomery(d);
        var nonces = new Rfc6979Nonce(d, hash);
        try
        {
            while (true)
            {
                UInt256 k = nonces.Next();
                P256Point point = P256Point.Multiply(P256.Generator, k);
                point.TryGetAffine(out UInt256 x, out _); // k in [1, n−1]: never the identity
                r = n.Reduce(x);
                if (r.IsZero) continue; // probability ~2^-256; RFC 6979 asks for the next k
                // s = k⁻¹ (e + r·d) mod n
                UInt256 kInverse = n.Invert(n.ToMontgomery(k));
                s = n.FromMontgomery(n.Multiply(kInverse, n.Add(e, n.Multiply(n.ToMontgomery(r), dm))));
                if (!s.IsZero) return;
            }
        }
        finally
        {
            nonces.Clear();
        }
    }
}
