using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using FraudEdge.Core.Storage;

namespace FraudEdge.Core.History;

/// <summary>
/// Saves and restores <see cref="TerminalHistory"/> so a terminal keeps its memory across restarts.
/// Format (little-endian, like every supported target): "FEHS", u16 version, u16 reserved, the five
/// capacities and five struct sizes (i32), i64 payload length, payload (the raw tables), u32 CRC-32C of
/// everything before it, "SHEF". A snapshot that fails any check is reported and ignored — never
/// half-trusted — because a wrong card history silently changes decisions.
/// CRC-32C detects corruption, not tampering: the snapshot lives on the device with the service's own
/// permissions (see SECURITY.md).
/// </summary>
public static class HistorySnapshot
{
    public const ushort FormatVersion = 2; // 2: exception file (hot list) table, pending clock jump
    private static ReadOnlySpan<byte> Magic => "FEHS"u8;
    private static ReadOnlySpan<byte> TrailerMagic => "SHEF"u8;
    private const int HeaderLength = 4 + 2 + 2 + 5 * 4 + 5 * 4 + 8;
    private const int TrailerLength = 4 + 4;

    public static void Write(TerminalHistory history, string path) =>
        DurableFile.WriteAtomic(path, stream => Write(history, stream));

    public static void Write(TerminalHistory history, Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
        int o = 8;
        foreach (int v in Capacities(history)) { BinaryPrimitives.WriteInt32LittleEndian(header[o..], v); o += 4; }
        foreach (int v in StructSizes()) { BinaryPrimitives.WriteInt32LittleEndian(header[o..], v); o += 4; }
        BinaryPrimitives.WriteInt64LittleEndian(header[o..], history.PayloadLength);
        uint crc = Crc32C.Update(0, header);
        stream.Write(header);
        crc = history.WriteTables(stream, crc);
        Span<byte> trailer = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        TrailerMagic.CopyTo(trailer[4..]);
        stream.Write(trailer);
    }

    /// <summary>Loads a snapshot into a new history sized by <paramref name="limits"/>; on any error returns false.</summary>
    public static bool TryRead(string path, Profiles.HistoryLimits limits, out TerminalHistory? history, out SnapshotError error)
    {
        history = null;
        if (!File.Exists(path)) { error = SnapshotError.Missing; return false; }
        byte[] bytes;
        try
        {
            var candidate = new TerminalHistory(limits);
            long expected = HeaderLength + candidate.PayloadLength + TrailerLength;
            long actual = new FileInfo(path).Length;
            if (actual != expected)
            {
                // Read just enough to give the precise reason (wrong magic/version/capacity beats "truncated").
                bytes = new byte[Math.Min(actual, HeaderLength)];
                using (var fs = File.OpenRead(path)) fs.ReadExactly(bytes);
                error = CheckHeader(bytes, candidate);
                if (error == SnapshotError.None) error = SnapshotError.Truncated;
                return false;
            }
            bytes = File.ReadAllBytes(path);
            if (!TryRead(bytes, candidate, out error)) return false;
            history = candidate;
            return true;
        }
        catch (IOException)
        {
            error = SnapshotError.IoError;
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            error = SnapshotError.IoError;
            return false;
        }
    }

    /// <summary>Restores <paramref name="bytes"/> into <paramref name="target"/> (fresh, same limits) after every check.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, TerminalHistory target, out SnapshotError error)
    {
        error = CheckHeader(bytes, target);
        if (error != SnapshotError.None) return false;
        long expected = HeaderLength + target.PayloadLength + TrailerLength;
        if (bytes.Length != expected) { error = SnapshotError.Truncated; return false; }
        int crcOffset = bytes.Length - TrailerLength;
        if (!bytes[(crcOffset + 4)..].SequenceEqual(TrailerMagic)) { error = SnapshotError.Truncated; return false; }
        uint crc = Crc32C.Update(0, bytes[..crcOffset]);
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(bytes[crcOffset..])) { error = SnapshotError.ChecksumMismatch; return false; }
        target.ReadTables(bytes[HeaderLength..crcOffset]);
        if (!target.CheckInvariants())
        {
            target.Clear(); // a checksummed but inconsistent snapshot is still not trusted
            error = SnapshotError.InvariantViolated;
            return false;
        }
        return true;
    }

    private static SnapshotError CheckHeader(ReadOnlySpan<byte> bytes, TerminalHistory target)
    {
        if (bytes.Length < HeaderLength) return bytes.Length >= 4 && !bytes[..4].SequenceEqual(Magic) ? SnapshotError.BadMagic : SnapshotError.Truncated;
        if (!bytes[..4].SequenceEqual(Magic)) return SnapshotError.BadMagic;
        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) != FormatVersion) return SnapshotError.UnsupportedVersion;
        int o = 8;
        foreach (int v in Capacities(target)) { if (BinaryPrimitives.ReadInt32LittleEndian(bytes[o..]) != v) return SnapshotError.CapacityMismatch; o += 4; }
        foreach (int v in StructSizes()) { if (BinaryPrimitives.ReadInt32LittleEndian(bytes[o..]) != v) return SnapshotError.LayoutMismatch; o += 4; }
        if (BinaryPrimitives.ReadInt64LittleEndian(bytes[o..]) != target.PayloadLength) return SnapshotError.LayoutMismatch;
        return SnapshotError.None;
    }

    private static int[] Capacities(TerminalHistory h) =>
    [
        h.Limits.MaxTerminals, h.Limits.RecentEventsPerTerminal, h.Limits.CardCapacity, h.Limits.BinCapacity, h.Limits.OperatorCapacity,
    ];

    private static int[] StructSizes() =>
    [
        Unsafe.SizeOf<TerminalSlot>(), Unsafe.SizeOf<RecentEvent>(), Unsafe.SizeOf<CardEntry>(), Unsafe.SizeOf<BinEntry>(), Unsafe.SizeOf<OperatorEntry>(),
    ];
}
