using System.Runtime.CompilerServices;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// HMAC-SHA-256 (RFC 2104, FIPS 198-1) on <see cref="Sha256"/>: card tokens (PCI DSS keyed hashes of PANs) and
/// the RFC 6979 nonce generator. The incremental form keeps the keyed inner and outer states, so a key is
/// absorbed once however many messages it authenticates; like <see cref="Sha256"/> it is a mutable struct,
/// passed by <c>ref</c>. <see cref="Clear"/> wipes the keyed states when the key is secret; a cleared or
/// <c>default</c> instance refuses to work rather than silently computing an unkeyed hash.
/// </summary>
[SkipLocalsInit]
public struct HmacSha256
{
    public const int HashSizeInBytes = Sha256.HashSizeInBytes;

    private const byte InnerPad = 0x36;
    private const byte OuterPad = 0x5c;

    private Sha256 _inner;       // the running inner hash of the current message
    private Sha256 _innerKeyed;  // H state after (K xor ipad): where each message starts
    private Sha256 _outerKeyed;  // H state after (K xor opad)
    private bool _keyed;

    public HmacSha256(ReadOnlySpan<byte> key)
    {
        Span<byte> pad = stackalloc byte[Sha256.BlockSizeInBytes];
        pad.Clear();
        // Keys longer than a block are hashed first (RFC 2104 §2); shorter ones are zero-padded.
        if (key.Length > Sha256.BlockSizeInBytes) Sha256.HashData(key, pad);
        else key.CopyTo(pad);

        for (int i = 0; i < pad.Length; i++) pad[i] ^= InnerPad;
        _innerKeyed = new Sha256();
        _innerKeyed.Append(pad);
        for (int i = 0; i < pad.Length; i++) pad[i] ^= InnerPad ^ OuterPad;
        _outerKeyed = new Sha256();
        _outerKeyed.Append(pad);
        pad.Clear();
        _inner = _innerKeyed;
        _keyed = true;
    }

    /// <summary>HMAC-SHA-256(key, source) into the first 32 bytes of <paramref name="destination"/>; returns 32.</summary>
    public static int HashData(ReadOnlySpan<byte> key, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var mac = new HmacSha256(key);
        mac.Append(source);
        mac.GetHashAndReset(destination);
        mac.Clear();
        return HashSizeInBytes;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (!_keyed) ThrowNotKeyed();
        _inner.Append(data);
    }

    /// <summary>Writes the MAC of everything appended since the last reset (32 bytes), then starts a new message with the same key.</summary>
    public int GetHashAndReset(Span<byte> destination)
    {
        if (destination.Length < HashSizeInBytes)
            throw new ArgumentException("the destination must hold at least 32 bytes", nameof(destination));
        if (!_keyed) ThrowNotKeyed();
        Span<byte> innerHash = stackalloc byte[Sha256.HashSizeInBytes];
        _inner.GetHashAndReset(innerHash);
        Sha256 outer = _outerKeyed;
        outer.Append(innerHash);
        outer.GetHashAndReset(destination);
        _inner = _innerKeyed;
        return HashSizeInBytes;
    }

    /// <summary>Forgets the key (the keyed states are as good as the key for forging MACs).</summary>
    public void Clear() => this = default;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowNotKeyed() => throw new InvalidOperationException("this HMAC has no key (default or cleared)");
}
