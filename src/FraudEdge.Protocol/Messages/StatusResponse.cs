using System.Buffers;
using System.Numerics;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>StatusResponse (0x08), docs/protocol.md §4.6. Not on the hot path: strings are allowed.</summary>
public struct StatusResponse : IProtocolMessage<StatusResponse>
{
    public string ServiceVersion;      // 1
    public uint ProtocolVersion;       // 2
    public string Profile;             // 3
    public string? ModelName;          // 4, null = absent (no model)
    public string? ModelVersion;       // 5
    public string? ModelSha256;        // 6
    public string Tokenizer;           // 7
    public ulong Decisions;            // 8
    public ulong Allowed;              // 9
    public ulong Reviewed;             // 10
    public ulong Denied;               // 11
    public ulong Rejected;             // 12
    public ulong Fallbacks;            // 13
    public ulong DeadlineMisses;       // 14
    public ulong Outcomes;             // 15
    public ulong ConnectionsActive;    // 16
    public ulong ConnectionsTotal;     // 17
    public ulong ConnectionsRefused;   // 18
    public ulong ProtocolErrors;       // 19
    public ulong RssBytes;             // 20
    public ulong PeakRssBytes;         // 21
    public ulong ManagedHeapBytes;     // 22
    public ulong UptimeMs;             // 23
    public ulong LatencyP50Us;         // 24
    public ulong LatencyP99Us;         // 25
    public ushort? ModelRefusal;       // 26, null = absent
    public ulong AllocatedBytes;       // 27, managed bytes allocated since start (optional on read: added within v1)
    public ulong MemoryBudgetBytes;    // 28, the memory budget in force (optional on read, 0 = unknown)
    public ulong GcHeapLimitBytes;     // 29, the GC heap hard limit in force (optional on read, 0 = none)
    public bool Shedding;              // 30, ScoreRequests refused with OverMemoryBudget (optional on read)
    public ulong AuditLastRecord;      // 31, number of the audit log's last record (optional on read, 0 = no log or empty)
    public string? AuditHeadSha256;    // 32, SHA-256 of that record, 64 lowercase hex digits; null = absent

    /// <summary>Every key but the model keys 4–6 and model_refusal 26 (§4.6: "all keys always present except …").</summary>
    private const ulong RequiredKeys = ((1UL << 26) - 1) & ~1UL & ~(1UL << 4 | 1UL << 5 | 1UL << 6);

