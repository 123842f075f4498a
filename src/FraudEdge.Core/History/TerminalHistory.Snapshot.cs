using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FraudEdge.Core.Events;
using FraudEdge.Core.Storage;

namespace FraudEdge.Core.History;

/// <summary>Raw table access for <see cref="HistorySnapshot"/> and the invariants a restored table must keep.</summary>
public sealed partial class TerminalHistory
{
    internal long PayloadLength =>
        4L + MemoryMarshal.AsBytes(_terminals.AsSpan()).Length + MemoryMarshal.AsBytes(_events.AsSpan()).Length
        + MemoryMarshal.AsBytes(_cards.AsSpan()).Length + MemoryMarshal.AsBytes(_bins.AsSpan()).Length
        + MemoryMarshal.AsBytes(_operators.AsSpan()).Length + MemoryMarshal.AsBytes(_hotList.AsSpan()).Length;

    /// <summary>Writes the tables in a fixed order and returns the CRC continued over them.</summary>
    internal uint WriteTables(Stream stream, uint crc)
    {
        Span<byte> last = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(last, _lastTerminal);
        crc = Put(stream, crc, last);
        crc = Put(stream, crc, MemoryMarshal.AsBytes(_terminals.AsSpan()));
        crc = Put(stream, crc, MemoryMarshal.AsBytes(_events.AsSpan()));
        crc = Put(stream, crc, MemoryMarshal.AsBytes(_cards.AsSpan()));
        crc = Put(stream, crc, MemoryMarshal.AsBytes(_bins.AsSpan()));
        crc = Put(stream, crc, MemoryMarshal.AsBytes(_operators.AsSpan()));
        return Put(stream, crc, MemoryMarshal.AsBytes(_hotList.AsSpan()));
    }

    private static uint Put(Stream stream, uint crc, ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        return Crc32C.Update(crc, bytes);
    }

    /// <summary>Copies a payload of exactly <see cref="PayloadLength"/> bytes into the tables.</summary>
    internal void ReadTables(ReadOnlySpan<byte> payload)
    {
        _lastTerminal = BinaryPrimitives.ReadInt32LittleEndian(payload);
        payload = payload[4..];
        payload = Take(payload, MemoryMarshal.AsBytes(_terminals.AsSpan()));
        payload = Take(payload, MemoryMarshal.AsBytes(_events.AsSpan()));
        payload = Take(payload, MemoryMarshal.AsBytes(_cards.AsSpan()));
        payload = Take(payload, MemoryMarshal.AsBytes(_bins.AsSpan()));
        payload = Take(payload, MemoryMarshal.AsBytes(_operators.AsSpan()));
        _ = Take(payload, MemoryMarshal.AsBytes(_hotList.AsSpan()));
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source[..destination.Length].CopyTo(destination);
        return source[destination.Length..];
    }

    /// <summary>
    /// Indexes and flags a restored table must satisfy before any lookup trusts it. A checksum only proves
    /// the bytes are what some writer wrote; this proves they are what <em>this</em> code could have written.
    /// </summary>
    internal bool CheckInvariants()
    {
        if ((uint)_lastTerminal >= (uint)_terminals.Length) return false;
        foreach (ref readonly TerminalSlot t in _terminals.AsSpan())
        {
            if (!IsBool(t.Used) || (uint)t.Head >= (uint)_eventsPerTerminal || (uint)t.Count > (uint)_eventsPerTerminal || t.FraudLabelHead >= 16)
                return false;
        }
        foreach (ref readonly RecentEvent e in _events.AsSpan())
        {
            if (!DefinedValues<TransactionKind>.Contains(e.Kind) || !DefinedValues<EntryMode>.Contains(e.EntryMode) || !DefinedValues<EventOutcome>.Contains(e.Outcome)) return false;
        }
        foreach (ref readonly CardEntry c in _cards.AsSpan())
        {
            if (!IsBool(c.Used) || !IsBool(c.HasAtc) || !IsBool(c.HotListed) || c.RecentHead >= 8 || c.DeclineHead >= 4) return false;
        }
        foreach (ref readonly BinEntry b in _bins.AsSpan())
        {
            if (!IsBool(b.Used) || b.Head >= 16) return false;
            for (int i = 0; i < 16; i++) if (!IsBool(b.Attempts[i].Declined)) return false;
        }
        foreach (ref readonly OperatorEntry o in _operators.AsSpan())
        {
            if (!IsBool(o.Used) || o.Head >= 8) return false;
        }
        foreach (ref readonly HotListEntry h in _hotList.AsSpan())
        {
            if (!IsBool(h.Used)) return false;
        }
        return true;
    }

    // A bool read from raw bytes may hold any value; only 0 and 1 are ones this code writes.
    private static bool IsBool(bool value) => Unsafe.BitCast<bool, byte>(value) <= 1;

    /// <summary>Forgets everything (a refused snapshot leaves no trace).</summary>
    internal void Clear()
    {
        _lastTerminal = 0;
        Array.Clear(_terminals);
        Array.Clear(_events);
        Array.Clear(_cards);
        Array.Clear(_bins);
        Array.Clear(_operators);
        Array.Clear(_hotList);
    }
}
