using System.Diagnostics;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Service.Connections;

/// <summary>
/// The open connections, in a fixed array sized by the profile's max_connections (no growth), and the
/// heartbeat that enforces read and idle timeouts on all of them (each connection runs on its own thread): one timer for the service instead of a
/// timer per read (Kestrel's heartbeat does the same).
/// </summary>
internal sealed class ConnectionRegistry : IDisposable
{
    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromMilliseconds(100);

    private readonly ServiceConnection?[] _slots;
    private readonly Task?[] _tasks;
    private readonly long _readTimeoutTicks;
    private readonly long _idleTimeoutTicks;
    private readonly Timer _heartbeat;
    private readonly Lock _lock = new();

    public ConnectionRegistry(ServiceLimits limits)
    {
        _slots = new ServiceConnection?[limits.MaxConnections];
        _tasks = new Task?[limits.MaxConnections];
        _readTimeoutTicks = limits.ReadTimeoutMs * Stopwatch.Frequency / 1000;
        _idleTimeoutTicks = limits.IdleTimeoutMs * Stopwatch.Frequency / 1000;
        _heartbeat = new Timer(_ => Beat(), null, HeartbeatPeriod, HeartbeatPeriod);
    }

    public int Capacity => _slots.Length;

    public int Count
    {
        get
        {
            lock (_lock) return Array.FindAll(_slots, s => s is not null).Length;
        }
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
            foreach (var c in _slots) c?.RequestClose(CloseReason.ShuttingDown);
            running = Array.FindAll(_tasks, t => t is not null)!;
        }
        await Task.WhenAll(running).WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Beat()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            foreach (var c in _slots) c?.CheckTimeouts(now, _readTimeoutTicks, _idleTimeoutTicks);
        }
    }

    public void Dispose() => _heartbeat.Dispose();
}
