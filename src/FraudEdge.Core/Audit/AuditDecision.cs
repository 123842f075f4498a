using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;

namespace FraudEdge.Core.Audit;

/// <summary>
/// A decision record's payload: the event exactly as received (card token, BIN and last four — the event has no
/// PAN field, so the log cannot hold one), the model in force, the tokenizer, the score's exact bits and what the
/// caller was answered. Layout: docs/audit-log.md, "Decision".
/// </summary>
public readonly record struct AuditDecision
{
    public TransactionEvent Event { get; init; }
    /// <summary>SHA-256 of the bundle's manifest.json; zero when no model was loaded (rules only).</summary>
    public AuditHash ModelSha256 { get; init; }
    public string ModelVersion { get; init; }
    public string Tokenizer { get; init; }
    /// <summary>The model's raw output as IEEE 754 bits (NaN bits when the rules decided): replay compares bits.</summary>
    public uint LogitBits { get; init; }
    public uint ProbabilityBits { get; init; }
    public byte RiskScore { get; init; }
    public Verdict Verdict { get; init; }
    public ReasonCode Reasons { get; init; }
    /// <summary>Who decided: <see cref="DecisionSource.Model"/> or which rules fallback (the fallback flag).</summary>
    public DecisionSource Source { get; init; }
    public int ElapsedMicroseconds { get; init; }
    /// <summary>Why the event was refused; <see cref="ValidationErrorCode.None"/> for decided events.</summary>
    public ValidationErrorCode Rejection { get; init; }

    public float Logit => BitConverter.UInt32BitsToSingle(LogitBits);
    public float Probability => BitConverter.UInt32BitsToSingle(ProbabilityBits);
    public bool IsRejected => Rejection != ValidationErrorCode.None;
    public bool IsFallback => Source != DecisionSource.Model;

    internal static void Write(ref LayoutWriter w, in TransactionEvent evt, in Decision decision, AuditModelStamp model)
    {
        WriteEvent(ref w, evt);
        w.Hash(model.ManifestSha256);
        w.Text(model.VersionBytes, AuditFormat.ModelVersionCapacity);
        w.Text(TokenizerBytes, AuditFormat.TokenizerCapacity);
        w.U32(BitConverter.SingleToUInt32Bits(decision.Logit));
        w.U32(BitConverter.SingleToUInt32Bits(decision.Probability));
        w.U8(decision.RiskScore);
        w.U8((byte)decision.Verdict);
        w.U64((ulong)decision.Reasons);
        w.U8((byte)decision.Source);
        w.I32(decision.ElapsedMicroseconds);
        w.U16((ushort)decision.Rejection.Code);
    }

    internal static AuditDecision Read(ref LayoutReader r, AuditTextCache versions, AuditTextCache tokenizers) => new()
    {
        Event = ReadEvent(ref r),
        ModelSha256 = r.Hash(),
        ModelVersion = versions.Get(r.Text(AuditFormat.ModelVersionCapacity)),
        Tokenizer = tokenizers.Get(r.Text(AuditFormat.TokenizerCapacity)),
        LogitBits = r.U32(),
        ProbabilityBits = r.U32(),
        RiskScore = r.U8(),
        Verdict = (Verdict)r.U8(),
        Reasons = (ReasonCode)r.U64(),
        Source = (DecisionSource)r.U8(),
        ElapsedMicroseconds = r.I32(),
        Rejection = (ValidationErrorCode)r.U16(),
    };

    /// <summary>The fe-tok-1 version string, encoded once.</summary>
    internal static byte[] TokenizerBytes { get; } = System.Text.Encoding.ASCII.GetBytes(Tokenization.Tokenizer.Version);

    /// <summary>Every field of the event in declaration order (125 bytes). Raw: invalid values are kept as received.</summary>
    internal static void WriteEvent(ref LayoutWriter w, in TransactionEvent e)
    {
        w.U64(e.EventId);
        w.Bytes16(e.TerminalId.Packed);
        w.Bytes16(e.MerchantId.Packed);
        w.U16(e.Lane);
        w.U32(e.OperatorId);
        w.I64(e.TimestampUtcMs);
        w.I16(e.LocalOffsetMinutes);
        w.U8((byte)e.Kind);
        w.I64(e.AmountMinor);
        w.I64(e.CashbackMinor);
        w.U16(e.CurrencyCode);
        w.U16(e.MerchantCategoryCode);
        w.U16(e.TerminalCountry);
        w.Bytes16(e.CardToken.Value);
        w.U32(e.Bin.Digits);
        w.U8(e.Bin.Length);
        w.U16(e.LastFour);
        w.U8((byte)e.Scheme);
        w.U8((byte)e.CardType);
        w.U16(e.IssuerCountry);
        w.U16(e.ExpiryYyMm);
        w.U16(e.ServiceCode);
        w.U8((byte)e.EntryMode);
        w.U8((byte)e.Cvm);
        w.U16(e.Atc);
        w.Bool(e.HasAtc);
        w.U64((ulong)e.Tvr);
        w.U8((byte)e.Cryptogram);
        w.Bool(e.Attended);
    }

    internal static TransactionEvent ReadEvent(ref LayoutReader r) => new()
    {
        EventId = r.U64(),
        TerminalId = new TerminalId(r.Bytes16()),
        MerchantId = new MerchantId(r.Bytes16()),
        Lane = r.U16(),
        OperatorId = r.U32(),
        TimestampUtcMs = r.I64(),
        LocalOffsetMinutes = r.I16(),
        Kind = (TransactionKind)r.U8(),
        AmountMinor = r.I64(),
        CashbackMinor = r.I64(),
        CurrencyCode = r.U16(),
        MerchantCategoryCode = r.U16(),
        TerminalCountry = r.U16(),
        CardToken = new CardToken(r.Bytes16()),
        Bin = new Bin(r.U32(), r.U8()),
        LastFour = r.U16(),
        Scheme = (CardScheme)r.U8(),
        CardType = (CardType)r.U8(),
        IssuerCountry = r.U16(),
        ExpiryYyMm = r.U16(),
        ServiceCode = r.U16(),
        EntryMode = (EntryMode)r.U8(),
        Cvm = (CardholderVerification)r.U8(),
        Atc = r.U16(),
        HasAtc = r.Bool(),
        Tvr = (TerminalVerificationResults)r.U64(),
        Cryptogram = (CryptogramType)r.U8(),
        Attended = r.Bool(),
    };
}
