using System.Runtime.InteropServices;
using FraudEdge.Service.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FraudEdge.Service.Memory;

/// <summary>
/// Watches the service's own resident memory against the profile's budget (docs/operations.md "Memory
/// budget"). Over budget it first gives memory back (a compacting GC, glibc's malloc_trim for ONNX
/// Runtime's freed buffers, <see cref="CodePages"/>); if the process is still over, it sheds: ScoreRequests get Error 17
/// OverMemoryBudget, so the terminal decides by its own offline rules instead of the service growing. It
/// resumes once resident memory is back under <see cref="ResumeFraction"/> of the budget, so one sample
/// either side of the line does not flap.
/// </summary>
internal sealed partial class MemoryWatch : BackgroundService
{
    public const double ResumeFraction = 0.95;
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Func<long> _readResident;
    private readonly ILogger _logger;
    private volatile bool _shedding;
    private long _residentBytes;
    private long _episodes;

    public MemoryWatch(MemoryBudget budget, ILogger<MemoryWatch> logger)
        : this(budget.BudgetBytes, budget.Resident.ReadBytes, logger)
    {
    }

    internal MemoryWatch(long budgetBytes, Func<long> readResident, ILogger logger)
    {
        BudgetBytes = budgetBytes;
        _readResident = readResident;
        _logger = logger;
    }

    public long BudgetBytes { get; }

    /// <summary>True while ScoreRequests are refused with OverMemoryBudget.</summary>
    public bool Shedding => _shedding;

    /// <summary>Resident bytes at the last sample.</summary>
    public long ResidentBytes => Interlocked.Read(ref _residentBytes);

    /// <summary>How many times shedding has started since the service started.</summary>
    public long Episodes => Interlocked.Read(ref _episodes);

    /// <summary>One sample; the timer calls it, tests call it directly.</summary>
    public void Sample()
    {
        long resident = _readResident();
        if (resident == 0) return; // no /proc: nothing to judge by
        if (!_shedding && resident > BudgetBytes)
        {
            long before = resident;
            GiveBack();
            resident = _readResident();
            if (resident > BudgetBytes)
            {
                _shedding = true;
                Interlocked.Increment(ref _episodes);
                ServiceLog.SheddingStarted(_logger, resident >> 10, BudgetBytes >> 10, before >> 10);
            }
        }
        else if (_shedding && resident < BudgetBytes * ResumeFraction)
        {
            _shedding = false;
            ServiceLog.SheddingStopped(_logger, resident >> 10, BudgetBytes >> 10);
        }
        Interlocked.Exchange(ref _residentBytes, resident);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Sample();
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>A compacting GC, freed malloc memory back to the kernel, code pages decisions no longer touch.</summary>
    public static void GiveBack()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (musl has no malloc_trim): the GC alone has to do
        }
        CodePages.PageOut();
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
