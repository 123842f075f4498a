using FraudEdge.Core;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Service.Memory;

/// <summary>
/// The memory budget in force (the profile's, or --memory-budget-mib) and the plan it was checked against at
/// start-up. One per process; the memory watch and Status read it.
/// </summary>
internal sealed class MemoryBudget : IDisposable
{
    private const long MiB = 1024 * 1024;

    public MemoryBudget(HardwareProfile profile, int? overrideMib)
    {
        Profile = profile;
        BudgetBytes = (overrideMib ?? profile.MemoryBudgetMib) * MiB;
        GcHeapLimitBytes = profile.GcHeapLimitMib * MiB;
        RuntimeBytes = Resident.ReadBytes();
    }

    public HardwareProfile Profile { get; }
    public long BudgetBytes { get; }
    public long GcHeapLimitBytes { get; }

    /// <summary>Resident before the engine was created: the runtime, the host and the service's code.</summary>
    public long RuntimeBytes { get; }

    public ResidentMemory Resident { get; } = new();

    /// <summary>Set once the engine is loaded and the after-load check has passed.</summary>
    public MemoryPlan? Plan { get; private set; }

    /// <summary>Checks the profile before the model is loaded; throws <see cref="MemoryBudgetException"/>.</summary>
    public MemoryPlan CheckBeforeLoad(long historyTableBytes, long modelBytes)
    {
        var plan = new MemoryPlan
        {
            Profile = Profile.Name,
            BudgetBytes = BudgetBytes,
            GcHeapLimitBytes = GcHeapLimitBytes,
            RuntimeBytes = RuntimeBytes,
            HistoryTableBytes = historyTableBytes,
            ConnectionBufferBytes = MemoryPlan.ConnectionBuffers(Profile.Service),
            ModelBytes = modelBytes,
        };
        plan.CheckBeforeLoad();
        return plan;
    }

    /// <summary>Measures the loaded, warmed-up process against the plan; throws <see cref="MemoryBudgetException"/>.</summary>
    public long CheckAfterLoad(MemoryPlan plan)
    {
        long resident = Resident.ReadBytes();
        if (Resident.Available) plan.CheckAfterLoad(resident);
        Plan = plan;
        return resident;
    }

    public void Dispose() => Resident.Dispose();
}
