using System.Buffers.Binary;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Storage;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>Logs, records and byte surgery for the audit tests. Cards are token serials: no PAN anywhere.</summary>
internal static class AuditSamples
{
    public const int DecisionFrame = 8 + 49 + 232;
    public const int OutcomeFrame = 8 + 49 + 53;
    /// <summary>Offset of the model SHA-256 inside a decision record's frame (prefix + common + event).</summary>
    public const int ModelShaInFrame = 8 + 49 + 125;

    public static AuditModelStamp Model { get; } =
        AuditModelStamp.Create(new AuditHash(0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444), "fraudedge-slm", "2026.11.28", "0123456789abcdef");

    /// <summary>
    /// Options for the tests' logs. Unsealed by default: most tests cut, flip or move bytes of a log as a writer that
    /// died (or is still running) leaves it, with the newest segment open; AuditSealTests covers the clean close.
    /// </summary>
    public static AuditLogOptions Options(string directory, long segmentBytes = 1L << 20, long maxTotalBytes = 1L << 30,
        AuditDurability durability = AuditDurability.GroupCommit, P256PrivateKey? signingKey = null, bool sealOnClose = false) => new()
        {
            Directory = directory, SegmentBytes = segmentBytes, MaxTotalBytes = maxTotalBytes, Durability = durability, GroupCommitMs = 2,
            CheckpointSigningKey = signingKey, SealOnClose = sealOnClose,
        };

    public static TransactionEvent Event(int i)
    {
        var e = Samples.Purchase((ulong)i + 1, card: 1 + i % 40, amountMinor: 150 + i * 7919 % 25_000, at: Samples.Noon + i * 20_000L);
        e.Atc = (ushort)(i / 40 + 1);
        return e;
    }

    public static Decision DecisionFor(int i) => new()
    {
        EventId = (ulong)i + 1, Verdict = (Verdict)(1 + i % 3), RiskScore = (byte)(1 + i % 99), Probability = 0.001f * (i % 1000),
        Logit = -4f + 0.01f * i, Reasons = (ReasonCode)(1UL << (i % 20)), Source = i % 11 == 0 ? DecisionSource.RulesDeadlineExceeded : DecisionSource.Model,
        ElapsedMicroseconds = 90 + i % 60, Rejection = ValidationResult.Ok,
    };

    public static OutcomeNotice Notice(int i) => new()
    {
        EventId = (ulong)i, TerminalId = TerminalId.Parse("T0001"), CardToken = Samples.Card(1 + i % 40), TimestampUtcMs = Samples.Noon + i * 20_000L + 900,
        Kind = OutcomeKind.IssuerResponse, ResponseCode = OutcomeNotice.PackResponseCode("05"),
    };

    /// <summary>Writes <paramref name="count"/> records (decisions, every fifth an outcome), then closes the log.</summary>
    public static void Write(AuditLogOptions options, int count)
    {
        using var log = AuditLog.Open(options);
        Append(log, 0, count);
    }

    public static void Append(AuditLog log, int from, int count)
    {
        for (int i = from; i < from + count; i++)
        {
            if (i % 5 == 4) log.AppendOutcome(Notice(i), ValidationErrorCode.None);
            else log.AppendDecision(Event(i), DecisionFor(i), Model);
        }
    }

    public static List<AuditRecord> ReadAll(string directory) => [.. AuditReader.ReadAll(directory)];

    public static string SegmentPath(string directory, uint segment) => Path.Combine(directory, $"audit-{segment:D8}.log");

    /// <summary>Copies every segment of <paramref name="from"/> into a fresh folder.</summary>
    public static void CopySegments(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from, "audit-*.log")) File.Copy(f, Path.Combine(to, Path.GetFileName(f)), overwrite: true);
    }

    /// <summary>Recomputes a record's CRC-32C after its body was edited, as an attacker would.</summary>
    public static void FixCrc(byte[] segment, long offset)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(segment.AsSpan((int)offset));
        uint crc = Crc32C.Update(0, segment.AsSpan((int)offset + 8, length));
        BinaryPrimitives.WriteUInt32LittleEndian(segment.AsSpan((int)offset + 4), crc);
    }

    public static int FrameLength(byte[] segment, long offset) => 8 + BinaryPrimitives.ReadUInt16LittleEndian(segment.AsSpan((int)offset));
}
