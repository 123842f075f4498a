using System.Runtime.CompilerServices;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// Arithmetic modulo an odd 256-bit modulus m with 2^255 &lt; m &lt; 2^256, in Montgomery form (a value x is held
/// as x·R mod m, R = 2^256), so that multiplication needs no division. P-256 uses two: the field prime p for
/// coordinates and the group order n for the ECDSA scalars. Inputs and outputs are always fully reduced
/// (&lt; m). Nothing here branches on the values.
/// </summary>
internal sealed class MontgomeryField
{
    private readonly ulong _mInverse;  // −m⁻¹ mod 2^64
    private readonly UInt256 _rSquared; // R² mod m: multiplying by it enters Montgomery form

    public MontgomeryField(UInt256 modulus)
    {
        if ((modulus.L0 & 1) == 0 || modulus.L3 >> 63 == 0) throw new ArgumentException("the modulus must be odd and above 2^255", nameof(modulus));
        Modulus = modulus;
        // Newton's iteration doubles the correct low bits each step; m·m ≡ 1 (mod 8) gives 3 to start from.
        ulong inverse = modulus.L0;
        for (int i = 0; i < 5; i++) inverse *= 2 - modulus.L0 * inverse;
        _mInverse = 0 - inverse;
        // R mod m = 2^256 − m (m > 2^255); doubling it 256 times gives R·2^256 = R² mod m.
        UInt256 r = UInt256.Subtract(UInt256.Zero, modulus, out _);
        One = r;
        for (int i = 0; i < 256; i++) r = Add(r, r);
        _rSquared = r;
    }

    public UInt256 Modulus { get; }

    /// <summary>1 in Montgomery form (R mod m).</summary>
    public UInt256 One { get; }

    /// <summary>x·R mod m, for x &lt; m.</summary>
    public UInt256 ToMontgomery(in UInt256 x) => Multiply(x, _rSquared);

    /// <summary>The ordinary value of a Montgomery-form <paramref name="x"/>.</summary>
    public UInt256 FromMontgomery(in UInt256 x) => Multiply(x, UInt256.One);

    /// <summary>x mod m for any 256-bit x (one conditional subtraction suffices because m &gt; 2^255).</summary>
    public UInt256 Reduce(in UInt256 x)
    {
        UInt256 d = UInt256.Subtract(x, Modulus, out ulong borrow);
        return UInt256.Select(0 - borrow, x, d);
    }

