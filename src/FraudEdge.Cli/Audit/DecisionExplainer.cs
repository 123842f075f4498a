using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Cli.Audit;

/// <summary>What to explain a decision with (docs/audit-log.md, "Explain").</summary>
public sealed record ExplainOptions
{
    /// <summary>Profile of the recording device: history capacities and thresholds must match.</summary>
    public required Core.Profiles.HardwareProfile Profile { get; init; }
    /// <summary>Bundle folder; null: the shipped bundle embedded in FraudEdge.Core.</summary>
    public string? ModelDirectory { get; init; }
    public TrustedKeys? TrustedKeys { get; init; }
}

/// <summary>Why an explanation could not be given.</summary>
public enum ExplainFailure
{
    None,
    /// <summary>The log failed verification.</summary>
    BrokenLog,
    /// <summary>The record number is not in the log.</summary>
    OutOfRange,
    /// <summary>The record is not a decision (an outcome notice, a model change, a checkpoint...).</summary>
    NotADecision,
}

/// <summary>One token of a group: its sequence position, id and vocabulary name.</summary>
public readonly record struct ExplainToken(int Position, int Id, string Name);

/// <summary>One field group's occlusion result: the decision with the group's tokens replaced by [UNK].</summary>
public sealed record GroupAttribution
{
    public required string Group { get; init; }
    public required IReadOnlyList<ExplainToken> Tokens { get; init; }
    /// <summary>Calibrated probability with the group occluded.</summary>
    public double ProbabilityWithout { get; init; }
    public byte RiskScoreWithout { get; init; }
    public Verdict VerdictWithout { get; init; }
    /// <summary>Full probability minus probability without the group: positive = the group pushed the risk up.</summary>
    public double DeltaProbability { get; init; }
    public int DeltaRiskScore { get; init; }
}

public sealed record ExplainReport
{
    public required string Directory { get; init; }
    public ulong RecordNumber { get; init; }
    public ExplainFailure Failure { get; init; }
    public string? FailureMessage { get; init; }
    public AuditProblem? Problem { get; init; }
    public string Model { get; init; } = "";
    public string ModelSha256 { get; init; } = "";
    public string Profile { get; init; } = "";
    public TransactionEvent Event { get; init; }
    public AuditDecision Recorded { get; init; }
    public Decision Replayed { get; init; }
    /// <summary>The replayed decision equals the recorded one (rejection, verdict, score, source, reasons, logit and probability bits).</summary>
    public bool Reproduced { get; init; }
    /// <summary>The record was written under another model than the explaining bundle.</summary>
    public bool DifferentModel { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Set when the recorded decision came from the model and the event was tokenized: attributions follow.</summary>
    public bool OcclusionApplies { get; init; }
    public string? OcclusionNote { get; init; }
    /// <summary>The full sequence's calibrated probability and score (the replayed decision's).</summary>
    public double Probability { get; init; }
    public byte RiskScore { get; init; }
    /// <summary>Ranked by |DeltaProbability|, descending.</summary>
    public IReadOnlyList<GroupAttribution> Attributions { get; init; } = [];
}

/// <summary>
/// `fraudedge explain`: verifies an audit log, replays it up to a decision record (history as it was when the
/// device decided), re-evaluates that record's event and explains it: its reason codes, and for a model decision
/// an attribution per field group by occlusion — the group's tokens replaced by [UNK] ([CLS] and [PAD] kept),
/// rescored through the same ONNX Runtime session and calibrated, the shift in probability and risk score ranked
/// by magnitude.
/// </summary>
public static class DecisionExplainer
{
    /// <summary>The field groups, in report order (ties keep this order). Every <see cref="TokenField"/> is in exactly one.</summary>
    public static IReadOnlyList<(string Name, TokenField[] Fields)> Groups { get; } =
    [
        ("amount", [TokenField.AmountBucket, TokenField.AmountVsUsual, TokenField.RoundAmount, TokenField.Cashback]),
        ("time", [TokenField.LocalHour, TokenField.Weekday, TokenField.SinceCardLastSeen, TokenField.SinceTerminalPrevious]),
        ("merchant", [TokenField.MerchantGroup, TokenField.Attended]),
        ("entry_mode_cvm", [TokenField.EntryMode, TokenField.EntryVsChip, TokenField.Cvm, TokenField.CvmVsAmount]),
        ("card", [TokenField.ForeignCard, TokenField.CardType, TokenField.Scheme, TokenField.Expiry]),
        ("emv", [TokenField.AtcDelta, TokenField.TvrOfflineAuth, TokenField.TvrCardholderVerification, TokenField.TvrRestrictions,
            TokenField.TvrRiskManagement, TokenField.Cryptogram]),
        ("card_velocity", [TokenField.CardVelocity10Min, TokenField.CardVelocity1Hour, TokenField.CardVelocity24Hours, TokenField.CardDeclines24Hours]),
        ("terminal_bursts", [TokenField.TerminalDistinctCards10Min, TokenField.TerminalDeclines10Min, TokenField.TerminalSmallAmounts10Min]),
        ("bin_bursts", [TokenField.BinDistinctCards10Min, TokenField.BinDeclines10Min]),
        ("risk", [TokenField.CardRisk, TokenField.TerminalRisk]),
        ("kind_refunds_operator", [TokenField.Kind, TokenField.RefundContext, TokenField.OperatorRefunds24Hours, TokenField.OperatorUnmatchedRefunds24Hours]),
        ("recent_terminal_events", [TokenField.RecentGapAndLink, TokenField.RecentAmountAndOutcome]),
    ];

