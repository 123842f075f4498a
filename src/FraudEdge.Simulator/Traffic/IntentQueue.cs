namespace FraudEdge.Simulator.Traffic;

/// <summary>
/// Planned transactions ordered by time; ties broken by planning order, so execution order never depends on
/// the heap's internal layout.
/// </summary>
internal sealed class IntentQueue
{
    private readonly PriorityQueue<Intent, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    public int Count => _queue.Count;

    public void Schedule(in Intent intent) => _queue.Enqueue(intent, (intent.TimestampMs, _sequence++));

    public bool TryPeekTime(out long timestampMs)
    {
        if (_queue.TryPeek(out _, out var priority))
        {
            timestampMs = priority.Time;
            return true;
        }
        timestampMs = 0;
        return false;
    }

    public Intent Dequeue() => _queue.Dequeue();

    public void Clear() => _queue.Clear();
}
