using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.Traffic;

/// <summary>Outcome notices waiting for their arrival time, ordered by time then creation order.</summary>
internal sealed class NoticeQueue
{
    private readonly PriorityQueue<OutcomeNotice, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    public int Count => _queue.Count;

    public void Add(in OutcomeNotice notice) => _queue.Enqueue(notice, (notice.TimestampUtcMs, _sequence++));

    /// <summary>Removes the earliest notice if it arrives strictly before <paramref name="beforeMs"/>.</summary>
    public bool TryTakeBefore(long beforeMs, out OutcomeNotice notice)
    {
        if (_queue.TryPeek(out notice, out var priority) && priority.Time < beforeMs)
        {
            _queue.Dequeue();
            return true;
        }
        notice = default;
        return false;
    }
}