    /// <summary>Sequence positions of a group's fields (the recent-event fields: every one of their 8 positions).</summary>
    public static int[] Positions(TokenField[] fields)
    {
        var positions = new List<int>();
        foreach (TokenField f in fields)
        {
            if (f == TokenField.RecentGapAndLink || f == TokenField.RecentAmountAndOutcome)
            {
                int offset = f == TokenField.RecentGapAndLink ? 0 : 1;
                for (int p = Tokenizer.RecentStart + offset; p < Tokenizer.SequenceLength; p += Tokenizer.RecentGroupLength) positions.Add(p);
            }
            else
            {
                positions.Add(Tokenizer.PositionOf(f));
            }
        }
        positions.Sort();
        return [.. positions];
    }

    public static ExplainReport Explain(string directory, ulong recordNumber, ExplainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string fullPath = Path.GetFullPath(directory);
        AuditVerifyReport verified = AuditVerifier.Verify(directory);
        if (!verified.Intact)
            return new ExplainReport
            {
                Directory = fullPath, RecordNumber = recordNumber, Failure = ExplainFailure.BrokenLog, Problem = verified.Problem,
                FailureMessage = $"the log is broken: {verified.Problem!.Kind}: {verified.Problem.Message}",
            };
        if (verified.Records == 0 || recordNumber < verified.FirstRecord || recordNumber > verified.LastRecord)
            return new ExplainReport
            {
                Directory = fullPath, RecordNumber = recordNumber, Failure = ExplainFailure.OutOfRange,
                FailureMessage = verified.Records == 0 ? $"record {recordNumber} is out of range: the log holds no records"
                    : $"record {recordNumber} is out of range: the log holds records {verified.FirstRecord}-{verified.LastRecord}",
            };

        // No deadline: a slow machine must not turn the model's answer into a rules fallback.
        options.Profile.Scoring.DeadlineMicroseconds = 0;
        using var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = options.Profile, ModelDirectory = options.ModelDirectory, TrustedKeys = options.TrustedKeys,
        });
        if (engine.Model is null) throw engine.ModelRefusal ?? new BundleException(BundleErrorCode.NoTrustedKeys, "no model loaded");
        AuditHash bundle = AuditHash.ParseHex(engine.Model.ManifestSha256);
        string model = $"{engine.Model.Manifest.Name} {engine.Model.Manifest.Version}";

