using System.Text.Json;
using FraudEdge.Cli.Audit;
using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;
using FraudEdge.Data.EventLog;
using FraudEdge.Simulator;

namespace FraudEdge.Cli.Tests;

/// <summary>`fraudedge explain` as a user runs it on a log an audited in-process engine wrote: a non-allow model
/// decision is explained (reproduced, every field group ranked by |delta|), an outcome record or a record out of the
/// log is refused with exit 1, usage errors exit 2.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-explain-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A simulated day of one terminal, then an obviously risky event (declared chip fallback on a jewellery
    /// MCC, no CVM, a large amount), through an audited engine (entry-a53, the shipped bundle, no deadline).</summary>
    private string WriteLog()
    {
        string felog = Path.Combine(_dir, "town.felog");
        new TransactionSimulator(new SimulationOptions { Seed = 5, Days = 1, Terminals = 1 }).WriteTo(felog);
        string audit = Path.Combine(_dir, "audit");
        var profile = HardwareProfiles.LoadEmbedded("entry-a53");
        profile.Scoring.DeadlineMicroseconds = 0;
        using var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = profile, Audit = new AuditLogOptions { Directory = audit, Durability = AuditDurability.GroupCommit },
        });
        TransactionEvent last = default;
        int decisions = 0;
        using (var reader = EventLogReader.Open(felog))
        {
            while (reader.Read(out var record) && decisions < 300)
            {
                if (record.Kind == EventLogRecordKind.Notice) engine.Record(record.Notice);
                else { engine.Evaluate(record.Event); last = record.Event; decisions++; }
            }
        }
        TransactionEvent risky = last;
        risky.EventId = last.EventId + 1_000_000;
        risky.TimestampUtcMs = last.TimestampUtcMs + 30_000;
        risky.EntryMode = EntryMode.ChipFallbackSwipe;
        risky.Cvm = CardholderVerification.None;
        risky.MerchantCategoryCode = 5944; // jewellery
        risky.AmountMinor = 250_000;
        risky.CashbackMinor = 0;
        risky.Kind = TransactionKind.Purchase;
        risky.Cryptogram = CryptogramType.None;
        risky.IssuerCountry = (ushort)(risky.TerminalCountry == 840 ? 826 : 840);
        engine.Evaluate(risky);
        return audit;
    }

    [Fact]
    public void Every_token_field_is_in_exactly_one_group()
    {
        TokenField[] grouped = [.. DecisionExplainer.Groups.SelectMany(g => g.Fields)];
        Assert.Equal(Enum.GetValues<TokenField>().Order(), grouped.Order());
        int[] positions = [.. DecisionExplainer.Groups.SelectMany(g => DecisionExplainer.Positions(g.Fields)).Order()];
        Assert.Equal(Enumerable.Range(1, Tokenizer.SequenceLength - 1), positions); // all but [CLS]
    }

    [Fact]
    public void A_non_allow_decision_is_explained_with_every_group_ranked_and_other_records_are_refused()
    {
        string audit = WriteLog();
        AuditRecord[] records = [.. AuditReader.ReadAll(audit)];
        AuditRecord target = records.Last(r => r.Type == AuditRecordType.Decision && !r.Decision.IsRejected
            && r.Decision.Source == DecisionSource.Model && r.Decision.Verdict != Verdict.Allow);

        var (exit, stdout, stderr) = CliProcessTests.Run("explain", audit, "--record", target.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.True(exit == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.True(r.GetProperty("explained").GetBoolean());
            Assert.True(r.GetProperty("reproduced").GetBoolean(), stdout);
            Assert.True(r.GetProperty("occlusion_applies").GetBoolean());
            Assert.Equal(target.Decision.Event.EventId, r.GetProperty("event").GetProperty("event_id").GetUInt64());
            Assert.Equal(target.Decision.Verdict.ToString(), r.GetProperty("recorded").GetProperty("verdict").GetString());
            Assert.Equal(target.Decision.Verdict.ToString(), r.GetProperty("replayed").GetProperty("verdict").GetString());
            Assert.Equal(target.Decision.Probability, (float)r.GetProperty("probability").GetDouble());
            Assert.Equal(ReasonCodes.Format(target.Decision.Reasons), string.Join(',', r.GetProperty("recorded").GetProperty("reasons").EnumerateArray().Select(x => x.GetString())));
            JsonElement[] groups = [.. r.GetProperty("attribution").EnumerateArray()];
            Assert.Equal(DecisionExplainer.Groups.Select(g => g.Name).Order(), groups.Select(g => g.GetProperty("group").GetString()!).Order());
            double[] magnitudes = [.. groups.Select(g => Math.Abs(g.GetProperty("delta_probability").GetDouble()))];
            for (int i = 1; i < magnitudes.Length; i++) Assert.True(magnitudes[i - 1] >= magnitudes[i], stdout);
            Assert.True(magnitudes[0] > 0);
            JsonElement entry = groups.Single(g => g.GetProperty("group").GetString() == "entry_mode_cvm");
            Assert.Contains("EntryMode=", entry.GetProperty("tokens")[0].GetProperty("name").GetString(), StringComparison.Ordinal);
        }

        var text = CliProcessTests.Run("explain", audit, "--record", target.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(text.Exit == 0, text.Stdout + text.Stderr);
        Assert.Contains("reproduced: the replay gives the recorded decision bit-exactly", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("attribution by occlusion", text.Stdout, StringComparison.Ordinal);

        ulong outcome = records.First(r => r.Type == AuditRecordType.Outcome).Number;
        var notDecision = CliProcessTests.Run("explain", audit, "--record", outcome.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, notDecision.Exit);
        Assert.Contains("an outcome notice, not a decision", notDecision.Stderr, StringComparison.Ordinal);

        var outOfRange = CliProcessTests.Run("explain", audit, "--record", "999999", "--json");
        Assert.Equal(1, outOfRange.Exit);
        Assert.Contains("out of range", outOfRange.Stderr, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(outOfRange.Stdout))
            Assert.Equal("OutOfRange", doc.RootElement.GetProperty("failure").GetString());

        Assert.Equal(2, CliProcessTests.Run("explain", audit).Exit);
        Assert.Equal(2, CliProcessTests.Run("explain", audit, "--record", "abc").Exit);
        Assert.Equal(2, CliProcessTests.Run("explain", Path.Combine(_dir, "missing"), "--record", "2").Exit);
    }

    [Fact]
    public void A_rules_decision_gets_reason_codes_only()
    {
        string audit = Path.Combine(_dir, "rules");
        var evt = new TransactionEvent
        {
            EventId = 7, TerminalId = TerminalId.Parse("T1"), MerchantId = MerchantId.Parse("M1"), TimestampUtcMs = 1_767_225_600_000, Kind = TransactionKind.Purchase,
            AmountMinor = 1_000, CurrencyCode = 978, MerchantCategoryCode = 5411, TerminalCountry = 276, IssuerCountry = 276,
            CardToken = new CardToken(12345), Bin = Bin.Parse("412345"), LastFour = 42, Scheme = CardScheme.Visa, CardType = CardType.Debit,
            EntryMode = EntryMode.KeyEntered, Cvm = CardholderVerification.None, Attended = true,
        };
        using (var engine = new FraudEngine(new FraudEngineOptions
        {
            RulesOnly = true, Audit = new AuditLogOptions { Directory = audit, Durability = AuditDurability.GroupCommit },
        }))
        {
            Assert.False(engine.Evaluate(evt).IsRejected);
        }
        var (exit, stdout, stderr) = CliProcessTests.Run("explain", audit, "--record", "2", "--json");
        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.False(doc.RootElement.GetProperty("occlusion_applies").GetBoolean());
        Assert.Contains("occlusion does not apply", doc.RootElement.GetProperty("occlusion_note").GetString(), StringComparison.Ordinal);
        Assert.Empty(doc.RootElement.GetProperty("attribution").EnumerateArray());
    }
}
