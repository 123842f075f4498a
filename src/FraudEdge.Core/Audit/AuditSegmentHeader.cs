using System.Buffers.Binary;
using FraudEdge.Core.Storage;

namespace FraudEdge.Core.Audit;

/// <summary>
/// The 64 bytes at the start of every segment file: "FEAU", u16 format version, u16 header length, u32 segment
/// number, u64 number of the segment's first record, i64 created UTC ms, the SHA-256 of the last record before
/// this segment (zeros for the first segment ever), u32 CRC-32C of the 60 bytes before it.
/// </summary>
public readonly record struct AuditSegmentHeader(uint Segment, ulong FirstRecord, long CreatedUtcMs, AuditHash PreviousHash)
{
    /// <summary>True for the first segment ever written: segment 1, record 1, nothing before it.</summary>
    public bool IsGenesis => Segment == 1 && FirstRecord == 1 && PreviousHash.IsZero;

    internal void Write(Span<byte> destination)
    {
        var w = new LayoutWriter(destination);
        w.Raw(AuditFormat.Magic);
        w.U16(AuditFormat.Version);
        w.U16(AuditFormat.HeaderLength);
        w.U32(Segment);
        w.U64(FirstRecord);
        w.I64(CreatedUtcMs);
        w.Hash(PreviousHash);
        w.U32(Crc32C.Update(0, destination[..w.Offset]));
    }

    /// <summary>
    /// Reads the header at the start of the segment file <paramref name="path"/> (and the file's size, which rotation
    /// sums): null when it is valid, else what is wrong, as <see cref="TryRead(ReadOnlySpan{byte}, out AuditSegmentHeader)"/>.
    /// </summary>
    internal static string? TryReadFile(string path, out AuditSegmentHeader header, out long length)
    {
        Span<byte> bytes = stackalloc byte[AuditFormat.HeaderLength];
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        length = RandomAccess.GetLength(handle);
        int read = RandomAccess.Read(handle, bytes, 0);
        return TryRead(bytes[..read], out header);
    }

    /// <summary>Null when the bytes are a valid header, else what is wrong (a constant message).</summary>
    internal static string? TryRead(ReadOnlySpan<byte> bytes, out AuditSegmentHeader header)
    {
        header = default;
        if (bytes.Length < AuditFormat.HeaderLength) return "segment header is incomplete";
        if (!bytes[..4].SequenceEqual(AuditFormat.Magic)) return "not an audit segment (magic is not \"FEAU\")";
        if (Crc32C.Update(0, bytes[..60]) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[60..]))
            return "segment header CRC-32C does not match";
        var r = new LayoutReader(bytes[4..]);
        if (r.U16() != AuditFormat.Version) return "unsupported audit format version";
        if (r.U16() != AuditFormat.HeaderLength) return "unexpected segment header length";
        header = new AuditSegmentHeader(r.U32(), r.U64(), r.I64(), r.Hash());
        return null;
    }
}
