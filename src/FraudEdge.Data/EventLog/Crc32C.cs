using System.Buffers.Binary;
using System.Numerics;

namespace FraudEdge.Data.EventLog;

/// <summary>
/// CRC-32C (Castagnoli, as in iSCSI and ext4 metadata) of a frame payload. BitOperations uses the SSE4.2 /
/// ARMv8 CRC instructions where present, so checking every record costs little.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
