using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Tests.Bundles;
using FraudEdge.Core.Tests.Crypto;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>
/// Round trip: any sequence of records, written with any segment size (rotation, deletion, reopening, explicit
/// checkpoints), reads back as the same records and verifies. Corruption: any byte flipped anywhere in a written
/// log is reported — never passed, never thrown — at the record (or header) that holds it.
/// </summary>
public sealed class AuditProperties
{
    /// <summary>One thing a caller can append, with what it should read back as.</summary>
    public sealed record Entry(AuditRecordType Type, TransactionEvent Event, Decision Decision, OutcomeNotice Notice,
        ValidationErrorCode Rejection, int Model, AuditModelChange Change, BundleErrorCode? Refusal, bool ReopenAfter, bool CloseAfter);

    private static readonly AuditModelStamp[] Models =
    [
        AuditSamples.Model,
        AuditModelStamp.None,
        AuditModelStamp.Create(new AuditHash(ulong.MaxValue, 1, 2, 3), "an-unusually-long-model-name-that-is-still-under-sixty-four-b", "v-exactly-thirty-two-characters!", "fedcba9876543210"),
    ];

    private static Gen<ulong> Any64 => Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32) | (uint)t.Item2);

    /// <summary>Events as received: every field anything its type can hold (the log keeps invalid events too).</summary>
    private static Gen<TransactionEvent> AnyEvent =>
        Gen.ArrayOf(Any64, 20).Select(r => new TransactionEvent
        {
            EventId = r[0], TerminalId = new TerminalId(new UInt128(r[1], r[2])), MerchantId = new MerchantId(new UInt128(r[3], r[4])),
            Lane = (ushort)r[5], OperatorId = (uint)(r[5] >> 16), TimestampUtcMs = (long)r[6], LocalOffsetMinutes = (short)r[7],
            Kind = (TransactionKind)(byte)(r[7] >> 16), AmountMinor = (long)r[8], CashbackMinor = (long)r[9], CurrencyCode = (ushort)r[10],
            MerchantCategoryCode = (ushort)(r[10] >> 16), TerminalCountry = (ushort)(r[10] >> 32), CardToken = new CardToken(new UInt128(r[11], r[12])),
            Bin = new Bin((uint)r[13], (byte)(r[13] >> 32)), LastFour = (ushort)r[14], Scheme = (CardScheme)(byte)(r[14] >> 16),
            CardType = (CardType)(byte)(r[14] >> 24), IssuerCountry = (ushort)(r[14] >> 32), ExpiryYyMm = (ushort)(r[14] >> 48),
            ServiceCode = (ushort)r[15], EntryMode = (EntryMode)(byte)(r[15] >> 16), Cvm = (CardholderVerification)(byte)(r[15] >> 24),
            Atc = (ushort)(r[15] >> 32), HasAtc = (r[15] >> 48 & 1) == 1, Tvr = (TerminalVerificationResults)r[16],
            Cryptogram = (CryptogramType)(byte)r[17], Attended = (r[17] >> 8 & 1) == 1,
        });

    private static Gen<Decision> AnyDecision =>
        Gen.ArrayOf(Any64, 4).Select(r => new Decision
        {
            EventId = r[0], Verdict = (Verdict)(byte)r[1], RiskScore = (byte)(r[1] >> 8), Logit = BitConverter.UInt32BitsToSingle((uint)r[2]),
            Probability = BitConverter.UInt32BitsToSingle((uint)(r[2] >> 32)), Reasons = (ReasonCode)r[3], Source = (DecisionSource)(byte)(r[1] >> 16),
            ElapsedMicroseconds = (int)(r[1] >> 24), Rejection = new ValidationResult((ValidationErrorCode)(ushort)(r[1] >> 56), "", ""),
        });

    private static Gen<OutcomeNotice> AnyNotice =>
        Gen.ArrayOf(Any64, 5).Select(r => new OutcomeNotice
        {
            EventId = r[0], TerminalId = new TerminalId(new UInt128(r[1], r[2])), CardToken = new CardToken(new UInt128(r[3], r[4])),
            TimestampUtcMs = (long)r[1] ^ (long)r[4], Kind = (OutcomeKind)(byte)r[2], ResponseCode = (ushort)(r[3] >> 8),
        });

    private static Gen<Entry> AnyEntry =>
        from type in Gen.Frequency((6, Gen.Constant(AuditRecordType.Decision)), (3, Gen.Constant(AuditRecordType.Outcome)), (1, Gen.Constant(AuditRecordType.ModelLoaded)))
        from evt in AnyEvent
        from decision in AnyDecision
        from notice in AnyNotice
        from rejection in Gen.Elements(ValidationErrorCode.None, ValidationErrorCode.InvalidBin, ValidationErrorCode.ResponseCodeNotAllowed)
        from model in Gen.Choose(0, Models.Length - 1)
        from change in Gen.Elements(AuditModelChange.EngineStart, AuditModelChange.Reload)
        from refusal in Gen.Elements<BundleErrorCode?>(null, BundleErrorCode.SignatureInvalid)
        from reopen in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
        from close in Gen.Frequency((15, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Entry(type, evt, decision, notice, rejection, model, change, refusal, reopen, close);

    public static Arbitrary<(Entry[] Entries, long SegmentBytes, long MaxTotalBytes, AuditDurability Durability)> Logs =>
        (from entries in Gen.ListOf(AnyEntry).Select(l => l.ToArray())
         from segment in Gen.Elements(1024L, 2048L, 4096L, 1L << 20)
         from total in Gen.Elements(2L, 3L, 1000L)
         from durability in Gen.Elements(AuditDurability.GroupCommit, AuditDurability.FsyncEachRecord)
         select (entries, segment, segment * total, durability)).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property Any_records_written_read_back_the_same_and_verify() =>
        Prop.ForAll(Logs, log =>
        {
            using var temp = new TempDirectory();
            var options = AuditSamples.Options(temp.Path, log.SegmentBytes, log.MaxTotalBytes, log.Durability);
            var numbers = new ulong[log.Entries.Length];
            AuditLog writer = AuditLog.Open(options);
            try
            {
                for (int i = 0; i < log.Entries.Length; i++)
                {
                    Entry e = log.Entries[i];
                    numbers[i] = e.Type switch
                    {
                        AuditRecordType.Decision => writer.AppendDecision(e.Event, e.Decision, Models[e.Model]),
                        AuditRecordType.Outcome => writer.AppendOutcome(e.Notice, e.Rejection),
                        _ => writer.AppendModelLoaded(e.Change, Models[e.Model], e.Refusal),
                    };
                    if (e.CloseAfter) writer.CloseSegment();
                    if (e.ReopenAfter)
                    {
                        writer.Dispose();
                        writer = AuditLog.Open(options);
                        Assert.False(writer.Recovery.TornTail);
                    }
                }
            }
            finally
            {
                writer.Dispose();
            }

            AuditVerifyReport report = AuditVerifier.Verify(temp.Path);
            Assert.True(report.Intact, report.Problem?.ToString());
            var read = new Dictionary<ulong, AuditRecord>();
            ulong expected = report.FirstRecord;
            foreach (AuditRecord r in AuditReader.ReadAll(temp.Path))
            {
                Assert.Equal(expected++, r.Number);
                read[r.Number] = r;
            }
            bool rotatedAway = report.Gaps.Count > 0;
            Assert.Equal(rotatedAway, !report.StartsAtGenesis);
            for (int i = 0; i < log.Entries.Length; i++)
            {
                if (!read.TryGetValue(numbers[i], out AuditRecord r))
                {
                    Assert.True(rotatedAway && numbers[i] < report.FirstRecord, $"record {numbers[i]} missing");
                    continue;
                }
                AssertSame(log.Entries[i], r);
            }
            return true;
        });

    private static void AssertSame(Entry e, AuditRecord r)
    {
        Assert.Equal(e.Type, r.Type);
        AuditModelStamp model = Models[e.Model];
        switch (e.Type)
        {
            case AuditRecordType.Decision:
                AuditDecision d = r.Decision;
                Assert.Equal(e.Event, d.Event);
                Assert.Equal(model.ManifestSha256, d.ModelSha256);
                Assert.Equal(model.Version, d.ModelVersion);
                Assert.Equal("fe-tok-1", d.Tokenizer);
                Assert.Equal(BitConverter.SingleToUInt32Bits(e.Decision.Logit), d.LogitBits);
                Assert.Equal(BitConverter.SingleToUInt32Bits(e.Decision.Probability), d.ProbabilityBits);
                Assert.Equal(e.Decision.RiskScore, d.RiskScore);
                Assert.Equal(e.Decision.Verdict, d.Verdict);
                Assert.Equal(e.Decision.Reasons, d.Reasons);
                Assert.Equal(e.Decision.Source, d.Source);
                Assert.Equal(e.Decision.ElapsedMicroseconds, d.ElapsedMicroseconds);
                Assert.Equal(e.Decision.Rejection.Code, d.Rejection);
                break;
            case AuditRecordType.Outcome:
                Assert.Equal(e.Notice, r.Outcome.Notice);
                Assert.Equal(e.Rejection, r.Outcome.Rejection);
                break;
            default:
                AuditModelLoaded m = r.ModelLoaded!;
                Assert.Equal(e.Change, m.Change);
                Assert.Equal(model.ManifestSha256, m.ManifestSha256);
                Assert.Equal(model.Name, m.Name);
                Assert.Equal(model.Version, m.Version);
                Assert.Equal(model.SigningKeyId, m.SigningKeyId);
                Assert.Equal("fe-tok-1", m.Tokenizer);
                Assert.Equal(e.Refusal, m.Refusal);
                break;
        }
    }

    /// <summary>A three-segment signed-checkpoint log written once; each case damages a copy of it.</summary>
    private static readonly Lazy<(string Directory, List<AuditRecord> Records)> Pristine = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "fraudedge-audit-pristine-" + Guid.NewGuid().ToString("N"));
        using P256PrivateKey key = TestKeys.NewPrivateKey();
        AuditSamples.Write(AuditSamples.Options(dir, segmentBytes: 4096, signingKey: key), 40);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        return (dir, AuditSamples.ReadAll(dir));
    });

    [Property(MaxTest = 300)]
    public bool Any_flipped_byte_is_reported_at_the_record_that_holds_it(uint position, byte mask)
    {
        if (mask == 0) mask = 0x80;
        var (pristine, records) = Pristine.Value;
        List<uint> segments = AuditFormat.ListSegments(pristine);
        long total = 0;
        foreach (uint s in segments) total += new FileInfo(AuditSamples.SegmentPath(pristine, s)).Length;
        long at = position % total;
        uint segment = segments[0];
        foreach (uint s in segments)
        {
            segment = s;
            long length = new FileInfo(AuditSamples.SegmentPath(pristine, s)).Length;
            if (at < length) break;
            at -= length;
        }

        using var temp = new TempDirectory();
        AuditSamples.CopySegments(pristine, temp.Path);
        string path = AuditSamples.SegmentPath(temp.Path, segment);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[at] ^= mask;
        File.WriteAllBytes(path, bytes);

        AuditVerifyReport report = AuditVerifier.Verify(temp.Path); // must not throw
        if (report.Intact) return false;
        // Reported exactly where the damage is: the header (offset 0) or the record whose bytes were changed.
        long expectedOffset = 0;
        if (at >= AuditFormat.HeaderLength)
            expectedOffset = records.FindLast(r => r.Segment == segment && r.Offset <= at).Offset;
        return report.Problem!.Segment == segment && report.Problem.Offset == expectedOffset;
    }

    [Property(MaxTest = 100)]
    public bool Any_segment_cut_short_is_reported(uint position, uint which)
    {
        var (pristine, records) = Pristine.Value;
        List<uint> segments = AuditFormat.ListSegments(pristine);
        uint segment = segments[(int)(which % (uint)segments.Count)];
        long length = new FileInfo(AuditSamples.SegmentPath(pristine, segment)).Length;
        long cut = position % length;
        // Cutting the newest segment exactly between two records is what no chain can see (docs: anchor HeadHash).
        if (segment == segments[^1] && (cut == AuditFormat.HeaderLength || records.Exists(r => r.Segment == segment && r.Offset == cut))) return true;
        using var temp = new TempDirectory();
        AuditSamples.CopySegments(pristine, temp.Path);
        using (var f = File.OpenWrite(AuditSamples.SegmentPath(temp.Path, segment))) f.SetLength(cut);
        return !AuditVerifier.Verify(temp.Path).Intact;
    }
}
