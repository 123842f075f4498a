using System.Security.Cryptography;
using System.Text;
using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;

namespace FraudEdge.Data.Import;

/// <summary>
/// Imports a user's historical transactions from CSV into an event log. Card ids are tokenized with the
/// user's key on the way in and never stored. Every field the CSV does not provide stays unknown (an
/// "Unknown" enum member, 0, or empty) rather than being invented. A bad row is reported with its line number
/// and skipped; the import goes on. Rows may come in any order: they are sorted by time (then by line) so
/// the log is a valid replay order, and each fraud label becomes a FraudReported notice at the row's time
/// plus <see cref="ImportOptions.LabelDelay"/>.
/// </summary>
public sealed class CsvImporter
{
    public const string CreatedBy = "fraudedge-import 1";
    public const int MinKeyLength = 16;

    private readonly ImportOptions _options;

    public CsvImporter(ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TokenKey is null || options.TokenKey.Length < MinKeyLength)
            throw new ArgumentException($"The tokenization key must be at least {MinKeyLength} bytes.", nameof(options));
        _options = options;
    }

    /// <summary>Reads a key file: 32+ hex digits (a hex-encoded key) or else the raw bytes of the file.</summary>
    public static byte[] ReadKeyFile(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        string text = Encoding.ASCII.GetString(raw).Trim();
        if (text.Length >= 2 * MinKeyLength && text.Length % 2 == 0 && text.All(Uri.IsHexDigit))
            return Convert.FromHexString(text);
        if (raw.Length < MinKeyLength) throw new ArgumentException($"The key file must hold at least {MinKeyLength} bytes (or {2 * MinKeyLength} hex digits).");
        return raw;
    }

    public ImportSummary Import(string csvPath, string logPath)
    {
        using var reader = new StreamReader(csvPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var output = new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        return Import(reader, output, $"csv import of {Path.GetFileName(csvPath)}");
    }

    /// <summary>Imports from a reader into a stream (the log is complete when this returns).</summary>
    public ImportSummary Import(TextReader csv, Stream output, string sourceDescription)
    {
        var summary = new ImportSummary();
        var csvReader = new CsvRecordReader(csv, _options.Delimiter);
        var fields = new List<string>();
        if (!csvReader.TryReadRecord(fields, out _, out string? headerError) || headerError is not null)
            throw new FormatException(headerError is null ? "the CSV is empty (a header row is required)" : $"line 1: header: {headerError}");
        var header = fields.ToArray();
        int[] columns = _options.Columns.Resolve(header);
        var missingRequired = ColumnMap.Required.Where(f => columns[(int)f] < 0).ToList();
        if (missingRequired.Count > 0)
            throw new FormatException("the CSV lacks required column(s): " + string.Join(", ",
                missingRequired.Select(f => $"{ColumnMap.FieldName(f)} (looked for '{_options.Columns.ColumnFor(f)}')")));
        foreach (var f in Enum.GetValues<ImportField>())
            if (columns[(int)f] < 0) summary.MissingOptionalFields.Add(ColumnMap.FieldName(f));

        var rows = new List<ImportedRow>();
        var seenIds = new HashSet<(UInt128, ulong)>();
        var terminals = new HashSet<UInt128>();
        while (csvReader.TryReadRecord(fields, out long line, out string? recordError))
        {
            summary.Rows++;
            if (recordError is not null)
            {
                Reject(summary, line, "row", recordError);
                continue;
            }
            if (fields.Count != header.Length)
            {
                Reject(summary, line, "row", $"has {fields.Count} fields, the header has {header.Length}");
                continue;
            }
            if (!TryParseRow(fields, columns, line, out var row, out var error))
            {
                Reject(summary, line, error.Field, error.Message);
                continue;
            }
            if (!seenIds.Add((row.Event.TerminalId.Packed, row.Event.EventId)))
            {
                Reject(summary, line, "event_id", "duplicate event id for this terminal");
                continue;
            }
            if (row.PanLike) summary.PanLikeCardIds++;
            terminals.Add(row.Event.TerminalId.Packed);
            rows.Add(row);
        }

        // Replay order: by time, then by file order.
        rows.Sort(static (x, y) =>
        {
            int c = x.Event.TimestampUtcMs.CompareTo(y.Event.TimestampUtcMs);
            return c != 0 ? c : x.Line.CompareTo(y.Line);
        });
        var header2 = new EventLogHeader { CreatedBy = CreatedBy, Source = sourceDescription, Seed = null, HasGroundTruth = false };
        using var writer = new EventLogWriter(output, header2, leaveOpen: true);
        var pending = new PriorityQueue<OutcomeNotice, (long, long)>();
        long sequence = 0;
        long delayMs = (long)_options.LabelDelay.TotalMilliseconds;
        foreach (var row in rows)
        {
            while (pending.TryPeek(out var due, out var at) && at.Item1 < row.Event.TimestampUtcMs)
            {
                writer.WriteNotice(due);
                pending.Dequeue();
            }
            writer.WriteEvent(row.Event, FraudTypology.Unknown);
            summary.Imported++;
            if (row.ResponseCode != 0)
            {
                var response = Notice(row.Event, row.Event.TimestampUtcMs, OutcomeKind.IssuerResponse, row.ResponseCode);
                pending.Enqueue(response, (response.TimestampUtcMs, sequence++));
                summary.IssuerResponses++;
            }
            if (row.Fraud)
            {
                var label = Notice(row.Event, row.Event.TimestampUtcMs + delayMs, OutcomeKind.FraudReported, 0);
                pending.Enqueue(label, (label.TimestampUtcMs, sequence++));
                summary.FraudLabels++;
            }
        }
        while (pending.TryDequeue(out var notice, out _)) writer.WriteNotice(notice);
        writer.Complete();

        summary.DistinctTerminals = terminals.Count;
        if (summary.PanLikeCardIds == summary.Imported && summary.Imported > 0)
            summary.MissingOptionalFields.RemoveAll(f => f is "bin" or "last_four"); // taken from the PANs
        if (rows.Count > 0)
        {
            summary.FirstTimestampUtcMs = rows[0].Event.TimestampUtcMs;
            summary.LastTimestampUtcMs = rows[^1].Event.TimestampUtcMs;
        }
        return summary;
    }

    private void Reject(ImportSummary summary, long line, string field, string message)
    {
        summary.Rejected++;
        if (summary.Errors.Count < _options.MaxErrorsKept) summary.Errors.Add(new ImportRowError(line, field, message));
    }

    private static OutcomeNotice Notice(in TransactionEvent evt, long at, OutcomeKind kind, ushort code) => new()
    {
        EventId = evt.EventId,
        TerminalId = evt.TerminalId,
        CardToken = evt.CardToken,
        TimestampUtcMs = at,
        Kind = kind,
        ResponseCode = code,
    };

    private struct ImportedRow
    {
        public TransactionEvent Event;
        public long Line;
        public bool Fraud;
        public ushort ResponseCode;
        public bool PanLike;
    }

    private bool TryParseRow(List<string> fields, int[] columns, long line, out ImportedRow row, out ImportRowError error)
    {
        row = default;
        error = default;
        ref TransactionEvent e = ref row.Event;
        row.Line = line;
        string Cell(ImportField f) => columns[(int)f] < 0 ? "" : fields[columns[(int)f]].Trim();
        bool Has(ImportField f) => Cell(f).Length > 0;
        ImportRowError Bad(ImportField f, string message) => new(line, ColumnMap.FieldName(f), message);

        // Required fields.
        if (!FieldParsers.TryTimestamp(Cell(ImportField.Timestamp), out e.TimestampUtcMs))
        {
            error = Bad(ImportField.Timestamp, "not an ISO 8601 timestamp or Unix epoch seconds/milliseconds");
            return false;
        }
        string cardId = Cell(ImportField.CardId);
        if (cardId.Length == 0)
        {
            error = Bad(ImportField.CardId, "empty");
            return false;
        }
        if (!TerminalId.TryParse(Encoding.ASCII.GetBytes(Cell(ImportField.TerminalId)), out e.TerminalId) || Cell(ImportField.TerminalId).Any(c => c > 0x7E))
        {
            error = Bad(ImportField.TerminalId, "must be 1-16 printable ASCII characters without spaces");
            return false;
        }
        if (!FieldParsers.TryFraud(Cell(ImportField.Fraud), out row.Fraud))
        {
            error = Bad(ImportField.Fraud, "not a fraud flag (1/0, true/false, yes/no, fraud/legit, or empty)");
            return false;
        }

        // Optional fields; parsed before the amount because the currency sets the amount's decimals.
        if (Has(ImportField.Currency) && !FieldParsers.TryCurrency(Cell(ImportField.Currency), out e.CurrencyCode))
        {
            error = Bad(ImportField.Currency, "not an ISO 4217 code");
            return false;
        }
        if (!FieldParsers.TryAmount(Cell(ImportField.Amount), e.CurrencyCode, _options.AmountInMinorUnits, out long amount))
        {
            error = Bad(ImportField.Amount, _options.AmountInMinorUnits ? "not an integer amount in minor units" : "not a decimal amount in the currency's units");
            return false;
        }
        if (Has(ImportField.Kind))
        {
            if (!FieldParsers.TryEnum(Cell(ImportField.Kind), FieldParsers.KindAliases, out e.Kind))
            {
                error = Bad(ImportField.Kind, "unknown transaction kind");
                return false;
            }
            if (amount < 0 && e.Kind != TransactionKind.Refund)
            {
                error = Bad(ImportField.Amount, "negative amount on a transaction that is not a refund");
                return false;
            }
        }
        else if (amount < 0)
        {
            e.Kind = TransactionKind.Refund; // a negative amount is how most exports write a refund
        }
        e.AmountMinor = Math.Abs(amount);

        if (Has(ImportField.EventId))
        {
            if (!ulong.TryParse(Cell(ImportField.EventId), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out e.EventId) || e.EventId == 0)
            {
                error = Bad(ImportField.EventId, "must be a positive integer");
                return false;
            }
        }
        else
        {
            e.EventId = (ulong)line; // unique within the file, so unique per terminal
        }
        if (Has(ImportField.MerchantId) && !MerchantId.TryParse(Encoding.ASCII.GetBytes(Cell(ImportField.MerchantId)), out e.MerchantId))
        {
            error = Bad(ImportField.MerchantId, "must be 1-16 printable ASCII characters without spaces");
            return false;
        }
        if (!Optional(ImportField.Mcc, Cell, s => (FieldParsers.TryUInt(s, 9999, out uint v) && v > 0, (ushort)v), ref e.MerchantCategoryCode, "must be a merchant category code 1-9999", ref error, line)) return false;
        if (!Optional(ImportField.TerminalCountry, Cell, s => (FieldParsers.TryCountry(s, out ushort v), v), ref e.TerminalCountry, "not an ISO 3166 country", ref error, line)) return false;
        if (!Optional(ImportField.IssuerCountry, Cell, s => (FieldParsers.TryCountry(s, out ushort v), v), ref e.IssuerCountry, "not an ISO 3166 country", ref error, line)) return false;
        if (!Optional(ImportField.LastFour, Cell, s => (FieldParsers.TryDigits(s, 4, 0, 9999, out uint v), (ushort)v), ref e.LastFour, "must be four digits", ref error, line)) return false;
        if (!Optional(ImportField.Expiry, Cell, s => (FieldParsers.TryExpiry(s, out ushort v), v), ref e.ExpiryYyMm, "not an expiry (YYMM, MM/YY, MM/YYYY or YYYY-MM)", ref error, line)) return false;
        if (!Optional(ImportField.ServiceCode, Cell, s => (FieldParsers.TryDigits(s, 3, 100, 999, out uint v), (ushort)v), ref e.ServiceCode, "must be a three-digit service code", ref error, line)) return false;
        if (!Optional(ImportField.Lane, Cell, s => (FieldParsers.TryUInt(s, ushort.MaxValue, out uint v), (ushort)v), ref e.Lane, "must be 0-65535", ref error, line)) return false;
        if (!Optional(ImportField.OperatorId, Cell, s => (FieldParsers.TryUInt(s, uint.MaxValue, out uint v), v), ref e.OperatorId, "must be a non-negative integer", ref error, line)) return false;
        if (!Optional(ImportField.Scheme, Cell, s => (FieldParsers.TryEnum(s, FieldParsers.SchemeAliases, out CardScheme v), v), ref e.Scheme, "unknown card scheme", ref error, line)) return false;
        if (!Optional(ImportField.CardType, Cell, s => (FieldParsers.TryEnum(s, null, out CardType v), v), ref e.CardType, "unknown card type", ref error, line)) return false;
        if (!Optional(ImportField.EntryMode, Cell, s => (FieldParsers.TryEnum(s, FieldParsers.EntryAliases, out EntryMode v), v), ref e.EntryMode, "unknown entry mode", ref error, line)) return false;
        if (!Optional(ImportField.Cvm, Cell, s => (FieldParsers.TryEnum(s, FieldParsers.CvmAliases, out CardholderVerification v), v), ref e.Cvm, "unknown cardholder verification method", ref error, line)) return false;
        if (!Optional(ImportField.Cryptogram, Cell, s => (FieldParsers.TryEnum(s, null, out CryptogramType v), v), ref e.Cryptogram, "unknown cryptogram type", ref error, line)) return false;
        if (!Optional(ImportField.Attended, Cell, s => (FieldParsers.TryBool(s, out bool v), v), ref e.Attended, "not a boolean", ref error, line)) return false;
        if (!Optional(ImportField.LocalOffsetMinutes, Cell, s => (short.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out short v), v), ref e.LocalOffsetMinutes, "not an offset in minutes", ref error, line)) return false;
        ulong tvr = 0;
        if (!Optional(ImportField.Tvr, Cell, s => (FieldParsers.TryTvr(s, out ulong v), v), ref tvr, "not a 5-byte TVR (10 hex digits, 0x-prefixed hex, or decimal)", ref error, line)) return false;
        e.Tvr = (TerminalVerificationResults)tvr;
        if (Has(ImportField.Atc))
        {
            if (!FieldParsers.TryUInt(Cell(ImportField.Atc), ushort.MaxValue, out uint atc))
            {
                error = Bad(ImportField.Atc, "must be 0-65535");
                return false;
            }
            e.Atc = (ushort)atc;
            e.HasAtc = true;
        }
        long cashback = 0;
        if (Has(ImportField.Cashback) && (!FieldParsers.TryAmount(Cell(ImportField.Cashback), e.CurrencyCode, _options.AmountInMinorUnits, out cashback) || cashback < 0))
        {
            error = Bad(ImportField.Cashback, "not a non-negative amount");
            return false;
        }
        e.CashbackMinor = cashback;
        if (Has(ImportField.ResponseCode))
        {
            string code = Cell(ImportField.ResponseCode).ToUpperInvariant();
            if (code.Length != 2 || !code.All(char.IsAsciiLetterOrDigit))
            {
                error = Bad(ImportField.ResponseCode, "must be a two-character ISO 8583 response code");
                return false;
            }
            row.ResponseCode = OutcomeNotice.PackResponseCode(code);
        }

        // Card identity: tokenized with the key; a PAN-shaped id also yields BIN and last four when the CSV
        // has no such columns. The id itself goes no further than this method.
        row.PanLike = FieldParsers.LooksLikePan(cardId);
        e.CardToken = CardToken.FromIdentifier(_options.TokenKey, Encoding.UTF8.GetBytes(cardId));
        if (Has(ImportField.Bin))
        {
            if (!FieldParsers.TryBin(Cell(ImportField.Bin), out e.Bin))
            {
                error = Bad(ImportField.Bin, "must be 6-8 digits not starting with 0");
                return false;
            }
        }
        else if (row.PanLike)
        {
            e.Bin = new Bin(uint.Parse(cardId.AsSpan(0, 6), System.Globalization.CultureInfo.InvariantCulture), 6);
        }
        if (!Has(ImportField.LastFour) && row.PanLike)
            e.LastFour = ushort.Parse(cardId.AsSpan(cardId.Length - 4), System.Globalization.CultureInfo.InvariantCulture);

        var validation = LogEventValidator.Validate(e);
        if (!validation.IsValid)
        {
            error = new ImportRowError(line, validation.Field, validation.Message);
            return false;
        }
        return true;
    }

    private static bool Optional<T>(ImportField field, Func<ImportField, string> cell, Func<string, (bool Ok, T Value)> parse, ref T target,
        string message, ref ImportRowError error, long line)
    {
        string text = cell(field);
        if (text.Length == 0) return true; // missing stays unknown
        var (ok, value) = parse(text);
        if (!ok)
        {
            error = new ImportRowError(line, ColumnMap.FieldName(field), message);
            return false;
        }
        target = value;
        return true;
    }

    /// <summary>A fresh random key, for imports whose tokens need not match any other data set.</summary>
    public static byte[] RandomKey() => RandomNumberGenerator.GetBytes(32);
}
