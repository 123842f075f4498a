using System.Globalization;

namespace FraudEdge.Core.Audit;

/// <summary>
/// Sizes and names of the audit log format, version 1 (docs/audit-log.md is the byte-by-byte description; a
/// test checks the two agree). Every integer is little-endian; ids, tokens and hashes are byte strings.
/// Every payload has a fixed size per record type, so a reader checks the length before it looks inside.
/// </summary>
internal static class AuditFormat
{
    public const ushort Version = 1;

    /// <summary>"FEAU": FraudEdge AUdit segment.</summary>
    public static ReadOnlySpan<byte> Magic => "FEAU"u8;

    public const int HeaderLength = 64;

    /// <summary>u16 body length, u16 its complement, u32 CRC-32C of the body.</summary>
    public const int FramePrefixLength = 8;

    /// <summary>type u8, record number u64, written UTC ms i64, previous record's SHA-256.</summary>
    public const int CommonLength = 1 + 8 + 8 + AuditHash.Size;

    public const int EventLength = 125;
    public const int DecisionPayloadLength = EventLength + 32 + 1 + ModelVersionCapacity + 1 + TokenizerCapacity + 4 + 4 + 1 + 1 + 8 + 1 + 4 + 2;
    public const int OutcomePayloadLength = 8 + 16 + 16 + 8 + 1 + 2 + 2;
    public const int ModelLoadedPayloadLength = 1 + 32 + 1 + ModelNameCapacity + 1 + ModelVersionCapacity + 8 + 1 + TokenizerCapacity + 2;
    public const int CheckpointSignedLength = 4 + 8 + 8 + AuditHash.Size;
    public const int CheckpointPayloadLength = CheckpointSignedLength + 1 + 8 + 1 + MaxSignatureLength;
    public const int GapPayloadLength = 4 + 4 + 8 + 8 + AuditHash.Size;

    public const int ModelNameCapacity = 64;
    public const int ModelVersionCapacity = 32;
    public const int TokenizerCapacity = 16;
    /// <summary>An ECDSA P-256 DER signature is a SEQUENCE of two INTEGERs: at most 72 bytes.</summary>
    public const int MaxSignatureLength = 72;

    public const int MaxBodyLength = CommonLength + DecisionPayloadLength;
    public const int MaxFrameLength = FramePrefixLength + MaxBodyLength;
    public const int CheckpointFrameLength = FramePrefixLength + CommonLength + CheckpointPayloadLength;
    public const int GapFrameLength = FramePrefixLength + CommonLength + GapPayloadLength;

    /// <summary>
    /// The writer extends the segment it appends to by this many zero bytes at a time (capped at segment_bytes),
    /// ahead of the records: a bounded tail for recovery to check, a bounded overshoot of max_total_bytes.
    /// </summary>
    public const int PreallocationBytes = 1 << 20;

    private static readonly byte[] ZeroBlock = new byte[64 * 1024];

    /// <summary>64 KiB of zeros, written over and over to preallocate.</summary>
    public static ReadOnlySpan<byte> Zeros => ZeroBlock;

    /// <summary>Prefix of the bytes a checkpoint signature covers (domain separation from any other signed data).</summary>
    public static ReadOnlySpan<byte> CheckpointSignatureDomain => "FEAUCKP1"u8;

    public const byte SignatureNone = 0;
    public const byte SignatureEcdsaP256Sha256 = 1;

    /// <summary>The payload length each record type must have, or -1 for an unknown type.</summary>
    public static int PayloadLength(byte type) => (AuditRecordType)type switch
    {
        AuditRecordType.Decision => DecisionPayloadLength,
        AuditRecordType.Outcome => OutcomePayloadLength,
        AuditRecordType.ModelLoaded => ModelLoadedPayloadLength,
        AuditRecordType.Checkpoint => CheckpointPayloadLength,
        AuditRecordType.Gap => GapPayloadLength,
        _ => -1,
    };

    public const string LockFileName = "audit.lock";

    public static string SegmentFileName(uint segment) => string.Create(CultureInfo.InvariantCulture, $"audit-{segment:D8}.log");

    /// <summary>"audit-NNNNNNNN.log" with exactly eight digits; anything else in the folder is ignored.</summary>
    public static bool TryParseSegmentFileName(ReadOnlySpan<char> name, out uint segment)
    {
        segment = 0;
        if (name.Length != 18 || !name.StartsWith("audit-") || !name.EndsWith(".log")) return false;
        ReadOnlySpan<char> digits = name[6..14];
        foreach (char c in digits) if (!char.IsAsciiDigit(c)) return false;
        return uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out segment) && segment > 0;
    }

    /// <summary>Segment numbers present in <paramref name="directory"/>, ascending.</summary>
    public static List<uint> ListSegments(string directory)
    {
        var numbers = new List<uint>();
        foreach (string path in Directory.EnumerateFiles(directory))
        {
            if (TryParseSegmentFileName(Path.GetFileName(path.AsSpan()), out uint n)) numbers.Add(n);
        }
        numbers.Sort();
        return numbers;
    }
}
