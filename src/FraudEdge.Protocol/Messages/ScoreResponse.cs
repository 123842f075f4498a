using System.Buffers;
using System.Numerics;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>ScoreResponse (0x02), docs/protocol.md §4.2.</summary>
public struct ScoreResponse : IProtocolMessage<ScoreResponse>
{
    public ulong EventId;              // 1
    public byte Verdict;               // 2: 1 allow, 2 review, 3 deny
    public byte RiskScore;             // 3
    public float Probability;          // 4, NaN when the rules decided
    public ulong Reasons;              // 5
    public byte Source;                // 6
    public uint ElapsedMicroseconds;   // 7
    public Ascii16Text ModelVersion;   // 8, empty = ""

    /// <summary>The service always writes keys 1–8, so a reader requires all of them.</summary>
    private const ulong RequiredKeys = 0b1_1111_1110;

    public static MessageType Type => MessageType.ScoreResponse;

    /// <summary>Allocates nothing.</summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out ScoreResponse message, out ProtocolError error)
    {
        message = default;
        error = default;
        var reader = new PayloadReader(payload);
        PayloadFault fault = reader.ReadMapHeader(out int count);
        if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, "", out error);
        for (int i = 0; i < count; i++)
        {
            fault = reader.ReadKey(out ulong key);
            if (fault == PayloadFault.None)
            {
                fault = key switch
                {
                    1 => reader.ReadUInt64(out message.EventId),
                    2 => reader.ReadByte(out message.Verdict),
                    3 => reader.ReadByte(out message.RiskScore),
                    4 => reader.ReadSingle(out message.Probability),
                    5 => reader.ReadUInt64(out message.Reasons),
                    6 => reader.ReadByte(out message.Source),
                    7 => reader.ReadUInt32(out message.ElapsedMicroseconds),
                    8 => reader.ReadAscii16(out message.ModelVersion, allowEmpty: true),
                    _ => reader.Skip(),
                };
            }
            if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, FieldName(key), out error);
        }
        if (!reader.End) return PayloadErrors.Fail(PayloadFault.TrailingBytes, "", out error);
        ulong missing = RequiredKeys & ~reader.SeenKeys;
        if (missing != 0) return PayloadErrors.Fail(PayloadFault.Missing, FieldName((ulong)BitOperations.TrailingZeroCount(missing)), out error);
        return OperationStatus.Done;
    }

    /// <summary>Always keys 1–8; probability as float32 (§4.2), model_version "" when empty.</summary>
    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(8);
        writer.Write(1);
        writer.Write(EventId);
        writer.Write(2);
        writer.Write(Verdict);
        writer.Write(3);
        writer.Write(RiskScore);
        writer.Write(4);
        writer.Write(Probability);
        writer.Write(5);
        writer.Write(Reasons);
        writer.Write(6);
        writer.Write(Source);
        writer.Write(7);
        writer.Write(ElapsedMicroseconds);
        writer.Write(8);
        PayloadWriting.WriteAscii16(ref writer, ModelVersion);
    }

    internal static string FieldName(ulong key) => key switch
    {
        1 => "event_id",
        2 => "verdict",
        3 => "risk_score",
        4 => "probability",
        5 => "reasons",
        6 => "source",
        7 => "elapsed_us",
        8 => "model_version",
        _ => "",
    };
}
