using System.Diagnostics;
using System.Globalization;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;

namespace FraudEdge.Audit.CrashChild;

/// <summary>
/// append DIR [--durability fsync-each-record|group-commit] [--split] [--segment-bytes N] [--max-total-bytes N] [--sign-key PEM]
///   Opens the audit log (recovering it), then appends decisions (and some outcomes and model reloads) as fast as it
///   can, printing "ack N" on stdout, flushed, after each append returns: the parent kills it with SIGKILL at a
///   random moment and then checks that every acknowledged record survived. The recovery report goes to stderr.
/// fill DIR MEGABYTES [--segment-bytes N]
///   Writes at least MEGABYTES × 10^6 bytes of log with group commit and exits: the input for measuring verify.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 2) return Usage();
        string directory = args[1];
        var durability = AuditDurability.FsyncEachRecord;
        bool split = false;
        long segmentBytes = 64 * 1024, maxTotalBytes = 512 * 1024;
        string? signKey = null;
        int first = args[0] == "fill" ? 3 : 2;
        if (args[0] == "fill")
        {
            if (args.Length < 3) return Usage();
            segmentBytes = 8L << 20;
            maxTotalBytes = 1L << 40;
        }
        for (int i = first; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--durability": durability = AuditLogOptions.ParseDurability(args[++i]); break;
                case "--split": split = true; break;
                case "--segment-bytes": segmentBytes = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--max-total-bytes": maxTotalBytes = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--sign-key": signKey = args[++i]; break;
                default: return Usage();
            }
        }
        var options = new AuditLogOptions
        {
            Directory = directory, SegmentBytes = segmentBytes, MaxTotalBytes = maxTotalBytes, CheckpointSigningKeyPath = signKey,
            Durability = args[0] == "fill" ? AuditDurability.GroupCommit : durability, GroupCommitMs = 5, SplitWritesForCrashTests = split,
        };
        return args[0] switch
        {
            "append" => Append(options),
            "fill" => Fill(options, long.Parse(args[2], CultureInfo.InvariantCulture) * 1_000_000),
            _ => Usage(),
        };
    }

    private static int Append(AuditLogOptions options)
    {
        using var log = AuditLog.Open(options);
        Console.Error.WriteLine($"recovery: {log.Recovery}");
        var stdout = Console.Out;
        var model = AuditModelStamp.Create(new AuditHash(1, 2, 3, 4), "crash-child", "1.0.0", "0123456789abcdef");
        for (ulong i = 1; ; i++)
        {
            ulong number;
            if (i % 7 == 0) number = log.AppendOutcome(Notice(i), ValidationErrorCode.None);
            else if (i % 500 == 0) number = log.AppendModelLoaded(AuditModelChange.Reload, model);
            else number = log.AppendDecision(Event(i), Decision(i), model);
            stdout.WriteLine("ack " + number.ToString(CultureInfo.InvariantCulture)); // one write(2) per line
            stdout.Flush();
        }
    }

    private static int Fill(AuditLogOptions options, long bytes)
    {
        var clock = Stopwatch.StartNew();
        var model = AuditModelStamp.Create(new AuditHash(1, 2, 3, 4), "fill", "1.0.0", "0123456789abcdef");
        ulong records = 0;
        using (var log = AuditLog.Open(options))
        {
            long written = 0;
            for (ulong i = 1; written < bytes; i++)
            {
                if (i % 7 == 0) log.AppendOutcome(Notice(i), ValidationErrorCode.None);
                else log.AppendDecision(Event(i), Decision(i), model);
                written += i % 7 == 0 ? 8 + 49 + 53 : 8 + 49 + 232;
                records = i;
            }
        }
        long total = 0;
        foreach (string f in Directory.GetFiles(options.Directory, "audit-*.log")) total += new FileInfo(f).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {records} records, {total} bytes in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    private static TransactionEvent Event(ulong i) => new()
    {
        EventId = i, TerminalId = new TerminalId((UInt128)0x5430303031 << 88), MerchantId = new MerchantId((UInt128)0x4D3030303031 << 80),
        Lane = (ushort)(i % 4), OperatorId = (uint)(i % 9), TimestampUtcMs = 1_772_452_800_000 + (long)i * 1000, LocalOffsetMinutes = 60,
        Kind = TransactionKind.Purchase, AmountMinor = 100 + (long)(i * 7919 % 50_000), CurrencyCode = 978, MerchantCategoryCode = 5411,
        TerminalCountry = 276, CardToken = new CardToken(new UInt128(0xC0FFEE, i % 97 + 1)), Bin = new Bin(411111, 6), LastFour = (ushort)(i % 10_000),
        Scheme = CardScheme.Visa, CardType = CardType.Debit, IssuerCountry = 276, ExpiryYyMm = 2812, ServiceCode = 201,
        EntryMode = EntryMode.ContactlessChip, Atc = (ushort)i, HasAtc = true, Cryptogram = CryptogramType.Arqc, Attended = true,
    };

    private static Decision Decision(ulong i) => new()
    {
        EventId = i, Verdict = Verdict.Allow, RiskScore = (byte)(1 + i % 99), Probability = 0.01f * (i % 100), Logit = -3.5f + i % 10,
        Reasons = ReasonCode.None, Source = DecisionSource.Model, ElapsedMicroseconds = (int)(100 + i % 50), Rejection = ValidationResult.Ok,
    };

    private static OutcomeNotice Notice(ulong i) => new()
    {
        EventId = i - 1, TerminalId = new TerminalId((UInt128)0x5430303031 << 88), CardToken = new CardToken(new UInt128(0xC0FFEE, (i - 1) % 97 + 1)),
        TimestampUtcMs = 1_772_452_800_000 + (long)i * 1000 + 500, Kind = OutcomeKind.IssuerResponse, ResponseCode = 0x3030,
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: FraudEdge.Audit.CrashChild append DIR [--durability D] [--split] [--segment-bytes N] [--max-total-bytes N] [--sign-key PEM]");
        Console.Error.WriteLine("       FraudEdge.Audit.CrashChild fill DIR MEGABYTES [--segment-bytes N]");
        return 2;
    }
}