        var warnings = new List<string>();
        if (!verified.StartsAtGenesis)
            warnings.Add("the log does not start at record 1 (rotation): the history before it is unknown, the replayed decision may differ");
        using var reader = new AuditReader(directory);
        while (reader.Read(out AuditRecord record) == AuditReadResult.Record)
        {
            if (record.Number < recordNumber)
            {
                // As `fraudedge replay` does: refused notices never touched the history; engine restarts keep it.
                if (record.Type == AuditRecordType.Outcome && !record.Outcome.IsRejected) engine.Record(record.Outcome.Notice);
                else if (record.Type == AuditRecordType.Decision) engine.Evaluate(record.Decision.Event);
                continue;
            }
            if (record.Type != AuditRecordType.Decision)
                return new ExplainReport
                {
                    Directory = fullPath, RecordNumber = recordNumber, Failure = ExplainFailure.NotADecision,
                    FailureMessage = $"record {recordNumber} is {(record.Type == AuditRecordType.Outcome ? "an outcome notice" : $"a {record.Type} record")}, not a decision",
                };
            return ExplainDecision(engine, record.Decision, bundle, warnings) with
            {
                Directory = fullPath, RecordNumber = recordNumber, Model = model, ModelSha256 = bundle.ToString(), Profile = options.Profile.Name,
            };
        }
        var problem = reader.Problem;
        return new ExplainReport
        {
            Directory = fullPath, RecordNumber = recordNumber, Failure = problem is null ? ExplainFailure.OutOfRange : ExplainFailure.BrokenLog,
            Problem = problem, FailureMessage = problem is null ? $"record {recordNumber} was not found" : $"the log is broken: {problem.Kind}: {problem.Message}",
        };
    }

    private static ExplainReport ExplainDecision(FraudEngine engine, AuditDecision recorded, AuditHash bundle, List<string> warnings)
    {
        Decision replayed = engine.Evaluate(recorded.Event);
        bool reproduced = recorded.Rejection == replayed.Rejection.Code && recorded.Verdict == replayed.Verdict && recorded.RiskScore == replayed.RiskScore
            && recorded.Source == replayed.Source && recorded.Reasons == replayed.Reasons
            && recorded.LogitBits == BitConverter.SingleToUInt32Bits(replayed.Logit)
            && recorded.ProbabilityBits == BitConverter.SingleToUInt32Bits(replayed.Probability);
        bool differentModel = recorded.Source == DecisionSource.Model && recorded.ModelSha256 != bundle;
        if (differentModel)
            warnings.Add($"the decision was recorded under model {recorded.ModelVersion} ({recorded.ModelSha256}), not this bundle: the explanation is this bundle's");
        if (!reproduced)
            warnings.Add("the replayed decision does not reproduce the recorded one; the explanation is of the replayed decision");
        var report = new ExplainReport
        {
            Directory = "", Event = recorded.Event, Recorded = recorded, Replayed = replayed, Reproduced = reproduced, DifferentModel = differentModel,
            Warnings = warnings,
        };
        if (recorded.IsRejected || replayed.IsRejected)
            return report with { OcclusionNote = "the event was rejected by validation: it was never tokenized or scored, occlusion does not apply" };
        if (recorded.Source != DecisionSource.Model)
            return report with { OcclusionNote = $"the decision was made by the rules ({recorded.Source}), not the model: reason codes only, occlusion does not apply" };

        Span<int> full = stackalloc int[Tokenizer.SequenceLength];
        engine.CopyLastTokens(full);
        if (engine.ScoreTokens(full, out Decision baseline) != ScoreStatus.Ok)
            return report with { OcclusionNote = "the model failed to score the event's tokens: occlusion does not apply" };
        double p = baseline.Probability;

        var attributions = new List<GroupAttribution>(Groups.Count);
        Span<int> occluded = stackalloc int[Tokenizer.SequenceLength];
        foreach (var (name, fields) in Groups)
        {
            full.CopyTo(occluded);
            var tokens = new List<ExplainToken>();
            foreach (int pos in Positions(fields))
            {
                int id = full[pos];
                if (id is Vocabulary.Pad or Vocabulary.Cls) continue; // an empty recent-event slot stays padding
                tokens.Add(new ExplainToken(pos, id, Vocabulary.Describe(id)));
                occluded[pos] = Vocabulary.Unk;
            }
            Decision without = baseline;
            if (tokens.Count > 0 && engine.ScoreTokens(occluded, out without) != ScoreStatus.Ok)
                return report with { OcclusionNote = $"the model failed to score the event with group {name} occluded: occlusion not completed" };
            attributions.Add(new GroupAttribution
            {
                Group = name, Tokens = tokens, ProbabilityWithout = without.Probability, RiskScoreWithout = without.RiskScore,
                VerdictWithout = without.Verdict, DeltaProbability = p - without.Probability, DeltaRiskScore = baseline.RiskScore - without.RiskScore,
            });
        }
        // Stable: equal magnitudes keep the group order.
        GroupAttribution[] ranked = [.. attributions.OrderByDescending(a => Math.Abs(a.DeltaProbability))];
        return report with { OcclusionApplies = true, Probability = p, RiskScore = baseline.RiskScore, Attributions = ranked };
    }
}
