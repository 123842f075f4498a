using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ArmSha256 = System.Runtime.Intrinsics.Arm.Sha256;

namespace FraudEdge.Core.Crypto;

public partial struct Sha256
{
    /// <summary>
    /// ARMv8 Cryptographic Extension path (SHA256H, SHA256H2, SHA256SU0, SHA256SU1), taken when the CPU has it
    /// (many terminal SoCs' Cortex-A53/A55 do; it is optional there). Four rounds per instruction pair, the
    /// schedule four words at a time. Checked against the portable path and known answers under qemu-aarch64
    /// (tests/crypto-arm64/run.sh); on x64 only the portable path can run.
    /// </summary>
    private static void CompressArm64(ref State state, ReadOnlySpan<byte> blocks)
    {
        Span<uint> words = stackalloc uint[16];
        ref uint w = ref MemoryMarshal.GetReference(words);
        ref uint k = ref MemoryMarshal.GetReference(RoundConstants);
        Vector128<uint> abcd = Vector128.Create(state[0], state[1], state[2], state[3]);
        Vector128<uint> efgh = Vector128.Create(state[4], state[5], state[6], state[7]);
        while (blocks.Length >= BlockSizeInBytes)
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(blocks[..BlockSizeInBytes]), words);
            Vector128<uint> m0 = Vector128.LoadUnsafe(ref w, 0), m1 = Vector128.LoadUnsafe(ref w, 4);
            Vector128<uint> m2 = Vector128.LoadUnsafe(ref w, 8), m3 = Vector128.LoadUnsafe(ref w, 12);
            Vector128<uint> abcdStart = abcd, efghStart = efgh;
            for (nuint group = 0; group < 16; group++)
            {
                // m0 holds W[4g..4g+3]; the pair of instructions runs rounds 4g..4g+3.
                Vector128<uint> wk = m0 + Vector128.LoadUnsafe(ref k, 4 * group);
                Vector128<uint> abcdBefore = abcd;
                abcd = ArmSha256.HashUpdate1(abcd, efgh, wk);
                efgh = ArmSha256.HashUpdate2(efgh, abcdBefore, wk);
                // W[4g+16..4g+19] from W[4g..4g+15]; the last four groups need no more schedule.
                Vector128<uint> next = group < 12 ? ArmSha256.ScheduleUpdate1(ArmSha256.ScheduleUpdate0(m0, m1), m2, m3) : m3;
                m0 = m1;
                m1 = m2;
                m2 = m3;
                m3 = next;
            }
            abcd += abcdStart;
            efgh += efghStart;
            blocks = blocks[BlockSizeInBytes..];
        }
        for (int i = 0; i < 4; i++)
        {
            state[i] = abcd.GetElement(i);
            state[4 + i] = efgh.GetElement(i);
        }
    }
}
