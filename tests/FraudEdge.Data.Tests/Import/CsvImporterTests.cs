using System.Text;
using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;
using FraudEdge.Data.Import;

namespace FraudEdge.Data.Tests.Import;

public class CsvImporterTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("import-test-key-0123456789abcdef");

    private static (ImportSummary Summary, List<EventLogRecord> Records, byte[] Log) Run(string csv, ImportOptions? options = null)
    {
        var importer = new CsvImporter(options ?? new ImportOptions { TokenKey = Key });
        using var output = new MemoryStream();
        var summary = importer.Import(new StringReader(csv), output, "test.csv");
        byte[] log = output.ToArray();
        return (summary, LogSamples.ReadAll(log), log);
    }

    [Fact]
    public void Bad_rows_are_reported_with_their_line_and_the_import_continues()
    {
        string csv = string.Join("\n",
            "timestamp,card_id,terminal_id,amount,fraud",   // line 1
            "2026-01-05T10:00:00Z,c1,T1,12.50,0",           // 2 ok
            "not-a-time,c2,T1,3.00,0",                      // 3 bad timestamp
            "2026-01-05T10:01:00Z,,T1,3.00,0",              // 4 empty card id
            "2026-01-05T10:02:00Z,c3,T1,abc,0",             // 5 bad amount
            "2026-01-05T10:03:00Z,c4,T1,4.00,maybe",        // 6 bad fraud flag
            "2026-01-05T10:04:00Z,c5,T 1,4.00,0",           // 7 terminal id with a space
            "2026-01-05T10:05:00Z,c6,T1,4.00",              // 8 too few fields
            "2026-01-05T10:06:00Z,c7,T1,0,0",               // 9 zero amount (validator)
            "",                                             // 10 blank: skipped, not an error
            "2026-01-05T10:07:00Z,c8,T2,99.99,1");          // 11 ok, fraud
        var (summary, records, _) = Run(csv);
        Assert.Equal(9, summary.Rows);
        Assert.Equal(2, summary.Imported);
        Assert.Equal(7, summary.Rejected);
        Assert.Equal(new long[] { 3, 4, 5, 6, 7, 8, 9 }, summary.Errors.Select(e => e.Line));
        Assert.Equal(["timestamp", "card_id", "amount", "fraud", "terminal_id", "row", "amount"], summary.Errors.Select(e => e.Field));
        Assert.Equal(2, records.Count(r => r.Kind == EventLogRecordKind.Event));
        Assert.Equal(1, summary.FraudLabels);
    }

    [Fact]
    public void Error_messages_never_echo_the_card_id()
    {
        const string pan = "4111111111111111";
        var (summary, _, log) = Run($"timestamp,card_id,terminal_id,amount,fraud\n2026-01-05T10:00:00Z,{pan},T1,-1x,0\n2026-01-05T10:00:00Z,{pan},T1,5,0\n");
        Assert.Single(summary.Errors);
        Assert.DoesNotContain(pan, summary.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.True(log.AsSpan().IndexOf(Encoding.ASCII.GetBytes(pan)) < 0, "the PAN reached the log");
    }

    [Fact]
    public void Missing_fields_stay_unknown_and_are_never_invented()
    {
        var (summary, records, _) = Run("timestamp,card_id,terminal_id,amount,fraud\n1767607200,card-A,T1,12.50,\n");
        var evt = Assert.Single(records).Event;
        Assert.Equal(EntryMode.Unknown, evt.EntryMode);
        Assert.Equal(CardholderVerification.Unknown, evt.Cvm);
        Assert.Equal(TransactionKind.Unknown, evt.Kind);
        Assert.Equal(CardScheme.Unknown, evt.Scheme);
        Assert.Equal(0, evt.ServiceCode);
        Assert.Equal(0, evt.MerchantCategoryCode);
        Assert.Equal(0, evt.CurrencyCode);
        Assert.Equal(0, evt.TerminalCountry);
        Assert.Equal(default, evt.Bin);
        Assert.True(evt.MerchantId.IsEmpty);
        Assert.False(evt.HasAtc);
        Assert.Equal(CryptogramType.None, evt.Cryptogram);
        Assert.Equal(1_767_607_200_000, evt.TimestampUtcMs);
        Assert.Equal(1250, evt.AmountMinor);
        Assert.Equal(2UL, evt.EventId); // the CSV line
        Assert.Equal(CardToken.FromIdentifier(Key, "card-A"u8), evt.CardToken);
        Assert.Contains("entry_mode", summary.MissingOptionalFields);
        Assert.Equal(FraudTypology.Unknown, records[0].Typology);
    }

    [Fact]
    public void Fraud_labels_become_notices_after_the_configured_delay_and_rows_are_sorted()
    {
        string csv = "when,card,tid,value,is_fraud,entry,mcc,currency\n" +
                     "2026-01-05T12:00:00Z,c2,T1,10.00,yes,contactless,5411,EUR\n" +
                     "2026-01-05T11:00:00Z,c1,T1,-20.00,no,chip,5411,EUR\n" +
                     "2026-01-05T13:00:00Z,c3,T1,1500,1,keyed,5732,JPY\n";
        var options = new ImportOptions
        {
            TokenKey = Key,
            Columns = ColumnMap.Parse("timestamp=when,card_id=card,terminal_id=tid,amount=value,fraud=is_fraud,entry_mode=entry"),
            LabelDelay = TimeSpan.FromDays(3),
        };
        var (summary, records, _) = Run(csv, options);
        Assert.Equal(3, summary.Imported);
        var events = records.Where(r => r.Kind == EventLogRecordKind.Event).Select(r => r.Event).ToList();
        Assert.Equal([3UL, 2UL, 4UL], events.Select(e => e.EventId)); // sorted by time
        Assert.Equal(TransactionKind.Refund, events[0].Kind); // negative amount
        Assert.Equal(2000, events[0].AmountMinor);
        Assert.Equal(EntryMode.ContactlessChip, events[1].EntryMode);
        Assert.Equal(1500, events[2].AmountMinor); // JPY has no minor unit
        Assert.Equal(EntryMode.KeyEntered, events[2].EntryMode);
        var labels = records.Where(r => r.Kind == EventLogRecordKind.Notice).Select(r => r.Notice).ToList();
        Assert.Equal(2, labels.Count);
        Assert.All(labels, n => Assert.Equal(OutcomeKind.FraudReported, n.Kind));
        Assert.Equal(events[1].TimestampUtcMs + 3 * LogSamples.Day, labels[0].TimestampUtcMs);
        Assert.Equal(events[1].EventId, labels[0].EventId);
        Assert.Equal(events[2].TimestampUtcMs + 3 * LogSamples.Day, labels[1].TimestampUtcMs);
    }

    [Fact]
    public void A_same_time_label_follows_its_event()
    {
        var (_, records, _) = Run("timestamp,card_id,terminal_id,amount,fraud,response_code\n2026-01-05T10:00:00Z,c1,T1,5.00,1,05\n");
        Assert.Equal([EventLogRecordKind.Event, EventLogRecordKind.Notice, EventLogRecordKind.Notice], records.Select(r => r.Kind));
        Assert.Equal(OutcomeKind.IssuerResponse, records[1].Notice.Kind);
        Assert.Equal(OutcomeNotice.PackResponseCode("05"), records[1].Notice.ResponseCode);
        Assert.Equal(OutcomeKind.FraudReported, records[2].Notice.Kind);
    }

    [Fact]
    public void Pan_shaped_card_ids_give_bin_and_last_four_and_are_not_stored()
    {
        var (summary, records, log) = Run("timestamp,card_id,terminal_id,amount,fraud\n2026-01-05T10:00:00Z,4111111111111111,T1,5.00,0\n");
        var evt = Assert.Single(records).Event;
        Assert.Equal(new Bin(411111, 6), evt.Bin);
        Assert.Equal(1111, evt.LastFour);
        Assert.Equal(1, summary.PanLikeCardIds);
        Assert.True(log.AsSpan().IndexOf("4111111111111111"u8) < 0, "the PAN reached the log");
    }

    [Fact]
    public void Quoted_fields_may_hold_delimiters_quotes_and_line_breaks_and_lines_stay_counted()
    {
        string csv = "timestamp,card_id,terminal_id,amount,fraud,merchant_id\n" +
                     "2026-01-05T10:00:00Z,\"card, \"\"A\"\"\",T1,5.00,0,M1\n" +
                     "2026-01-05T10:00:01Z,\"multi\nline\",T1,5.00,0,M1\n" +
                     "2026-01-05T10:00:02Z,c3,T1,bad,0,M1\n";
        var (summary, records, _) = Run(csv);
        Assert.Equal(2, summary.Imported);
        Assert.Equal(5, Assert.Single(summary.Errors).Line); // the multi-line record spanned lines 3-4
        Assert.Equal(CardToken.FromIdentifier(Key, "card, \"A\""u8), records[0].Event.CardToken);
    }

    [Fact]
    public void Duplicate_event_ids_on_one_terminal_are_rejected()
    {
        var (summary, _, _) = Run("timestamp,card_id,terminal_id,amount,fraud,event_id\n" +
                                  "2026-01-05T10:00:00Z,c1,T1,5,0,7\n2026-01-05T10:00:01Z,c2,T1,5,0,7\n2026-01-05T10:00:02Z,c3,T2,5,0,7\n");
        Assert.Equal(2, summary.Imported);
        var error = Assert.Single(summary.Errors);
        Assert.Equal((3L, "event_id"), (error.Line, error.Field));
    }

    [Fact]
    public void A_missing_required_column_stops_the_import_with_its_name()
    {
        var e = Assert.Throws<FormatException>(() => Run("timestamp,card_id,amount,fraud\n2026-01-05T10:00:00Z,c1,5,0\n"));
        Assert.Contains("terminal_id", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ColumnMap.Parse("no_such_field=x"));
    }

    [Fact]
    public void Optional_values_that_do_not_parse_reject_the_row()
    {
        var (summary, _, _) = Run("timestamp,card_id,terminal_id,amount,fraud,entry_mode,mcc,expiry,tvr,atc\n" +
                                  "2026-01-05T10:00:00Z,c1,T1,5,0,telepathy,5411,2812,0000008000,5\n" +
                                  "2026-01-05T10:00:00Z,c1,T1,5,0,chip,99999,2812,0000008000,5\n" +
                                  "2026-01-05T10:00:00Z,c1,T1,5,0,chip,5411,2813,0000008000,5\n" +
                                  "2026-01-05T10:00:00Z,c1,T1,5,0,chip,5411,2812,0000008000,70000\n" +
                                  "2026-01-05T10:00:00Z,c1,T1,5,0,chip,5411,12/28,0x8000,5\n");
        Assert.Equal(["entry_mode", "mcc", "expiry", "atc"], summary.Errors.Select(e => e.Field));
        Assert.Equal(1, summary.Imported);
    }
}
