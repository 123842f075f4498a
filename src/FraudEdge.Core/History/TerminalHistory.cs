using System.Runtime.CompilerServices;
using FraudEdge.Core.Events;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Core.History;

/// <summary>
/// Everything FraudEdge remembers, in tables sized once from the hardware profile and never grown:
/// each terminal's last events, a per-card table, per-BIN-range attempts and per-operator refunds.
/// Full tables evict deterministically (the least recently seen entry within the probe window), so the
/// same event stream always yields the same state — replay and training depend on that.
/// Not thread-safe: <see cref="FraudEngine"/> serialises access.
/// </summary>
public sealed partial class TerminalHistory
{
    /// <summary>Open-addressing probe window; bounded so a lookup costs at most this many slots.</summary>
    internal const int ProbeWindow = 16;
    /// <summary>How many of a terminal's latest events are scanned for 10-minute burst counts.</summary>
    internal const int BurstScanLimit = 64;
    /// <summary>Below this quarter-log2 amount (≈ 2^6.25 ≈ 76 minor units) an attempt is "small" (card testing).</summary>
    internal const int SmallAmountQuarterLog2 = 25;

    private readonly TerminalSlot[] _terminals;
    private readonly RecentEvent[] _events;
    private readonly int _eventsPerTerminal;
    private readonly CardEntry[] _cards;
    private readonly BinEntry[] _bins;
    private readonly OperatorEntry[] _operators;
    private readonly HotListEntry[] _hotList;
    private int _lastTerminal;

    public TerminalHistory(HistoryLimits limits)
    {
        Limits = limits;
        _terminals = new TerminalSlot[limits.MaxTerminals];
        _eventsPerTerminal = limits.RecentEventsPerTerminal;
        _events = new RecentEvent[limits.MaxTerminals * limits.RecentEventsPerTerminal];
        _cards = new CardEntry[limits.CardCapacity];
        _bins = new BinEntry[limits.BinCapacity];
        _operators = new OperatorEntry[limits.OperatorCapacity];
        _hotList = new HotListEntry[HotListCapacity(limits)];
    }

    /// <summary>Exception-file size: a sixteenth of the card table, at least 64 (a power of two).</summary>
    internal static int HotListCapacity(HistoryLimits limits) => Math.Max(64, limits.CardCapacity / 16);

    public HistoryLimits Limits { get; }

    /// <summary>Bytes held by the tables (for the memory budget report).</summary>
    public long TableBytes => TableBytesFor(Limits);

    /// <summary>Bytes the tables of a history with these limits hold: the memory budget is checked before any is allocated.</summary>
    public static long TableBytesFor(HistoryLimits limits) =>
        (long)limits.MaxTerminals * Unsafe.SizeOf<TerminalSlot>()
        + (long)limits.MaxTerminals * limits.RecentEventsPerTerminal * Unsafe.SizeOf<RecentEvent>()
        + (long)limits.CardCapacity * Unsafe.SizeOf<CardEntry>() + (long)limits.BinCapacity * Unsafe.SizeOf<BinEntry>()
        + (long)limits.OperatorCapacity * Unsafe.SizeOf<OperatorEntry>() + (long)HotListCapacity(limits) * Unsafe.SizeOf<HotListEntry>();

    /// <summary>The terminal's last accepted timestamp (0 when unknown), for clock-sanity validation.</summary>
    public long LastTimestamp(TerminalId terminal)
    {
        int t = FindTerminal(terminal);
        return t < 0 ? 0 : _terminals[t].LastTimestampMs;
    }