    public bool IsReduced(in UInt256 x) => UInt256.LessThan(x, Modulus) == 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public UInt256 Add(in UInt256 a, in UInt256 b)
    {
        UInt256 sum = UInt256.Add(a, b, out ulong carry);
        UInt256 d = UInt256.Subtract(sum, Modulus, out ulong borrow);
        // Keep the unreduced sum only when it did not overflow and is below m.
        ulong keepSum = 0 - (borrow & ~carry & 1);
        return UInt256.Select(keepSum, sum, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public UInt256 Subtract(in UInt256 a, in UInt256 b)
    {
        UInt256 d = UInt256.Subtract(a, b, out ulong borrow);
        UInt256 wrapped = UInt256.Add(d, UInt256.Select(0 - borrow, Modulus, UInt256.Zero), out _);
        return wrapped;
    }

    /// <summary>
    /// a·b·R⁻¹ mod m: coarsely integrated operand scanning (CIOS, Koç, Acar &amp; Kaliski 1996), one limb of b
    /// per step, each followed by one word of reduction; written out for the four limbs. Compiled optimised
    /// from the first call: a bundle check at start-up runs it thousands of times before tiering would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public UInt256 Multiply(in UInt256 a, in UInt256 b)
    {
        ulong m0 = Modulus.L0, m1 = Modulus.L1, m2 = Modulus.L2, m3 = Modulus.L3;
        ulong t0, t1, t2, t3, t4, t5, c, q;
        // limb 0 of b
        c = MultiplyAdd(a.L0, b.L0, 0, 0, out t0);
        c = MultiplyAdd(a.L1, b.L0, 0, c, out t1);
        c = MultiplyAdd(a.L2, b.L0, 0, c, out t2);
        c = MultiplyAdd(a.L3, b.L0, 0, c, out t3);
        t4 = c;
        t5 = 0;
        q = t0 * _mInverse;
        c = MultiplyAdd(q, m0, t0, 0, out _);
        c = MultiplyAdd(q, m1, t1, c, out t0);
        c = MultiplyAdd(q, m2, t2, c, out t1);
        c = MultiplyAdd(q, m3, t3, c, out t2);
        t3 = AddCarry(t4, c, out c);
        t4 = t5 + c;
        // limb 1 of b
        c = MultiplyAdd(a.L0, b.L1, t0, 0, out t0);
        c = MultiplyAdd(a.L1, b.L1, t1, c, out t1);
        c = MultiplyAdd(a.L2, b.L1, t2, c, out t2);
        c = MultiplyAdd(a.L3, b.L1, t3, c, out t3);
        t4 = AddCarry(t4, c, out t5);
        q = t0 * _mInverse;
        c = MultiplyAdd(q, m0, t0, 0, out _);
        c = MultiplyAdd(q, m1, t1, c, out t0);
        c = MultiplyAdd(q, m2, t2, c, out t1);
        c = MultiplyAdd(q, m3, t3, c, out t2);
        t3 = AddCarry(t4, c, out c);
        t4 = t5 + c;
        // limb 2 of b
        c = MultiplyAdd(a.L0, b.L2, t0, 0, out t0);
        c = MultiplyAdd(a.L1, b.L2, t1, c, out t1);
        c = MultiplyAdd(a.L2, b.L2, t2, c, out t2);
        c = MultiplyAdd(a.L3, b.L2, t3, c, out t3);
        t4 = AddCarry(t4, c, out t5);
        q = t0 * _mInverse;
        c = MultiplyAdd(q, m0, t0, 0, out _);
        c = MultiplyAdd(q, m1, t1, c, out t0);
        c = MultiplyAdd(q, m2, t2, c, out t1);
        c = MultiplyAdd(q, m3, t3, c, out t2);
        t3 = AddCarry(t4, c, out c);
        t4 = t5 + c;
        // limb 3 of b
        c = MultiplyAdd(a.L0, b.L3, t0, 0, out t0);
        c = MultiplyAdd(a.L1, b.L3, t1, c, out t1);
        c = MultiplyAdd(a.L2, b.L3, t2, c, out t2);
        c = MultiplyAdd(a.L3, b.L3, t3, c, out t3);
        t4 = AddCarry(t4, c, out t5);
        q = t0 * _mInverse;
        c = MultiplyAdd(q, m0, t0, 0, out _);
        c = MultiplyAdd(q, m1, t1, c, out t0);
        c = MultiplyAdd(q, m2, t2, c, out t1);
        c = MultiplyAdd(q, m3, t3, c, out t2);
        t3 = AddCarry(t4, c, out c);
        t4 = t5 + c;

        // t < 2m: subtract m once unless that borrows (with t4 = 0).
        var t = new UInt256(t0, t1, t2, t3);
        UInt256 d = UInt256.Subtract(t, Modulus, out ulong borrow);
        ulong keepT = 0 - (borrow & ~t4 & 1);
        return UInt256.Select(keepT, t, d);
    }

    public UInt256 Square(in UInt256 a) => Multiply(a, a);

    /// <summary>
    /// a^e for a Montgomery-form a. Square-and-multiply that always multiplies and selects the result, so the
    /// time does not depend on a or on e; callers pass public exponents anyway (m − 2 for inversion).
    /// </summary>
    public UInt256 Power(in UInt256 a, in UInt256 exponent)
    {
        UInt256 result = One;
        for (int i = 255; i >= 0; i--)
        {
            result = Square(result);
            UInt256 product = Multiply(result, a);
            result = UInt256.Select(0 - (ulong)exponent.Bit(i), product, result);
        }
        return result;
    }

    /// <summary>a⁻¹ for a Montgomery-form a ≠ 0 and a prime modulus: a^(m−2) (Fermat). Zero maps to zero.</summary>
    public UInt256 Invert(in UInt256 a) => Power(a, UInt256.Subtract(Modulus, new UInt256(2, 0, 0, 0), out _));

    /// <summary>x + y; <paramref name="carry"/> is the carry out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong x, ulong y, out ulong carry)
    {
        ulong c = 0;
        ulong sum = UInt256.AddWithCarry(x, y, ref c);
        carry = c;
        return sum;
    }

    /// <summary>hi:lo = x·y + addend + carry; cannot overflow 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyAdd(ulong x, ulong y, ulong addend, ulong carry, out ulong low)
    {
        ulong high = Math.BigMul(x, y, out ulong lo);
        ulong c = 0;
        lo = UInt256.AddWithCarry(lo, addend, ref c);
        high += c;
        c = 0;
        lo = UInt256.AddWithCarry(lo, carry, ref c);
        high += c;
        low = lo;
        return high;
    }
}
