using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;
using FraudEdge.Data.EventLog;

namespace FraudEdge.Data.Replay;

/// <summary>
/// Replays an event log through the core's own <see cref="TerminalHistory"/> and <see cref="Tokenizer"/>, in
/// log (time) order, exactly as a terminal would have lived it: for each event Describe (what was known just
/// before) → Tokenize / features → the caller looks → Observe (when the caller moves on); for each notice
/// Record. The dataset export, <c>fraudedge evaluate</c> and the demo share this loop, so what training sees
/// is what serving sees.
/// By default every terminal gets its own history (<see cref="HistoryScope.Terminal"/>), because that is how
/// FraudEdge is deployed: on the device, remembering only what that device saw. Replaying a town's log through
/// one shared history would let the model learn from other terminals' traffic that no terminal can observe.
/// </summary>
public sealed class EventLogReplay : IDisposable
{
    private readonly EventLogReader _reader;
    private readonly bool _ownsReader;
    private readonly bool _computeFeatures;
    private readonly int[] _tokens = new int[Tokenizer.SequenceLength];
    private readonly float[] _features;
    private EventLogRecord _record;
    private EventContext _context;
    private bool _pendingObserve;
    private bool _disposed;
    private readonly HistoryLimits _limits;
    private readonly HistoryScope _scope;
    private readonly Dictionary<TerminalId, TerminalHistory> _histories = [];
    private TerminalHistory? _shared;

    public EventLogReplay(EventLogReader reader, HistoryLimits limits, bool computeFeatures = true, bool ownsReader = false,
        HistoryScope scope = HistoryScope.Terminal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(limits);
        _reader = reader;
        _ownsReader = ownsReader;
        _computeFeatures = computeFeatures;
        _features = new float[computeFeatures ? AggregateFeatures.Count : 0];
        _limits = limits;
        _scope = scope;
        History = scope == HistoryScope.Shared ? (_shared = new TerminalHistory(limits)) : new TerminalHistory(limits);
    }

    /// <summary>Opens a log file and replays it with the history sized by a hardware profile (name or path).</summary>
    public static EventLogReplay Open(string path, string profile = DefaultProfile, bool computeFeatures = true,
        HistoryScope scope = HistoryScope.Terminal)
    {
        var limits = HardwareProfiles.Resolve(profile).History;
        var reader = EventLogReader.Open(path);
        try
        {
            return new EventLogReplay(reader, limits, computeFeatures, ownsReader: true, scope);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public EventLogHeader Header => _reader.Header;

    /// <summary>Each terminal is a device with the entry profile's tables, as `fraudedge evaluate` deploys it.</summary>
    public const string DefaultProfile = "entry-a53";

    /// <summary>The history of the current record's terminal (or the shared one).</summary>
    public TerminalHistory History { get; private set; }

    /// <summary>Terminals replayed so far (one history each under <see cref="HistoryScope.Terminal"/>).</summary>
    public int TerminalCount => _scope == HistoryScope.Shared ? 1 : _histories.Count;

    private TerminalHistory HistoryFor(TerminalId terminal)
    {
        if (_shared is not null) return _shared;
        if (!_histories.TryGetValue(terminal, out var history))
        {
            // The first terminal reuses the history made in the constructor (so History is never null).
            history = _histories.Count == 0 ? History : new TerminalHistory(_limits);
            _histories.Add(terminal, history);
        }
        return history;
    }

    /// <summary>Kind of the current record.</summary>
    public EventLogRecordKind Kind => _record.Kind;

    /// <summary>The current event (valid when <see cref="Kind"/> is Event).</summary>
    public ref readonly TransactionEvent Event => ref _record.Event;

    /// <summary>Ground truth of the current event (<see cref="FraudTypology.Unknown"/> for imported logs).</summary>
    public FraudTypology Typology => _record.Typology;

    /// <summary>The current notice (valid when <see cref="Kind"/> is Notice); already applied to the history.</summary>
    public ref readonly OutcomeNotice Notice => ref _record.Notice;

    /// <summary>What the history knew just before the current event.</summary>
    public ref readonly EventContext Context => ref _context;

    /// <summary>fe-tok-1 tokens of the current event.</summary>
    public ReadOnlySpan<int> Tokens => _tokens;

    /// <summary>Aggregate features of the current event (empty when features are off).</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>For a notice: whether its event was still in the terminal's ring when it arrived.</summary>
    public bool NoticeMatched { get; private set; }

    /// <summary>Record number in the log of the current record (0 is the header).</summary>
    public long RecordNumber => _reader.RecordNumber;

    public long EventCount => _reader.EventCount;

    public long NoticeCount => _reader.NoticeCount;

    /// <summary>Advances to the next event or notice; false at the end of the log.</summary>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObservePending();
        if (!_reader.Read(out _record)) return false;
        if (_record.Kind == EventLogRecordKind.Event)
        {
            History = HistoryFor(_record.Event.TerminalId);
            History.Describe(_record.Event, out _context);
            Tokenizer.Tokenize(_record.Event, _context, _tokens);
            if (_computeFeatures) AggregateFeatures.Write(_record.Event, _context, _features);
            _pendingObserve = true;
        }
        else
        {
            _context = default;
            History = HistoryFor(_record.Notice.TerminalId);
            NoticeMatched = History.Record(_record.Notice);
        }
        return true;
    }

    /// <summary>Advances to the next event, applying the notices before it; false at the end of the log.</summary>
    public bool MoveNextEvent()
    {
        while (MoveNext())
            if (_record.Kind == EventLogRecordKind.Event) return true;
        return false;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_ownsReader) _reader.Dispose();
    }

    private void ObservePending()
    {
        if (!_pendingObserve) return;
        History.Observe(_record.Event);
        _pendingObserve = false;
    }
}