    /// <summary>Describes what was known just before <paramref name="evt"/>; changes nothing.</summary>
    public void Describe(in TransactionEvent evt, out EventContext context)
    {
        context = default;
        long now = evt.TimestampUtcMs;
        context.MsSinceCardLastSeen = -1;
        context.MsSinceTerminalPrevious = -1;
        context.CardUsualAmountLog = -1;
        context.AtcDelta = int.MinValue;

        int c = FindCard(evt.CardToken.Value);
        if (c >= 0)
        {
            ref CardEntry card = ref _cards[c];
            context.CardEvents = card.Events;
            ReadOnlySpan<long> times = card.RecentTimes;
            context.CardEvents10Min = Window.Count(times, now, Window.TenMinutesMs);
            context.CardEvents1Hour = Window.Count(times, now, Window.OneHourMs);
            context.CardEvents24Hours = Window.Count(times, now, Window.OneDayMs);
            context.CardDeclines24Hours = Window.Count(card.DeclineTimes, now, Window.OneDayMs);
            context.MsSinceCardLastSeen = card.Events == 0 ? -1 : Math.Max(0, now - card.LastSeenMs);
            context.CardUsualAmountLog = card.Events == 0 ? -1 : card.UsualAmountLog;
            if (evt.HasAtc && card.HasAtc)
            {
                int delta = (ushort)(evt.Atc - card.LastAtc);
                context.AtcDelta = delta > 32768 ? delta - 65536 : delta; // 16-bit counter, wrap aware
            }
            context.CardFraudLabels = card.FraudLabels;
            context.CardPurchasedHereBefore = (card.PurchaseMerchantMask & MerchantBit(evt.MerchantId)) != 0;
        }

        context.CardHotListed = FindHotListed(evt.CardToken.Value) >= 0;

        int t = FindTerminal(evt.TerminalId);
        if (t >= 0) DescribeTerminal(t, now, ref context);

        int b = FindBin(evt.Bin.Prefix6);
        if (b >= 0) DescribeBin(b, now, ref context);

        if (evt.OperatorId != 0)
        {
            int o = FindOperator(OperatorKey(evt.TerminalId, evt.OperatorId));
            if (o >= 0)
            {
                ref OperatorEntry op = ref _operators[o];
                ReadOnlySpan<long> refunds = op.RefundTimes;
                for (int i = 0; i < refunds.Length; i++)
                {
                    long ts = refunds[i];
                    if (ts == 0 || ts > now || now - ts >= Window.OneDayMs) continue;
                    context.OperatorRefunds24Hours++;
                    if ((op.UnmatchedMask & (1 << i)) != 0) context.OperatorUnmatchedRefunds24Hours++;
                }
            }
        }
    }

    private void DescribeTerminal(int t, long now, ref EventContext context)
    {
        ref TerminalSlot slot = ref _terminals[t];
        context.MsSinceTerminalPrevious = slot.Count == 0 ? -1 : Math.Max(0, now - slot.LastTimestampMs);
        context.TerminalFraudLabels30Days = Window.Count(slot.FraudLabelTimes, now, Window.ThirtyDaysMs);
        Span<RecentEvent> ring = _events.AsSpan(t * _eventsPerTerminal, _eventsPerTerminal);
        Span<uint> seenCards = stackalloc uint[BurstScanLimit];
        int distinct = 0;
        int scan = Math.Min(slot.Count, BurstScanLimit);
        for (int k = 0; k < scan; k++)
        {
            ref RecentEvent e = ref ring[(slot.Head - 1 - k + _eventsPerTerminal) % _eventsPerTerminal];
            if (k < RecentEventBuffer.Capacity)
            {
                context.Recent[k] = e;
                context.RecentCount = k + 1;
            }
            if (e.TimestampUtcMs > now || now - e.TimestampUtcMs >= Window.TenMinutesMs) continue;
            context.TerminalEvents10Min++;
            if (e.Outcome == EventOutcome.Declined) context.TerminalDeclines10Min++;
            if (AmountScale.QuarterLog2(e.AmountMinor) < SmallAmountQuarterLog2) context.TerminalSmallAmounts10Min++;
            uint card32 = (uint)e.CardHash;
            if (seenCards[..distinct].IndexOf(card32) < 0) seenCards[distinct++] = card32;
        }
        context.TerminalDistinctCards10Min = distinct;
    }

