using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FraudEdge.Core.Crypto;

public partial struct Sha256
{
    /// <summary>The compression function (FIPS 180-4 §6.2.2) over whole 64-byte blocks.</summary>
    private static void Compress(ref State state, ReadOnlySpan<byte> blocks)
    {
        // The JIT folds IsSupported to a constant: one path is compiled in. .NET 10 has no SHA intrinsics for
        // x64 (SHA-NI), so x64 always takes the portable path.
        if (System.Runtime.Intrinsics.Arm.Sha256.IsSupported) CompressArm64(ref state, blocks);
        else CompressScalar(ref state, blocks);
    }

    /// <summary>
    /// Portable path: the 64-word schedule first, then K added to it (four words per vector add), then the rounds
    /// eight at a time with the working variables renamed instead of shifted (a..h rotate by one per round). With
    /// W+K precomputed a round reads one word and keeps all eight variables in registers (x64: ~32 instructions
    /// per round, no spills). The schedule and constants are read through refs: every index is below 64 by
    /// construction of the loops, which the JIT cannot prove for t + 7.
    /// </summary>
    private static void CompressScalar(ref State state, ReadOnlySpan<byte> blocks)
    {
        Span<uint> w = stackalloc uint[64];
        ref uint wr = ref MemoryMarshal.GetReference(w);
        ref uint kr = ref MemoryMarshal.GetReference(RoundConstants);
        uint h0 = state[0], h1 = state[1], h2 = state[2], h3 = state[3], h4 = state[4], h5 = state[5], h6 = state[6], h7 = state[7];
        while (blocks.Length >= BlockSizeInBytes)
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(blocks[..BlockSizeInBytes]), w[..16]);
            for (nint t = 16; t < 64; t++)
            {
                uint w15 = Unsafe.Add(ref wr, t - 15), w2 = Unsafe.Add(ref wr, t - 2);
                uint s0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
                uint s1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
                Unsafe.Add(ref wr, t) = Unsafe.Add(ref wr, t - 16) + s0 + Unsafe.Add(ref wr, t - 7) + s1;
            }
            if (Vector128.IsHardwareAccelerated)
            {
                for (nuint t = 0; t < 64; t += 4)
                    Vector128.StoreUnsafe(Vector128.LoadUnsafe(ref wr, t) + Vector128.LoadUnsafe(ref kr, t), ref wr, t);
            }
            else
            {
                for (nint t = 0; t < 64; t++) Unsafe.Add(ref wr, t) += Unsafe.Add(ref kr, t);
            }

            uint a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
            for (nint t = 0; t < 64; t += 8)
            {
                Round(a, b, c, ref d, e, f, g, ref h, Unsafe.Add(ref wr, t));
                Round(h, a, b, ref c, d, e, f, ref g, Unsafe.Add(ref wr, t + 1));
                Round(g, h, a, ref b, c, d, e, ref f, Unsafe.Add(ref wr, t + 2));
                Round(f, g, h, ref a, b, c, d, ref e, Unsafe.Add(ref wr, t + 3));
                Round(e, f, g, ref h, a, b, c, ref d, Unsafe.Add(ref wr, t + 4));
                Round(d, e, f, ref g, h, a, b, ref c, Unsafe.Add(ref wr, t + 5));
                Round(c, d, e, ref f, g, h, a, ref b, Unsafe.Add(ref wr, t + 6));
                Round(b, c, d, ref e, f, g, h, ref a, Unsafe.Add(ref wr, t + 7));
            }
            h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
            blocks = blocks[BlockSizeInBytes..];
        }
        state[0] = h0; state[1] = h1; state[2] = h2; state[3] = h3; state[4] = h4; state[5] = h5; state[6] = h6; state[7] = h7;
    }

    /// <summary>
    /// One round: T1 = h + Σ1(e) + Ch(e,f,g) + (K[t] + W[t]), T2 = Σ0(a) + Maj(a,b,c); d += T1, h = T1 + T2.
    /// Ch and Maj in their two-operation forms.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(uint a, uint b, uint c, ref uint d, uint e, uint f, uint g, ref uint h, uint kw)
    {
        uint t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25))
            + (g ^ (e & (f ^ g))) + kw;
        uint t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22))
            + ((a & b) | (c & (a | b)));
        d += t1;
        h = t1 + t2;
    }

    /// <summary>K, FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.</summary>
    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
}
