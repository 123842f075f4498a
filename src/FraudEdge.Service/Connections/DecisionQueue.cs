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

    /// <summary>
    /// Waits for this caller's turn; disposing the result ends it (<c>using (queue.Enter()) …</c>).
    /// Allocation-free (Monitor on a private object; the turn is a struct).
    /// </summary>
    public Turn Enter()
    {
        lock (_sync)
        {
            long ticket = _nextTicket++;
            while (ticket != _serving) Monitor.Wait(_sync);
        }
        return new Turn(this);
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

    /// <summary>The caller's turn at the engine: Dispose calls <see cref="Exit"/>.</summary>
    public readonly ref struct Turn(DecisionQueue queue)
    {
        public void Dispose() => queue.Exit();
    }
}
