using System.Globalization;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Service.Memory;

/// <summary>
/// What the service needs resident, part by part, against the hardware profile's budget. Checked twice at
/// start-up: before the model is loaded (the runtime as measured, plus what the profile makes the service
/// allocate: tables, buffers, the model's bytes) and after it is loaded and warmed up (the whole process,
/// measured). Either failing refuses the start with the numbers, rather than running into the budget later.
/// </summary>
internal sealed record MemoryPlan
{
    private const double MiB = 1024 * 1024;

    public required string Profile { get; init; }
    public required long BudgetBytes { get; init; }
    public required long GcHeapLimitBytes { get; init; }

    /// <summary>Resident before the engine exists: the .NET runtime, the host, the service's code (measured).</summary>
    public required long RuntimeBytes { get; init; }

    /// <summary>The terminal history tables, allocated once from the profile's capacities (exact).</summary>
    public required long HistoryTableBytes { get; init; }

    /// <summary>Per-connection pipe and frame buffers at the profile's connection limit (upper bound).</summary>
    public required long ConnectionBufferBytes { get; init; }

    /// <summary>The model file ONNX Runtime holds (its weights stay resident; ORT's own code comes on top).</summary>
    public required long ModelBytes { get; init; }

    public long BeforeModelLoadBytes => RuntimeBytes + HistoryTableBytes + ConnectionBufferBytes + ModelBytes;

    /// <summary>Managed heap the service needs besides the tables: hosting, logging, per-connection objects.</summary>
    public const long ManagedWorkingBytes = 4L * 1024 * 1024;

    /// <summary>Pipe buffers: a connection holds at most one frame in and its answers out, in 4 KiB segments.</summary>
    public static long ConnectionBuffers(ServiceLimits limits) =>
        (long)limits.MaxConnections * (2L * RoundUp(limits.MaxFrameBytes, 4096) + 2 * 4096);

    /// <summary>Throws <see cref="MemoryBudgetException"/> when the profile cannot hold what it asks for.</summary>
    public void CheckBeforeLoad()
    {
        if (HistoryTableBytes + ConnectionBufferBytes + ManagedWorkingBytes > GcHeapLimitBytes)
            throw new MemoryBudgetException(string.Create(CultureInfo.InvariantCulture,
                $"hardware profile {Profile}: gc_heap_limit_mib {Mib(GcHeapLimitBytes)} cannot hold the history tables ({Mib(HistoryTableBytes)} MiB) "
                + $"+ connection buffers ({Mib(ConnectionBufferBytes)} MiB) + {Mib(ManagedWorkingBytes)} MiB of working heap "
                + $"= {Mib(HistoryTableBytes + ConnectionBufferBytes + ManagedWorkingBytes)} MiB; lower the history capacities or raise the limit"));
        if (BeforeModelLoadBytes > BudgetBytes)
            throw new MemoryBudgetException(string.Create(CultureInfo.InvariantCulture,
                $"hardware profile {Profile}: memory budget {Mib(BudgetBytes)} MiB cannot hold the runtime ({Mib(RuntimeBytes)} MiB measured) "
                + $"+ history tables ({Mib(HistoryTableBytes)} MiB) + connection buffers ({Mib(ConnectionBufferBytes)} MiB) "
                + $"+ model ({Mib(ModelBytes)} MiB) = {Mib(BeforeModelLoadBytes)} MiB, before ONNX Runtime is even loaded"));
    }

    /// <summary>After the model is loaded and one decision has run: the process as measured must fit.</summary>
    public void CheckAfterLoad(long residentBytes)
    {
        if (residentBytes <= BudgetBytes) return;
        long modelRuntime = LoadedBeyondRuntimeAndTables(residentBytes);
        throw new MemoryBudgetException(string.Create(CultureInfo.InvariantCulture,
            $"hardware profile {Profile}: memory budget {Mib(BudgetBytes)} MiB exceeded after loading the model: {Mib(residentBytes)} MiB resident "
            + $"= runtime {Mib(RuntimeBytes)} MiB + history tables {Mib(HistoryTableBytes)} MiB + ONNX Runtime, the model and the code that ran them {Mib(modelRuntime)} MiB "
            + $"(measured); the NativeAOT build needs less (hardware-profiles/README.md)"));
    }

    public string Describe(long residentBytes) => string.Create(CultureInfo.InvariantCulture,
        $"{Mib(residentBytes)} MiB resident of a {Mib(BudgetBytes)} MiB budget (runtime {Mib(RuntimeBytes)} MiB, history tables {Mib(HistoryTableBytes)} MiB, "
        + $"connection buffers up to {Mib(ConnectionBufferBytes)} MiB, ONNX Runtime, the model and the code that ran them {Mib(LoadedBeyondRuntimeAndTables(residentBytes))} MiB)");

    /// <summary>What loading and running the model added: the measured whole less the runtime and the tables.</summary>
    private long LoadedBeyondRuntimeAndTables(long residentBytes) => Math.Max(0, residentBytes - RuntimeBytes - HistoryTableBytes);

    private static string Mib(long bytes) => (bytes / MiB).ToString("0.0", CultureInfo.InvariantCulture);

    private static long RoundUp(long value, long unit) => (value + unit - 1) / unit * unit;
}
