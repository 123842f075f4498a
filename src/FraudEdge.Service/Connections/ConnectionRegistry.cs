using FraudEdge.Core.Profiles;

namespace FraudEdge.Service.Connections;

/// <summary>
/// The open connections, in a fixed array sized by the profile's max_connections (no growth). Each runs on its
/// own thread and enforces its own read and idle timeouts (<see cref="ServiceConnection"/>), so no timer runs here.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ServiceConnection?[] _slots;
    private readonly Task?[] _tasks;
    private readonly Lock _lock = new();

    public ConnectionRegistry(ServiceLimits limits)
    {
        _slots = new ServiceConnection?[limits.MaxConnections];
        _tasks = new Task?[limits.MaxConnections];
    }

    public int Capacity => _slots.Length;

    public int Count
    {
        get
        {
            lock (_lock) return Array.FindAll(_slots, s => s is not null).Length;
        }
    }

    /// <summary>The open connections for the connection-limit log line. Only on the refusal path, so it may allocate.</summary>
    public string Describe()
    {
        lock (_lock)
            return string.Join(", ", _slots.Where(c => c is not null).Select(c => c!.Describe()));
    }

    /// <summary>Starts <paramref name="connection"/> if a slot is free; false when the service is at its limit.</summary>
    public bool TryStart(ServiceConnection connection, Action onClosed)
    {
        lock (_lock)
        {
            int slot = Array.IndexOf(_slots, null);
            if (slot < 0) return false;
            _slots[slot] = connection;
            // The callback runs on the connection's thread and waits for this lock, so the slot is filled first.
            _tasks[slot] = connection.Start(() =>
            {
                lock (_lock)
                {
                    _slots[slot] = null;
                    _tasks[slot] = null;
                }
                onClosed();
            });
            return true;
        }
    }

    /// <summary>Asks every connection to answer what it has read, send ShuttingDown and close; waits up to <paramref name="timeout"/>.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Task[] running;
        lock (_lock)
        {
            foreach (var c in _slots) c?.RequestStop();
            running = Array.FindAll(_tasks, t => t is not null)!;
        }
        await Task.WhenAll(running).WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
