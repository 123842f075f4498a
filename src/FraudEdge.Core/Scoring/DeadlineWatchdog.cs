using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace FraudEdge.Core.Scoring;

/// <summary>
/// Enforces a scorer's per-run deadline by setting <see cref="RunOptions.Terminate"/> from a dedicated
/// thread; ONNX Runtime checks the flag between graph nodes. A dedicated thread rather than a Timer: timer
/// callbacks queue on the thread pool, which is exactly what is starved when a terminal is overloaded,
/// i.e. when a deadline matters. The thread is created once; arming and disarming allocate nothing.
///
/// Waking a sleeping thread costs the caller a futex syscall (measured ~20 µs on a 2-vCPU VM, a quarter of
/// a decision), so the caller never signals while the watchdog is active: the watchdog polls every
/// <c>pollPeriod</c> (the deadline) and notices a new run within one period, which is early enough because
/// the run's deadline is at least one period away. It stops polling and parks after
/// a linger time (<see cref="DefaultLinger"/>) without any run; only the first run after such a quiet spell pays the wake-up.
///
/// Resolution: the thread sleeps in whole milliseconds, so a run is terminated between ~deadline and
/// deadline + 1 ms + scheduling latency, and then only at the next node boundary. Profiles use 5-20 ms
/// deadlines against ~0.1 ms runs, so this bounds a pathological run; it is not a microsecond timer.
///
/// Protocol (one run at a time, on the owner's thread): <c>Arm</c> before the run, <c>Disarm</c> after it.
/// <c>_state</c> holds the armed deadline (a Stopwatch timestamp, always &gt; 0) or Idle/Firing/Fired.
/// The watchdog only fires with a CAS from the exact deadline it read, so a stale wake-up can never
/// terminate a later run; Disarm waits out a firing in progress and clears Terminate, so a flag raised just
/// as a run finished can never kill the next one.
/// </summary>
internal sealed class DeadlineWatchdog : IDisposable
{
    /// <summary>Default quiet time after which the watchdog stops polling and sleeps until the next run.</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(2);

    private const long Idle = 0;
    private const long Firing = -1;
    private const long Fired = -2;

    private readonly RunOptions _runOptions;
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 1);
    private readonly Thread _thread;
    private readonly int _pollMilliseconds;
    private readonly long _lingerTicks;
    private long _state = Idle;
    private long _arms;       // written by the owner only; the watchdog watches it change
    private long _firedCount;
    private int _parked;
    private volatile bool _disposed;

    public DeadlineWatchdog(RunOptions runOptions, TimeSpan pollPeriod, string name, TimeSpan? linger = null)
    {
        _runOptions = runOptions;
        _lingerTicks = (long)((linger ?? DefaultLinger).TotalSeconds * Stopwatch.Frequency);
        _pollMilliseconds = (int)Math.Clamp(Math.Ceiling(pollPeriod.TotalMilliseconds), 1, 1000);
        _thread = new Thread(Loop, maxStackSize: 256 * 1024) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs terminated so far (read from any thread).</summary>
    public long FiredCount => Interlocked.Read(ref _firedCount);

    /// <summary>True while the thread sleeps until the next run (for tests and diagnostics).</summary>
    internal bool IsParked => Volatile.Read(ref _parked) != 0;

    public void Arm(long deadlineTimestamp)
    {
        Volatile.Write(ref _arms, _arms + 1);
        Volatile.Write(ref _state, deadlineTimestamp);
        Interlocked.MemoryBarrier(); // store _state, then load _parked (pairs with the barrier in Park)
        if (Volatile.Read(ref _parked) != 0) _wake.Set();
    }

    /// <summary>Ends the run's watch. True when the watchdog terminated it (Terminate is reset again).</summary>
    public bool Disarm()
    {
        long armed = Volatile.Read(ref _state);
        if (armed > 0 && Interlocked.CompareExchange(ref _state, Idle, armed) == armed) return false;

        // The watchdog won the race: wait until it has set Terminate, then take the flag back down.
        var spin = default(SpinWait);
        while (Volatile.Read(ref _state) != Fired) spin.SpinOnce(sleep1Threshold: -1);
        _runOptions.Terminate = false;
        Volatile.Write(ref _state, Idle);
        return true;
    }

    private void Loop()
    {
        long seenArms = -1, lastActive = Stopwatch.GetTimestamp();
        while (true)
        {
            _wake.Reset();
            if (_disposed) return; // after Reset: a Dispose that Set before the Reset is still seen here

            long now = Stopwatch.GetTimestamp();
            long arms = Volatile.Read(ref _arms);
            if (arms != seenArms)
            {
                seenArms = arms;
                lastActive = now;
            }

            long armed = Volatile.Read(ref _state);
            if (armed > 0)
            {
                if (now >= armed)
                {
                    Fire(armed);
                    continue;
                }
                long ms = ((armed - now) * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency;
                _wake.Wait((int)Math.Min(ms, int.MaxValue));
            }
            else if (now - lastActive < _lingerTicks)
            {
                _wake.Wait(_pollMilliseconds);
            }
            else
            {
                Park();
            }
        }
    }

    private void Fire(long armed)
    {
        if (Interlocked.CompareExchange(ref _state, Firing, armed) != armed) return; // the run ended first
        _runOptions.Terminate = true;
        Interlocked.Increment(ref _firedCount);
        Volatile.Write(ref _state, Fired);
    }

    private void Park()
    {
        Volatile.Write(ref _parked, 1);
        Interlocked.MemoryBarrier(); // store _parked, then load _state (pairs with the barrier in Arm)
        if (Volatile.Read(ref _state) <= 0 && !_disposed) _wake.Wait();
        Volatile.Write(ref _parked, 0);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
    }
}