    private void DescribeBin(int b, long now, ref EventContext context)
    {
        ref BinEntry bin = ref _bins[b];
        Span<uint> seen = stackalloc uint[BinAttempts16Length];
        int distinct = 0;
        for (int i = 0; i < BinAttempts16Length; i++)
        {
            ref BinAttempt a = ref bin.Attempts[i];
            if (a.TimestampMs == 0 || a.TimestampMs > now || now - a.TimestampMs >= Window.TenMinutesMs) continue;
            if (a.Declined) context.BinDeclines10Min++;
            if (seen[..distinct].IndexOf(a.CardHash32) < 0) seen[distinct++] = a.CardHash32;
        }
        context.BinDistinctCards10Min = distinct;
    }

    private const int BinAttempts16Length = 16;

    /// <summary>Adds the event to every table. Call after <see cref="Describe"/>.</summary>
    public void Observe(in TransactionEvent evt)
    {
        long now = evt.TimestampUtcMs;
        ulong cardHash = evt.CardToken.Hash64;

        int t = FindOrAddTerminal(evt.TerminalId, now);
        ref TerminalSlot slot = ref _terminals[t];
        ref RecentEvent e = ref _events[t * _eventsPerTerminal + slot.Head];
        e = new RecentEvent
        {
            EventId = evt.EventId, TimestampUtcMs = now, AmountMinor = evt.AmountMinor, CardHash = cardHash,
            BinPrefix6 = evt.Bin.Prefix6, OperatorId = evt.OperatorId, Kind = evt.Kind, EntryMode = evt.EntryMode,
            Outcome = EventOutcome.Pending,
        };
        slot.Head = (slot.Head + 1) % _eventsPerTerminal;
        if (slot.Count < _eventsPerTerminal) slot.Count++;
        AdvanceClock(ref slot, now);

        int c = FindOrAddCard(evt.CardToken.Value, now);
        ref CardEntry card = ref _cards[c];
        bool matchedSale = (card.PurchaseMerchantMask & MerchantBit(evt.MerchantId)) != 0;
        card.RecentTimes[card.RecentHead] = now;
        card.RecentHead = (byte)((card.RecentHead + 1) % 8);
        int q16 = AmountScale.QuarterLog2(evt.AmountMinor) * 16;
        card.UsualAmountLog = card.Events == 0 ? q16 : card.UsualAmountLog + (q16 - card.UsualAmountLog) / 8;
        if (card.Events < ushort.MaxValue) card.Events++;
        card.LastSeenMs = Math.Max(card.LastSeenMs, now);
        if (evt.HasAtc)
        {
            card.LastAtc = evt.Atc;
            card.HasAtc = true;
        }
        if (evt.Kind is TransactionKind.Purchase or TransactionKind.Completion)
            card.PurchaseMerchantMask |= MerchantBit(evt.MerchantId);

        int b = FindOrAddBin(evt.Bin.Prefix6, now);
        ref BinEntry bin = ref _bins[b];
        bin.Attempts[bin.Head] = new BinAttempt { TimestampMs = now, EventId = evt.EventId, CardHash32 = (uint)cardHash };
        bin.Head = (byte)((bin.Head + 1) % BinAttempts16Length);
        bin.LastSeenMs = Math.Max(bin.LastSeenMs, now);

        if (evt.Kind == TransactionKind.Refund && evt.OperatorId != 0)
        {
            int o = FindOrAddOperator(OperatorKey(evt.TerminalId, evt.OperatorId), now);
            ref OperatorEntry op = ref _operators[o];
            op.RefundTimes[op.Head] = now;
            byte bit = (byte)(1 << op.Head);
            op.UnmatchedMask = matchedSale ? (byte)(op.UnmatchedMask & ~bit) : (byte)(op.UnmatchedMask | bit);
            op.Head = (byte)((op.Head + 1) % 8);
            op.LastSeenMs = Math.Max(op.LastSeenMs, now);
        }
    }

