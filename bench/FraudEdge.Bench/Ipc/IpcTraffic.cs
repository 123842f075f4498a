using System.Buffers;
using System.Globalization;
using System.Text;
using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;
using FraudEdge.Simulator;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// Realistic traffic for one terminal, as many requests as a run needs: the simulator's town (fixed seed) filtered
/// to its busiest terminal (as the service tests' TestTraffic does), replayed in passes. Pass p shifts every
/// timestamp forward by p × (the log's span rounded up to whole days) and every event id by p × (largest id + 1),
/// so the history keeps moving
/// forward like a live terminal's (as AllocationTests.Play does) and ids never repeat.
/// Stream position k is event k mod n of pass k / n; every phase takes its own range of positions, and
/// <see cref="Request"/> / <see cref="Event"/> compute a position without allocating.
/// </summary>
internal sealed class IpcTraffic
{
    public const long Seed = 11;
    public const int Days = 7;
    public const int Terminals = 6;
    private const long DayMs = 86_400_000;

    private readonly TransactionEvent[] _events;

    private IpcTraffic(TransactionEvent[] events, long shiftMs, ulong idStride, string terminal, long gapMs)
    {
        _events = events;
        ShiftMs = shiftMs;
        IdStride = idStride;
        Description = string.Create(CultureInfo.InvariantCulture,
            $"simulator seed={Seed} days={Days} terminals={Terminals}; busiest terminal {terminal}: {events.Length} events per pass, " +
            $"pass shift {shiftMs / 86_400_000} days (night gap between passes {gapMs / 3_600_000.0:F1} h)");
    }

    public int Length => _events.Length;

    public long ShiftMs { get; }

    public ulong IdStride { get; }

    public string Description { get; }

    public static IpcTraffic Generate()
    {
        string dir = Directory.CreateTempSubdirectory("fraudedge-ipc-traffic-").FullName;
        try
        {
            string log = Path.Combine(dir, "town.felog");
            new TransactionSimulator(new SimulationOptions { Seed = Seed, Days = Days, Terminals = Terminals }).WriteTo(log);
            var events = new List<TransactionEvent>();
            using (var reader = EventLogReader.Open(log))
            {
                while (reader.Read(out EventLogRecord record))
                {
                    if (record.Kind == EventLogRecordKind.Event) events.Add(record.Event);
                }
            }
            TerminalId busiest = events.GroupBy(e => e.TerminalId).OrderByDescending(g => g.Count()).First().Key;
            TransactionEvent[] one = events.Where(e => e.TerminalId == busiest).OrderBy(e => e.TimestampUtcMs).ToArray();

            long span = one[^1].TimestampUtcMs - one[0].TimestampUtcMs;
            // Whole days keep each event's hour of day. The next pass starts the morning after the last event (its
            // weekday moves on, as after a closed Sunday): the jump between passes is one night.
            long shift = (span / DayMs + 1) * DayMs;
            long gap = shift - span;
            // Phase f interleaves neighbouring positions across 4 connections; the validator allows a terminal clock
            // to step back at most 24 h, so the jump from one pass to the next must stay below that.
            if (gap >= EventValidator.MaxBackwardSkewMs * 5 / 6)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"traffic gap between passes is {gap / 3_600_000.0:F1} h: reordered neighbours could be refused"));
            ulong maxId = one.Max(e => e.EventId);
            return new IpcTraffic(one, shift, maxId + 1, busiest.ToString(), gap);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The event at stream position <paramref name="k"/>.</summary>
    public TransactionEvent Event(long k)
    {
        long pass = k / _events.Length;
        TransactionEvent e = _events[(int)(k % _events.Length)];
        e.EventId += (ulong)pass * IdStride;
        e.TimestampUtcMs += pass * ShiftMs;
        return e;
    }

    /// <summary>The ScoreRequest the service decodes for position <paramref name="k"/> (WireMapping, as the service maps back).</summary>
    public ScoreRequest Request(long k)
    {
        TransactionEvent e = Event(k);
        return WireMapping.ToWire(in e);
    }

    /// <summary>
    /// Writes positions [start, start + count) for fe_ipc_bench: one line per request, field k = key k of
    /// docs/protocol.md §4.1 (the format is described in bench/ipc/fe_ipc_bench.c).
    /// </summary>
    public void WriteRequestsFile(string path, long start, int count)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.NewLine = "\n";
        w.WriteLine("# fe_ipc_bench requests: " + Description);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# positions {start}..{start + count - 1}; fields = keys 1..27 of docs/protocol.md 4.1"));
        Span<byte> id = stackalloc byte[Ascii16Text.MaxLength];
        for (long k = start; k < start + count; k++)
        {
            ScoreRequest r = Request(k);
            string terminal = Encoding.ASCII.GetString(id[..r.TerminalId.CopyTo(id)]);
            string merchant = Encoding.ASCII.GetString(id[..r.MerchantId.CopyTo(id)]);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.EventId} {terminal} {merchant} {r.Lane} {r.OperatorId} {r.TimestampMs} {r.LocalOffsetMinutes} {r.Kind} " +
                $"{r.AmountMinor} {r.CashbackMinor} {r.Currency} {r.MerchantCategoryCode} {r.TerminalCountry} {r.CardToken:x32} " +
                $"{r.Bin} {r.LastFour} {r.Scheme} {r.CardType} {r.IssuerCountry} {r.ExpiryYyMm} {r.ServiceCode} {r.EntryMode} " +
                $"{r.Cvm} {(r.HasAtc ? r.Atc.ToString(CultureInfo.InvariantCulture) : "-")} {r.Tvr:x10} {r.Cryptogram} {(r.Attended ? 1 : 0)}"));
        }
    }

    /// <summary>
    /// FNV-1a 64 over the payloads (frames minus their 10-byte headers) the .NET encoder produces for positions
    /// [start, start + count), and their total size: fe_ipc_bench prints the same for its C encoder.
    /// </summary>
    public (ulong Fnv1a, long PayloadBytes) PayloadChecksum(long start, int count)
    {
        var frames = new FrameWriter();
        var buffer = new ArrayBufferWriter<byte>(512);
        ulong hash = 14695981039346656037UL;
        long bytes = 0;
        for (long k = start; k < start + count; k++)
        {
            ScoreRequest r = Request(k);
            buffer.ResetWrittenCount();
            frames.Write(buffer, 1, in r);
            ReadOnlySpan<byte> payload = buffer.WrittenSpan[FrameCodec.HeaderBytes..];
            foreach (byte b in payload)
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
            bytes += payload.Length;
        }
        return (hash, bytes);
    }
}
