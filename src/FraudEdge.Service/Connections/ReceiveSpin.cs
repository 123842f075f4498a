using System.Diagnostics;
using System.Net.Sockets;

namespace FraudEdge.Service.Connections;

/// <summary>
/// An adaptive, bounded busy-poll before a connection's thread blocks for its next request. A thread that blocks
/// lets its CPU go idle, and waking an idle CPU is the dearest part of a local round trip (an inter-processor
/// interrupt; on a virtual machine a halted vCPU that the host must reschedule). A client sending back to back —
/// a store-and-forward queue submitted after an outage, a batch, a replay — sends its next request within
/// microseconds of each answer, so polling that long keeps the path hot. A connection polls only while its
/// requests do come back to back (the last one arrived within the window after the answer before it), so sparse
/// traffic — a terminal's normal day — never polls. Only one connection polls at a time, so polling never takes
/// a CPU from a decision, and never on a single CPU, where it would delay the very client it waits for.
/// </summary>
internal sealed class ReceiveSpin
{
    private readonly long _windowTicks;
    private int _polling;

    public ReceiveSpin(int microseconds)
    {
        Microseconds = Environment.ProcessorCount > 1 ? Math.Max(0, microseconds) : 0;
        _windowTicks = Microseconds * Stopwatch.Frequency / 1_000_000;
    }

    /// <summary>The window in effect: the configured one, or 0 (off) on a single CPU.</summary>
    public int Microseconds { get; }

    /// <summary>True when a request that arrived <paramref name="gapTicks"/> after the previous answer means "back to back".</summary>
    public bool IsBackToBack(long gapTicks) => _windowTicks > 0 && gapTicks <= _windowTicks;

    /// <summary>
    /// Polls <paramref name="socket"/> for readable bytes for up to the window, unless another connection is
    /// polling. The caller's blocking receive follows either way (a receive side shut by a timeout or the stop
    /// reads as nothing available: the poll runs out, then the receive returns 0).
    /// </summary>
    public void Poll(Socket socket)
    {
        if (_windowTicks == 0 || Interlocked.CompareExchange(ref _polling, 1, 0) != 0) return;
        try
        {
            long deadline = Stopwatch.GetTimestamp() + _windowTicks;
            // Available is one FIONREAD ioctl: a system call, but no sleep and no wake-up.
            while (socket.Available == 0 && Stopwatch.GetTimestamp() < deadline) Thread.SpinWait(16);
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }
}
