namespace FraudEdge.Service.Connections;

/// <summary>
/// First come, first decided: connections take a ticket before asking the engine, which decides one event at a
/// time (its lock covers the audit append, fsync included). The engine's own lock lets a running thread take it
/// again before a woken waiter gets there, so under contention one connection could wait behind dozens of
/// decisions of the others; with tickets a request waits for at most the requests queued before it — one per
/// other connection.
/// </summary>
internal sealed class DecisionQueue
{
    private readonly object _sync = new();
    private long _nextTicket;
    private long _serving;

    /// <summary>Callers waiting for their turn (not counting the one deciding).</summary>
    public int Waiting
    {
        get
        {
            lock (_sync) return (int)Math.Max(0, _nextTicket - _serving - 1);
        }
    }

    /// <summary>Waits for this caller's turn. Allocation-free (Monitor on a private object).</summary>
    public void Enter()
    {
        lock (_sync)
        {
            long ticket = _nextTicket++;
            while (ticket != _serving) Monitor.Wait(_sync);
        }
    }

    /// <summary>Ends the current turn and wakes the waiters; the one holding the next ticket goes on.</summary>
    public void Exit()
    {
        lock (_sync)
        {
            _serving++;
            Monitor.PulseAll(_sync);
        }
    }
}