    public static MessageType Type => MessageType.StatusResponse;

    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out StatusResponse message, out ProtocolError error)
    {
        message = default;
        message.ServiceVersion = message.Profile = message.Tokenizer = "";
        error = default;
        var reader = new PayloadReader(payload);
        PayloadFault fault = reader.ReadMapHeader(out int count);
        if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, "", out error);
        for (int i = 0; i < count; i++)
        {
            fault = reader.ReadKey(out ulong key);
            if (fault == PayloadFault.None)
            {
                switch (key)
                {
                    case 1: fault = reader.ReadUtf8String(out message.ServiceVersion); break;
                    case 2: fault = reader.ReadUInt32(out message.ProtocolVersion); break;
                    case 3: fault = reader.ReadUtf8String(out message.Profile); break;
                    case 4: fault = ReadOptional(ref reader, out message.ModelName); break;
                    case 5: fault = ReadOptional(ref reader, out message.ModelVersion); break;
                    case 6: fault = ReadOptional(ref reader, out message.ModelSha256); break;
                    case 7: fault = reader.ReadUtf8String(out message.Tokenizer); break;
                    case 8: fault = reader.ReadUInt64(out message.Decisions); break;
                    case 9: fault = reader.ReadUInt64(out message.Allowed); break;
                    case 10: fault = reader.ReadUInt64(out message.Reviewed); break;
                    case 11: fault = reader.ReadUInt64(out message.Denied); break;
                    case 12: fault = reader.ReadUInt64(out message.Rejected); break;
                    case 13: fault = reader.ReadUInt64(out message.Fallbacks); break;
                    case 14: fault = reader.ReadUInt64(out message.DeadlineMisses); break;
                    case 15: fault = reader.ReadUInt64(out message.Outcomes); break;
                    case 16: fault = reader.ReadUInt64(out message.ConnectionsActive); break;
                    case 17: fault = reader.ReadUInt64(out message.ConnectionsTotal); break;
                    case 18: fault = reader.ReadUInt64(out message.ConnectionsRefused); break;
                    case 19: fault = reader.ReadUInt64(out message.ProtocolErrors); break;
                    case 20: fault = reader.ReadUInt64(out message.RssBytes); break;
                    case 21: fault = reader.ReadUInt64(out message.PeakRssBytes); break;
                    case 22: fault = reader.ReadUInt64(out message.ManagedHeapBytes); break;
                    case 23: fault = reader.ReadUInt64(out message.UptimeMs); break;
                    case 24: fault = reader.ReadUInt64(out message.LatencyP50Us); break;
                    case 25: fault = reader.ReadUInt64(out message.LatencyP99Us); break;
                    case 26:
                        if (!reader.TryReadNil())
                        {
                            fault = reader.ReadUInt16(out ushort refusal);
                            message.ModelRefusal = refusal;
                        }
                        break;
                    case 27: if (!reader.TryReadNil()) fault = reader.ReadUInt64(out message.AllocatedBytes); break; // optional: nil = absent
                    case 28: if (!reader.TryReadNil()) fault = reader.ReadUInt64(out message.MemoryBudgetBytes); break;
                    case 29: if (!reader.TryReadNil()) fault = reader.ReadUInt64(out message.GcHeapLimitBytes); break;
                    case 30: if (!reader.TryReadNil()) fault = reader.ReadBoolean(out message.Shedding); break;
                    case 31: if (!reader.TryReadNil()) fault = reader.ReadUInt64(out message.AuditLastRecord); break;
                    case 32: fault = ReadOptional(ref reader, out message.AuditHeadSha256); break;
                    default: fault = reader.Skip(); break;
                }
            }
            if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, FieldName(key), out error);
        }
        if (!reader.End) return PayloadErrors.Fail(PayloadFault.TrailingBytes, "", out error);
        ulong missing = RequiredKeys & ~reader.SeenKeys;
        if (missing != 0) return PayloadErrors.Fail(PayloadFault.Missing, FieldName((ulong)BitOperations.TrailingZeroCount(missing)), out error);
        return OperationStatus.Done;
    }

    private static PayloadFault ReadOptional(ref PayloadReader reader, out string? value)
    {
        value = null;
        if (reader.TryReadNil()) return PayloadFault.None;
        PayloadFault fault = reader.ReadUtf8String(out string text);
        value = text;
        return fault;
    }

    /// <summary>Keys ascending; 4, 5, 6, 26 and 32 only when set, 27–31 always. Throws ArgumentException for a string over 64 UTF-8 bytes.</summary>
    public readonly void Write(ref MessagePackWriter writer)
    {
        int count = 27 + (ModelName is null ? 0 : 1) + (ModelVersion is null ? 0 : 1) + (ModelSha256 is null ? 0 : 1)
            + (ModelRefusal.HasValue ? 1 : 0) + (AuditHeadSha256 is null ? 0 : 1);
        writer.WriteMapHeader(count);
        writer.Write(1);
        PayloadWriting.WriteText(ref writer, ServiceVersion, "service_version");
        writer.Write(2);
        writer.Write(ProtocolVersion);
        writer.Write(3);
        PayloadWriting.WriteText(ref writer, Profile, "profile");
        if (ModelName is not null) { writer.Write(4); PayloadWriting.WriteText(ref writer, ModelName, "model_name"); }
        if (ModelVersion is not null) { writer.Write(5); PayloadWriting.WriteText(ref writer, ModelVersion, "model_version"); }
        if (ModelSha256 is not null) { writer.Write(6); PayloadWriting.WriteText(ref writer, ModelSha256, "model_sha256"); }
        writer.Write(7);
        PayloadWriting.WriteText(ref writer, Tokenizer, "tokenizer");
        WriteCounter(ref writer, 8, Decisions);
        WriteCounter(ref writer, 9, Allowed);
        WriteCounter(ref writer, 10, Reviewed);
        WriteCounter(ref writer, 11, Denied);
        WriteCounter(ref writer, 12, Rejected);
        WriteCounter(ref writer, 13, Fallbacks);
        WriteCounter(ref writer, 14, DeadlineMisses);
        WriteCounter(ref writer, 15, Outcomes);
        WriteCounter(ref writer, 16, ConnectionsActive);
        WriteCounter(ref writer, 17, ConnectionsTotal);
        WriteCounter(ref writer, 18, ConnectionsRefused);
        WriteCounter(ref writer, 19, ProtocolErrors);
        WriteCounter(ref writer, 20, RssBytes);
        WriteCounter(ref writer, 21, PeakRssBytes);
        WriteCounter(ref writer, 22, ManagedHeapBytes);
        WriteCounter(ref writer, 23, UptimeMs);
        WriteCounter(ref writer, 24, LatencyP50Us);
        WriteCounter(ref writer, 25, LatencyP99Us);
        if (ModelRefusal is ushort refusal) { writer.Write(26); writer.Write(refusal); }
        WriteCounter(ref writer, 27, AllocatedBytes);
        WriteCounter(ref writer, 28, MemoryBudgetBytes);
        WriteCounter(ref writer, 29, GcHeapLimitBytes);
        writer.Write(30);
        writer.Write(Shedding);
        WriteCounter(ref writer, 31, AuditLastRecord);
        if (AuditHeadSha256 is not null) { writer.Write(32); PayloadWriting.WriteText(ref writer, AuditHeadSha256, "audit_head_sha256"); }
    }

    private static void WriteCounter(ref MessagePackWriter writer, int key, ulong value)
    {
        writer.Write(key);
        writer.Write(value);
    }

    internal static string FieldName(ulong key) => key switch
    {
        1 => "service_version",
        2 => "protocol_version",
        3 => "profile",
        4 => "model_name",
        5 => "model_version",
        6 => "model_sha256",
        7 => "tokenizer",
        8 => "decisions",
        9 => "allowed",
        10 => "reviewed",
        11 => "denied",
        12 => "rejected",
        13 => "fallbacks",
        14 => "deadline_misses",
        15 => "outcomes",
        16 => "connections_active",
        17 => "connections_total",
        18 => "connections_refused",
        19 => "protocol_errors",
        20 => "rss_bytes",
        21 => "peak_rss_bytes",
        22 => "managed_heap_bytes",
        23 => "uptime_ms",
        24 => "latency_p50_us",
        25 => "latency_p99_us",
        26 => "model_refusal",
        27 => "allocated_bytes",
        28 => "memory_budget_bytes",
        29 => "gc_heap_limit_bytes",
        30 => "shedding",
        31 => "audit_last_record",
        32 => "audit_head_sha256",
        _ => "",
    };
}
