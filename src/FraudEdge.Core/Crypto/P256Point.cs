using System.Runtime.CompilerServices;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// A point of NIST P-256 (FIPS 186-5 / SEC 2 §2.4.2, y² = x³ − 3x + b over GF(p)) in homogeneous projective
/// coordinates (X:Y:Z), each in Montgomery form; the identity is (0:1:0). Addition and doubling are the
/// complete formulas of Renes, Costello and Batina, "Complete addition formulas for prime order elliptic
/// curves" (EUROCRYPT 2016), Algorithms 4 and 6 for a = −3: one code path for every input, the identity and
/// P + P included, so there are no special cases to get wrong and no branches on secret coordinates.
/// </summary>
internal readonly struct P256Point
{
    public readonly UInt256 X, Y, Z;

    public P256Point(in UInt256 x, in UInt256 y, in UInt256 z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    private static MontgomeryField F => P256.Field;

    public static P256Point Identity => new(UInt256.Zero, P256.Field.One, UInt256.Zero);

    public bool IsIdentity => Z.IsZero;

    /// <summary>The point with affine coordinates (x, y), ordinary values below p. Does not check the curve equation.</summary>
    public static P256Point FromAffine(in UInt256 x, in UInt256 y) => new(F.ToMontgomery(x), F.ToMontgomery(y), F.One);

    /// <summary>Affine (x, y) as ordinary values; false for the identity.</summary>
    public bool TryGetAffine(out UInt256 x, out UInt256 y)
    {
        if (IsIdentity)
        {
            x = y = default;
            return false;
        }
        UInt256 zInverse = F.Invert(Z);
        x = F.FromMontgomery(F.Multiply(X, zInverse));
        y = F.FromMontgomery(F.Multiply(Y, zInverse));
        return true;
    }

    /// <summary>Whether ordinary values x, y &lt; p satisfy y² = x³ − 3x + b.</summary>
    public static bool IsOnCurve(in UInt256 x, in UInt256 y)
    {
        if (!F.IsReduced(x) || !F.IsReduced(y)) return false;
        UInt256 xm = F.ToMontgomery(x), ym = F.ToMontgomery(y);
        UInt256 left = F.Square(ym);
        UInt256 x3 = F.Multiply(F.Square(xm), xm);
        UInt256 threeX = F.Add(F.Add(xm, xm), xm);
        UInt256 right = F.Add(F.Subtract(x3, threeX), P256.BMontgomery);
        return left == right;
    }

    /// <summary>P + Q, RCB16 Algorithm 4 (a = −3): 12 multiplications, 2 by b, 29 additions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call, like the field arithmetic
    public static P256Point Add(in P256Point p, in P256Point q)
    {
        MontgomeryField f = F;
        UInt256 b = P256.BMontgomery;
        UInt256 x1 = p.X, y1 = p.Y, z1 = p.Z, x2 = q.X, y2 = q.Y, z2 = q.Z;
        UInt256 t0 = f.Multiply(x1, x2);
        UInt256 t1 = f.Multiply(y1, y2);
        UInt256 t2 = f.Multiply(z1, z2);
        UInt256 t3 = f.Add(x1, y1);
        UInt256 t4 = f.Add(x2, y2);
        t3 = f.Multiply(t3, t4);
        t4 = f.Add(t0, t1);
        t3 = f.Subtract(t3, t4);
        t4 = f.Add(y1, z1);
        UInt256 x3 = f.Add(y2, z2);
        t4 = f.Multiply(t4, x3);
        x3 = f.Add(t1, t2);
        t4 = f.Subtract(t4, x3);
        x3 = f.Add(x1, z1);
        UInt256 y3 = f.Add(x2, z2);
        x3 = f.Multiply(x3, y3);
        y3 = f.Add(t0, t2);
        y3 = f.Subtract(x3, y3);
        UInt256 z3 = f.Multiply(b, t2);
        x3 = f.Subtract(y3, z3);
        z3 = f.Add(x3, x3);
        x3 = f.Add(x3, z3);
        z3 = f.Subtract(t1, x3);
        x3 = f.Add(t1, x3);
        y3 = f.Multiply(b, y3);
        t1 = f.Add(t2, t2);
        t2 = f.Add(t1, t2);
        y3 = f.Subtract(y3, t2);
        y3 = f.Subtract(y3, t0);
        t1 = f.Add(y3, y3);
        y3 = f.Add(t1, y3);
        t1 = f.Add(t0, t0);
        t0 = f.Add(t1, t0);
        t0 = f.Subtract(t0, t2);
        t1 = f.Multiply(t4, y3);
        t2 = f.Multiply(t0, y3);
        y3 = f.Multiply(x3, z3);
        y3 = f.Add(y3, t2);
        x3 = f.Multiply(x3, t3);
        x3 = f.Subtract(x3, t1);
        z3 = f.Multiply(t4, z3);
        t1 = f.Multiply(t3, t0);
        z3 = f.Add(z3, t1);
        return new P256Point(x3, y3, z3);
    }

    /// <summary>2P, RCB16 Algorithm 6 (a = −3): 8 multiplications, 3 squarings, 2 by b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static P256Point Double(in P256Point p)
    {
        MontgomeryField f = F;
        UInt256 b = P256.BMontgomery;
        UInt256 x = p.X, y = p.Y, z = p.Z;
        UInt256 t0 = f.Square(x);
        UInt256 t1 = f.Square(y);
        UInt256 t2 = f.Square(z);
        UInt256 t3 = f.Multiply(x, y);
        t3 = f.Add(t3, t3);
        UInt256 z3 = f.Multiply(x, z);
        z3 = f.Add(z3, z3);
        UInt256 y3 = f.Multiply(b, t2);
        y3 = f.Subtract(y3, z3);
        UInt256 x3 = f.Add(y3, y3);
        y3 = f.Add(x3, y3);
        x3 = f.Subtract(t1, y3);
        y3 = f.Add(t1, y3);
        y3 = f.Multiply(x3, y3);
        x3 = f.Multiply(x3, t3);
        t3 = f.Add(t2, t2);
        t2 = f.Add(t2, t3);
        z3 = f.Multiply(b, z3);
        z3 = f.Subtract(z3, t2);
        z3 = f.Subtract(z3, t0);
        t3 = f.Add(z3, z3);
        z3 = f.Add(z3, t3);
        t3 = f.Add(t0, t0);
        t0 = f.Add(t3, t0);
        t0 = f.Subtract(t0, t2);
        t0 = f.Multiply(t0, z3);
        y3 = f.Add(y3, t0);
        t0 = f.Multiply(y, z);
        t0 = f.Add(t0, t0);
        z3 = f.Multiply(t0, z3);
        x3 = f.Subtract(x3, z3);
        z3 = f.Multiply(t0, t1);
        z3 = f.Add(z3, z3);
        z3 = f.Add(z3, z3);
        return new P256Point(x3, y3, z3);
    }

    /// <summary>
    /// k·P with a fixed 4-bit window: 16 precomputed multiples, then for each of the 64 digits four doublings
    /// and one addition of the multiple the digit names. The multiple is read by scanning the whole table with
    /// masks and the addition happens even for digit 0 (adding the identity), so the sequence of operations
    /// and memory accesses is the same for every k.
    /// </summary>
    public static P256Point Multiply(in P256Point p, in UInt256 k)
    {
        Span<P256Point> table = stackalloc P256Point[16];
        table[0] = Identity;
        table[1] = p;
        for (int i = 2; i < 16; i++) table[i] = (i & 1) == 0 ? Double(table[i / 2]) : Add(table[i - 1], p);

        P256Point result = Identity;
        for (int digit = 63; digit >= 0; digit--)
        {
            result = Double(Double(Double(Double(result))));
            result = Add(result, Lookup(table, k.Nibble(digit)));
        }
        return result;
    }

    private static P256Point Lookup(ReadOnlySpan<P256Point> table, uint index)
    {
        UInt256 x = default, y = default, z = default;
        for (int i = 0; i < table.Length; i++)
        {
            // All ones when i == index, computed without a comparison branch: (i ^ index) − 1 borrows only at zero.
            ulong mask = 0 - (((ulong)((uint)i ^ index) - 1) >> 63);
            x = UInt256.Select(mask, table[i].X, x);
            y = UInt256.Select(mask, table[i].Y, y);
            z = UInt256.Select(mask, table[i].Z, z);
        }
        return new P256Point(x, y, z);
    }
}
