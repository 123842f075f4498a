using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>
/// Reads one payload map of docs/protocol.md §3 over <see cref="MessagePackReader"/>, never throwing: every
/// header is examined (type, announced length, bytes actually left) before the reader is asked to move, so
/// MessagePackReader's EndOfStreamException / MessagePackSerializationException paths are never reached and
/// an oversized string is refused from its header, never materialised. Each read returns a
/// <see cref="PayloadFault"/> (None on success) that the message turns into a <see cref="ProtocolError"/>
/// naming its key.
/// </summary>
internal ref struct PayloadReader
{
    private MessagePackReader reader;
    private readonly long length;
    private ulong lowKeys;
    private KeyBuffer highKeys;
    private int highKeyCount;

    public PayloadReader(in ReadOnlySequence<byte> payload)
    {
        reader = new MessagePackReader(payload);
        length = payload.Length;
    }

    /// <summary>Ping and StatusRequest: a map whose keys and values are all skipped (within the limits), nothing after it.</summary>
    public static OperationStatus TryReadIgnoredMap(in ReadOnlySequence<byte> payload, out ProtocolError error)
    {
        error = default;
        var reader = new PayloadReader(payload);
        PayloadFault fault = reader.ReadMapHeader(out int count);
        for (int i = 0; fault == PayloadFault.None && i < 2 * count; i++) fault = reader.Skip();
        if (fault == PayloadFault.None && !reader.End) fault = PayloadFault.TrailingBytes;
        return fault == PayloadFault.None ? OperationStatus.Done : PayloadErrors.Fail(fault, "", out error);
    }

    /// <summary>Bit k set: key k (&lt; 64) has been read in the map. Messages check required keys against it.</summary>
    public readonly ulong SeenKeys => lowKeys;

    /// <summary>True when nothing follows: the payload is exactly one value (§2).</summary>
    public readonly bool End => reader.End;

    private readonly long Remaining => length - reader.Consumed;

    /// <summary>The payload's top-level map header; anything else is MalformedPayload.</summary>
    public PayloadFault ReadMapHeader(out int count)
    {
        count = 0;
        PayloadFault fault = Peek(out ValueKind kind, out _, out uint entries);
        if (fault != PayloadFault.None) return fault;
        if (kind != ValueKind.Map) return PayloadFault.NotAMap;
        if (entries > ProtocolLimits.MaxMapEntries) return PayloadFault.TooManyEntries;
        reader.TryReadMapHeader(out count); // the header's bytes are there (Peek): cannot fail
        lowKeys = 0;
        highKeyCount = 0;
        return PayloadFault.None;
    }

    /// <summary>
    /// A map key: a non-negative integer in any encoding, not seen before in this map. On failure
    /// <paramref name="key"/> is <see cref="ulong.MaxValue"/> unless the fault is a duplicate.
    /// </summary>
    public PayloadFault ReadKey(out ulong key)
    {
        key = ulong.MaxValue;
        PayloadFault fault = ReadInteger(out Int128 value);
        if (fault == PayloadFault.WrongType || (fault == PayloadFault.None && value < 0)) return PayloadFault.BadKey;
        if (fault != PayloadFault.None) return fault;
        key = (ulong)value;
        if (key < 64)
        {
            ulong bit = 1UL << (int)key;
            if ((lowKeys & bit) != 0) return PayloadFault.DuplicateKey;
            lowKeys |= bit;
            return PayloadFault.None;
        }
        // Unknown keys too: "a key twice in one map" (§3) holds for every key. At most 64 entries per map.
        for (int i = 0; i < highKeyCount; i++)
        {
            if (highKeys[i] == key) return PayloadFault.DuplicateKey;
        }
        highKeys[highKeyCount++] = key;
        return PayloadFault.None;
    }

    /// <summary>Consumes a nil if one is next: "absent" for an optional key (§3).</summary>
    public bool TryReadNil()
    {
        if (Remaining == 0 || reader.NextCode != MessagePackCode.Nil) return false;
        reader.ReadNil();
        return true;
    }

    public PayloadFault ReadUInt64(out ulong value)
    {
        PayloadFault fault = ReadRange(0, ulong.MaxValue, out Int128 v);
        value = (ulong)v;
        return fault;
    }

    public PayloadFault ReadUInt32(out uint value)
    {
        PayloadFault fault = ReadRange(0, uint.MaxValue, out Int128 v);
        value = (uint)v;
        return fault;
    }

    public PayloadFault ReadUInt16(out ushort value)
    {
        PayloadFault fault = ReadRange(0, ushort.MaxValue, out Int128 v);
        value = (ushort)v;
        return fault;
    }

    public PayloadFault ReadByte(out byte value)
    {
        PayloadFault fault = ReadRange(0, byte.MaxValue, out Int128 v);
        value = (byte)v;
        return fault;
    }

    public PayloadFault ReadInt64(out long value)
    {
        PayloadFault fault = ReadRange(long.MinValue, long.MaxValue, out Int128 v);
        value = (long)v;
        return fault;
    }

    public PayloadFault ReadInt16(out short value)
    {
        PayloadFault fault = ReadRange(short.MinValue, short.MaxValue, out Int128 v);
        value = (short)v;
        return fault;
    }

    public PayloadFault ReadBoolean(out bool value)
    {
        value = false;
        PayloadFault fault = Peek(out ValueKind kind, out _, out _);
        if (fault != PayloadFault.None) return fault;
        if (kind != ValueKind.Boolean) return PayloadFault.WrongType;
        value = reader.ReadBoolean();
        return PayloadFault.None;
    }

    /// <summary>float32, or float64 narrowed to float32 (§3: either encoding is accepted).</summary>
    public PayloadFault ReadSingle(out float value)
    {
        value = 0;
        PayloadFault fault = Peek(out ValueKind kind, out _, out _);
        if (fault != PayloadFault.None) return fault;
        if (kind != ValueKind.Float) return PayloadFault.WrongType;
        value = reader.NextCode == MessagePackCode.Float32 ? reader.ReadSingle() : (float)reader.ReadDouble();
        return PayloadFault.None;
    }

    /// <summary>terminal_id, merchant_id: 1–16 printable ASCII; model_version may also be "" (<paramref name="allowEmpty"/>).</summary>
    public PayloadFault ReadAscii16(out Ascii16Text value, bool allowEmpty = false)
    {
        value = default;
        Span<byte> bytes = stackalloc byte[ProtocolLimits.MaxStringBytes];
        PayloadFault fault = ReadString(bytes, out int count);
        if (fault != PayloadFault.None) return fault;
        if (count == 0 && allowEmpty) return PayloadFault.None;
        return Ascii16Text.TryPack(bytes[..count], out value) ? PayloadFault.None : PayloadFault.NotAscii16;
    }

    /// <summary>ISO 8583 DE 39: exactly two printable ASCII characters, packed big-endian ("00" = 0x3030, never 0).</summary>
    public PayloadFault ReadResponseCode(out ushort value)
    {
        value = 0;
        Span<byte> bytes = stackalloc byte[ProtocolLimits.MaxStringBytes];
        PayloadFault fault = ReadString(bytes, out int count);
        if (fault != PayloadFault.None) return fault;
        if (count != 2 || !IsPrintable(bytes[0]) || !IsPrintable(bytes[1])) return PayloadFault.NotResponseCode;
        value = (ushort)((bytes[0] << 8) | bytes[1]);
        return PayloadFault.None;

        static bool IsPrintable(byte b) => b is >= 0x20 and <= 0x7E;
    }

    /// <summary>A string of the cold-path messages (StatusResponse, ErrorResponse): valid UTF-8, at most 64 bytes.</summary>
    public PayloadFault ReadUtf8String(out string value)
    {
        value = "";
        Span<byte> bytes = stackalloc byte[ProtocolLimits.MaxStringBytes];
        PayloadFault fault = ReadString(bytes, out int count);
        if (fault != PayloadFault.None) return fault;
        if (!Utf8.IsValid(bytes[..count])) return PayloadFault.NotUtf8;
        value = Encoding.UTF8.GetString(bytes[..count]);
        return PayloadFault.None;
    }

    /// <summary>card_token: bin of exactly 16 bytes, read big-endian.</summary>
    public PayloadFault ReadBinary16(out UInt128 value)
    {
        value = UInt128.Zero;
        Span<byte> bytes = stackalloc byte[ProtocolLimits.MaxBinaryBytes];
        PayloadFault fault = ReadBinary(bytes, out int count);
        if (fault != PayloadFault.None) return fault;
        if (count != 16) return PayloadFault.WrongLength;
        value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return PayloadFault.None;
    }

    /// <summary>tvr: bin of exactly 5 bytes (EMV tag 95), big-endian into the low 40 bits.</summary>
    public PayloadFault ReadBinary5(out ulong value)
    {
        value = 0;
        Span<byte> bytes = stackalloc byte[ProtocolLimits.MaxBinaryBytes];
        PayloadFault fault = ReadBinary(bytes, out int count);
        if (fault != PayloadFault.None) return fault;
        if (count != 5) return PayloadFault.WrongLength;
        for (int i = 0; i < 5; i++) value = (value << 8) | bytes[i];
        return PayloadFault.None;
    }

    /// <summary>An unknown key's value (or anything in a Ping map), within the limits of §3.</summary>
    public PayloadFault Skip() => Skip(0);

    private PayloadFault Skip(int depth)
    {
        PayloadFault fault = Peek(out ValueKind kind, out int header, out uint count);
        if (fault != PayloadFault.None) return fault;
        switch (kind)
        {
            case ValueKind.Map:
            case ValueKind.Array:
                // depth = containers already entered inside the skipped value: this one would be depth + 1.
                if (depth >= ProtocolLimits.MaxDepth) return PayloadFault.TooDeep;
                if (kind == ValueKind.Map)
                {
                    if (count > ProtocolLimits.MaxMapEntries) return PayloadFault.TooManyEntries;
                    reader.TryReadMapHeader(out _);
                    count *= 2;
                }
                else
                {
                    if (count > ProtocolLimits.MaxArrayLength) return PayloadFault.ArrayTooLong;
                    reader.TryReadArrayHeader(out _);
                }
                for (uint i = 0; i < count; i++)
                {
                    fault = Skip(depth + 1);
                    if (fault != PayloadFault.None) return fault;
                }
                return PayloadFault.None;
            case ValueKind.String:
                if (count > ProtocolLimits.MaxStringBytes) return PayloadFault.StringTooLong;
                break;
            case ValueKind.Binary:
                if (count > ProtocolLimits.MaxBinaryBytes) return PayloadFault.BinaryTooLong;
                break;
        }
        // Scalars are wholly there (Peek checked); data-carrying values need their data too.
        if (Remaining < header + (long)count) return PayloadFault.Truncated;
        reader.Skip();
        return PayloadFault.None;
    }

    private PayloadFault ReadRange(Int128 min, Int128 max, out Int128 value)
    {
        PayloadFault fault = ReadInteger(out value);
        if (fault != PayloadFault.None) return fault;
        if (value < min || value > max)
        {
            value = 0;
            return PayloadFault.OutOfRange;
        }
        return PayloadFault.None;
    }

    /// <summary>Any integer encoding (fixint, uint8–64, int8–64), widened so every range check is exact.</summary>
    private PayloadFault ReadInteger(out Int128 value)
    {
        value = 0;
        PayloadFault fault = Peek(out ValueKind kind, out _, out _);
        if (fault != PayloadFault.None) return fault;
        if (kind != ValueKind.Integer) return PayloadFault.WrongType;
        // ReadInt64 would overflow on a uint64 above long.MaxValue: the one code that needs ReadUInt64.
        value = reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();
        return PayloadFault.None;
    }

    private PayloadFault ReadString(scoped Span<byte> destination, out int count)
    {
        count = 0;
        PayloadFault fault = Peek(out ValueKind kind, out int header, out uint announced);
        if (fault != PayloadFault.None) return fault;
        if (kind != ValueKind.String) return PayloadFault.WrongType;
        if (announced > ProtocolLimits.MaxStringBytes) return PayloadFault.StringTooLong;
        if (Remaining < header + announced) return PayloadFault.Truncated;
        ReadOnlySequence<byte> bytes = reader.ReadStringSequence().GetValueOrDefault();
        bytes.CopyTo(destination);
        count = (int)announced;
        return PayloadFault.None;
    }

    private PayloadFault ReadBinary(scoped Span<byte> destination, out int count)
    {
        count = 0;
        PayloadFault fault = Peek(out ValueKind kind, out int header, out uint announced);
        if (fault != PayloadFault.None) return fault;
        if (kind != ValueKind.Binary) return PayloadFault.WrongType;
        if (announced > ProtocolLimits.MaxBinaryBytes) return PayloadFault.BinaryTooLong;
        if (Remaining < header + announced) return PayloadFault.Truncated;
        ReadOnlySequence<byte> bytes = reader.ReadBytes().GetValueOrDefault();
        bytes.CopyTo(destination);
        count = (int)announced;
        return PayloadFault.None;
    }

    /// <summary>
    /// Classifies the next value from its first byte and checks its header is wholly buffered. For scalars
    /// <paramref name="header"/> is the whole value; for str/bin/ext it precedes <paramref name="count"/> data
    /// bytes, for map/array <paramref name="count"/> entries/elements follow. Nothing is consumed.
    /// </summary>
    private readonly PayloadFault Peek(out ValueKind kind, out int header, out uint count)
    {
        kind = ValueKind.Integer;
        count = 0;
        header = 1;
        long remaining = Remaining;
        if (remaining == 0) return PayloadFault.Truncated;
        byte code = reader.NextCode;
        int lengthBytes = 0;
        switch (code)
        {
            case <= MessagePackCode.MaxFixInt:
                break;
            case <= MessagePackCode.MaxFixMap:
                kind = ValueKind.Map;
                count = code & 0x0Fu;
                break;
            case <= MessagePackCode.MaxFixArray:
                kind = ValueKind.Array;
                count = code & 0x0Fu;
                break;
            case <= MessagePackCode.MaxFixStr:
                kind = ValueKind.String;
                count = code & 0x1Fu;
                break;
            case MessagePackCode.Nil:
                kind = ValueKind.Nil;
                break;
            case MessagePackCode.NeverUsed:
                kind = ValueKind.Invalid;
                return PayloadFault.InvalidCode;
            case MessagePackCode.False:
            case MessagePackCode.True:
                kind = ValueKind.Boolean;
                break;
            case MessagePackCode.Bin8:
            case MessagePackCode.Bin16:
            case MessagePackCode.Bin32:
                kind = ValueKind.Binary;
                lengthBytes = 1 << (code - MessagePackCode.Bin8);
                header = 1 + lengthBytes;
                break;
            case MessagePackCode.Ext8:
            case MessagePackCode.Ext16:
            case MessagePackCode.Ext32:
                kind = ValueKind.Extension;
                lengthBytes = 1 << (code - MessagePackCode.Ext8);
                header = 2 + lengthBytes; // + the ext type byte
                break;
            case MessagePackCode.Float32:
                kind = ValueKind.Float;
                header = 5;
                break;
            case MessagePackCode.Float64:
                kind = ValueKind.Float;
                header = 9;
                break;
            case MessagePackCode.UInt8:
            case MessagePackCode.UInt16:
            case MessagePackCode.UInt32:
            case MessagePackCode.UInt64:
                header = 1 + (1 << (code - MessagePackCode.UInt8));
                break;
            case MessagePackCode.Int8:
            case MessagePackCode.Int16:
            case MessagePackCode.Int32:
            case MessagePackCode.Int64:
                header = 1 + (1 << (code - MessagePackCode.Int8));
                break;
            case MessagePackCode.FixExt1:
            case MessagePackCode.FixExt2:
            case MessagePackCode.FixExt4:
            case MessagePackCode.FixExt8:
            case MessagePackCode.FixExt16:
                kind = ValueKind.Extension;
                header = 2;
                count = 1u << (code - MessagePackCode.FixExt1);
                break;
            case MessagePackCode.Str8:
            case MessagePackCode.Str16:
            case MessagePackCode.Str32:
                kind = ValueKind.String;
                lengthBytes = 1 << (code - MessagePackCode.Str8);
                header = 1 + lengthBytes;
                break;
            case MessagePackCode.Array16:
            case MessagePackCode.Array32:
                kind = ValueKind.Array;
                lengthBytes = code == MessagePackCode.Array16 ? 2 : 4;
                header = 1 + lengthBytes;
                break;
            case MessagePackCode.Map16:
            case MessagePackCode.Map32:
                kind = ValueKind.Map;
                lengthBytes = code == MessagePackCode.Map16 ? 2 : 4;
                header = 1 + lengthBytes;
                break;
            default: // negative fixint 0xe0–0xff
                break;
        }
        if (remaining < header) return PayloadFault.Truncated;
        if (lengthBytes != 0) count = PeekLength(lengthBytes);
        return PayloadFault.None;
    }

    /// <summary>The big-endian length after the code byte (1, 2 or 4 bytes; Peek made sure they are there).</summary>
    private readonly uint PeekLength(int lengthBytes)
    {
        Span<byte> bytes = stackalloc byte[5];
        reader.Sequence.Slice(reader.Position, 1 + lengthBytes).CopyTo(bytes);
        return lengthBytes switch
        {
            1 => bytes[1],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]),
        };
    }

    private enum ValueKind : byte { Integer, Nil, Boolean, Float, String, Binary, Extension, Map, Array, Invalid }

    /// <summary>Keys ≥ 64 seen in the current map (a map has at most 64 entries), kept inline: no allocation.</summary>
    [InlineArray(ProtocolLimits.MaxMapEntries)]
    private struct KeyBuffer
    {
        private ulong element;
    }
}
