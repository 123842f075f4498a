using System.Buffers.Binary;
using System.Numerics;

namespace FraudEdge.Core.Storage;

/// <summary>CRC-32C (Castagnoli), hardware accelerated where the CPU has it (SSE4.2, ARMv8 CRC).</summary>
public static class Crc32C
{
    /// <summary>Continues a CRC; start with 0. Pre/post inversion is applied so results match RFC 3720.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        while (data.Length >= 8)
        {
            c = BitOperations.Crc32C(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) c = BitOperations.Crc32C(c, b);
        return ~c;
    }
}