    /// <summary>
    /// Applies an outcome: issuer declines feed decline counters; fraud labels hot-list the card and raise
    /// the terminal's risk. Returns false when the event itself has left the terminal's ring (card and
    /// terminal state are still updated).
    /// </summary>
    public bool Record(in OutcomeNotice notice)
    {
        bool found = false;
        long eventTime = notice.TimestampUtcMs;
        uint binPrefix = 0;
        int t = FindTerminal(notice.TerminalId);
        if (t >= 0)
        {
            ref TerminalSlot slot = ref _terminals[t];
            Span<RecentEvent> ring = _events.AsSpan(t * _eventsPerTerminal, _eventsPerTerminal);
            for (int k = 0; k < slot.Count; k++)
            {
                ref RecentEvent e = ref ring[(slot.Head - 1 - k + _eventsPerTerminal) % _eventsPerTerminal];
                if (e.EventId != notice.EventId) continue;
                found = true;
                eventTime = e.TimestampUtcMs;
                binPrefix = e.BinPrefix6;
                e.Outcome = notice.Kind switch
                {
                    OutcomeKind.IssuerResponse when e.Outcome != EventOutcome.Fraud =>
                        notice.IsApproved ? EventOutcome.Approved : EventOutcome.Declined,
                    OutcomeKind.FraudReported or OutcomeKind.Chargeback => EventOutcome.Fraud,
                    _ => e.Outcome,
                };
                break;
            }
            if (notice.IsFraudLabel)
            {
                slot.FraudLabelTimes[slot.FraudLabelHead] = notice.TimestampUtcMs;
                slot.FraudLabelHead = (byte)((slot.FraudLabelHead + 1) % 16);
            }
        }

        bool declined = notice.Kind == OutcomeKind.IssuerResponse && !notice.IsApproved;
        if (declined || notice.IsFraudLabel)
        {
            // A fraud label for a card we have forgotten still hot-lists it: it may come back.
            int c = notice.IsFraudLabel ? FindOrAddCard(notice.CardToken.Value, notice.TimestampUtcMs) : FindCard(notice.CardToken.Value);
            if (c >= 0)
            {
                ref CardEntry card = ref _cards[c];
                if (declined)
                {
                    card.DeclineTimes[card.DeclineHead] = eventTime;
                    card.DeclineHead = (byte)((card.DeclineHead + 1) % 4);
                }
                else
                {
                    if (card.FraudLabels < byte.MaxValue) card.FraudLabels++;
                    card.HotListed = true;
                }
            }
            if (notice.IsFraudLabel) AddHotListed(notice.CardToken.Value, notice.TimestampUtcMs);
        }

        if (declined && found)
        {
            int b = FindBin(binPrefix);
            if (b >= 0)
            {
                ref BinEntry bin = ref _bins[b];
                for (int i = 0; i < BinAttempts16Length; i++)
                {
                    if (bin.Attempts[i].EventId == notice.EventId) bin.Attempts[i].Declined = true;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Moves the terminal's clock forward. A jump of more than a day is only believed once a second event
    /// confirms it: one event with a broken far-future clock must not make every correctly timed event
    /// after it look "absurdly far in the past" and be rejected.
    /// </summary>
    private static void AdvanceClock(ref TerminalSlot slot, long now)
    {
        if (now - slot.LastTimestampMs <= Window.OneDayMs)
        {
            slot.LastTimestampMs = Math.Max(slot.LastTimestampMs, now);
            slot.PendingJumpMs = 0;
        }
        else if (slot.PendingJumpMs != 0 && Math.Abs(now - slot.PendingJumpMs) <= Window.OneDayMs)
        {
            slot.LastTimestampMs = now; // two events agree: the clock really moved (e.g. back from months offline)
            slot.PendingJumpMs = 0;
        }
        else
        {
            slot.PendingJumpMs = now;
        }
    }

    private static ulong MerchantBit(MerchantId merchant) =>
        1UL << (int)(Window.Mix((ulong)merchant.Packed ^ (ulong)(merchant.Packed >> 64)) & 63);

    private static ulong OperatorKey(TerminalId terminal, uint operatorId) =>
        Window.Mix((ulong)terminal.Packed ^ (ulong)(terminal.Packed >> 64) ^ ((ulong)operatorId << 1)) | 1; // never 0
}
