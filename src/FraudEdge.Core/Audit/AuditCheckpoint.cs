namespace FraudEdge.Core.Audit;

/// <summary>
/// The record that closes a segment: the segment's number and record range, the SHA-256 of its last record before
/// the checkpoint (which, through the chain, commits to every record before it), and optionally an ECDSA P-256
/// signature over those fields. Layout: docs/audit-log.md, "Checkpoint".
/// </summary>
public sealed record AuditCheckpoint
{
    public uint Segment { get; init; }
    public ulong FirstRecord { get; init; }
    /// <summary>The record before this checkpoint (the checkpoint's own number minus one).</summary>
    public ulong LastRecord { get; init; }
    public AuditHash HeadHash { get; init; }
    public bool IsSigned => Signature.Length > 0;
    /// <summary>Id of the signing key (first 16 hex characters of SHA-256 over its SubjectPublicKeyInfo), or "".</summary>
    public string SigningKeyId { get; init; } = "";
    /// <summary>DER ECDSA P-256 signature over <see cref="SignedBytes"/> with SHA-256; empty when unsigned.</summary>
    public byte[] Signature { get; init; } = [];

    /// <summary>The exact bytes the signature covers: "FEAUCKP1" then the first 52 bytes of the payload.</summary>
    public byte[] SignedBytes()
    {
        var bytes = new byte[AuditFormat.CheckpointSignatureDomain.Length + AuditFormat.CheckpointSignedLength];
        WriteSignedBytes(bytes, Segment, FirstRecord, LastRecord, HeadHash);
        return bytes;
    }

    internal static int WriteSignedBytes(Span<byte> destination, uint segment, ulong first, ulong last, in AuditHash head)
    {
        var w = new LayoutWriter(destination);
        w.Raw(AuditFormat.CheckpointSignatureDomain);
        w.U32(segment);
        w.U64(first);
        w.U64(last);
        w.Hash(head);
        return w.Offset;
    }

    internal static void Write(ref LayoutWriter w, uint segment, ulong first, ulong last, in AuditHash head,
        scoped ReadOnlySpan<byte> keyId, scoped ReadOnlySpan<byte> signature)
    {
        w.U32(segment);
        w.U64(first);
        w.U64(last);
        w.Hash(head);
        w.U8(signature.IsEmpty ? AuditFormat.SignatureNone : AuditFormat.SignatureEcdsaP256Sha256);
        if (signature.IsEmpty) w.Zeros(8);
        else w.Raw(keyId);
        w.U8((byte)signature.Length);
        w.Raw(signature);
        w.Zeros(AuditFormat.MaxSignatureLength - signature.Length);
    }

    /// <summary>Null when the payload is well formed, else what is wrong.</summary>
    internal static string? Read(ref LayoutReader r, out AuditCheckpoint checkpoint)
    {
        uint segment = r.U32();
        ulong first = r.U64();
        ulong last = r.U64();
        AuditHash head = r.Hash();
        byte algorithm = r.U8();
        ReadOnlySpan<byte> keyId = r.Raw(8);
        int length = r.U8();
        ReadOnlySpan<byte> signature = r.Raw(AuditFormat.MaxSignatureLength);
        checkpoint = new AuditCheckpoint { Segment = segment, FirstRecord = first, LastRecord = last, HeadHash = head };
        if (algorithm == AuditFormat.SignatureNone)
            return length == 0 ? null : "checkpoint says unsigned but carries a signature length";
        if (algorithm != AuditFormat.SignatureEcdsaP256Sha256) return "checkpoint names an unknown signature algorithm";
        if (length is < 8 or > AuditFormat.MaxSignatureLength) return "checkpoint signature length is impossible for ECDSA P-256";
        checkpoint = checkpoint with { SigningKeyId = Convert.ToHexStringLower(keyId), Signature = signature[..length].ToArray() };
        return null;
    }
}
