using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// A 256-bit unsigned integer as four 64-bit limbs, least significant first: the one number type of the P-256
/// code (field elements, scalars, coordinates). Carries and borrows are computed arithmetically and selections
/// use masks, not branches, so the arithmetic does not branch on values (see <see cref="P256PrivateKey"/> for
/// what that does and does not guarantee).
/// </summary>
internal readonly struct UInt256 : IEquatable<UInt256>
{
    public readonly ulong L0, L1, L2, L3;

    public UInt256(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static UInt256 Zero => default;

    public static UInt256 One => new(1, 0, 0, 0);

    /// <summary>Reads exactly 32 big-endian bytes (the SEC 1 / P1363 form of a coordinate or scalar).</summary>
    public static UInt256 ReadBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new ArgumentException("a 256-bit value is 32 bytes", nameof(bytes));
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    /// <summary>Parses 64 hex digits (curve constants).</summary>
    public static UInt256 ParseHex(string hex) => ReadBigEndian(Convert.FromHexString(hex));

    public void WriteBigEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], L0);
    }

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>Bit <paramref name="index"/> (0 = least significant).</summary>
    public uint Bit(int index) => (uint)(Limb(index >> 6) >> (index & 63)) & 1;

    /// <summary>The 4-bit digit starting at bit 4·<paramref name="index"/>.</summary>
    public uint Nibble(int index) => (uint)(Limb(index >> 4) >> ((index & 15) << 2)) & 0xF;

    private ulong Limb(int i) => i switch { 0 => L0, 1 => L1, 2 => L2, _ => L3 };

    /// <summary>a + b; <paramref name="carry"/> is the carry out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Add(in UInt256 a, in UInt256 b, out ulong carry)
    {
        ulong c = 0;
        ulong r0 = AddWithCarry(a.L0, b.L0, ref c);
        ulong r1 = AddWithCarry(a.L1, b.L1, ref c);
        ulong r2 = AddWithCarry(a.L2, b.L2, ref c);
        ulong r3 = AddWithCarry(a.L3, b.L3, ref c);
        carry = c;
        return new UInt256(r0, r1, r2, r3);
    }

    /// <summary>a − b; <paramref name="borrow"/> is the borrow out (1 when b &gt; a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Subtract(in UInt256 a, in UInt256 b, out ulong borrow)
    {
        ulong c = 0;
        ulong r0 = SubtractWithBorrow(a.L0, b.L0, ref c);
        ulong r1 = SubtractWithBorrow(a.L1, b.L1, ref c);
        ulong r2 = SubtractWithBorrow(a.L2, b.L2, ref c);
        ulong r3 = SubtractWithBorrow(a.L3, b.L3, ref c);
        borrow = c;
        return new UInt256(r0, r1, r2, r3);
    }

    /// <summary>1 when a &lt; b, else 0, without branching on the values.</summary>
    public static ulong LessThan(in UInt256 a, in UInt256 b)
    {
        Subtract(a, b, out ulong borrow);
        return borrow;
    }

    /// <summary><paramref name="mask"/> all ones picks <paramref name="ifSet"/>, all zeros <paramref name="ifClear"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Select(ulong mask, in UInt256 ifSet, in UInt256 ifClear) => new(
        (ifSet.L0 & mask) | (ifClear.L0 & ~mask),
        (ifSet.L1 & mask) | (ifClear.L1 & ~mask),
        (ifSet.L2 & mask) | (ifClear.L2 & ~mask),
        (ifSet.L3 & mask) | (ifClear.L3 & ~mask));

    /// <summary>x + y + carry-in; the carry out replaces <paramref name="carry"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddWithCarry(ulong x, ulong y, ref ulong carry)
    {
        ulong sum = x + y + carry;
        // Carry out of x + y + c: the majority of the top bits (Hacker's Delight §2-16), branch-free.
        carry = ((x & y) | ((x | y) & ~sum)) >> 63;
        return sum;
    }

    /// <summary>x − y − borrow-in; the borrow out replaces <paramref name="borrow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubtractWithBorrow(ulong x, ulong y, ref ulong borrow)
    {
        ulong difference = x - y - borrow;
        borrow = ((~x & y) | (~(x ^ y) & difference)) >> 63;
        return difference;
    }

    public bool Equals(UInt256 other) => ((L0 ^ other.L0) | (L1 ^ other.L1) | (L2 ^ other.L2) | (L3 ^ other.L3)) == 0;

    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);

    public static bool operator ==(UInt256 left, UInt256 right) => left.Equals(right);

    public static bool operator !=(UInt256 left, UInt256 right) => !left.Equals(right);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteBigEndian(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
