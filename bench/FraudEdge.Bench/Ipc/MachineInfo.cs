using System.Runtime.InteropServices;

namespace FraudEdge.Bench.Ipc;

/// <summary>What the numbers were measured on (bench/README.md names the machine with every result).</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Os, string Runtime, DateTime StartedUtc)
{
    public static MachineInfo Read() => new(CpuModel(), Environment.ProcessorCount, RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription, DateTime.UtcNow);

    /// <summary>"CPU model, N cores, OS": one line for a report.</summary>
    public static string Describe()
    {
        MachineInfo m = Read();
        return $"{m.Cpu}, {m.Cores} cores, {m.Os}";
    }

    /// <summary>/proc/loadavg's 1, 5 and 15 minute averages: other jobs on a shared machine show up here.</summary>
    public static string LoadAverage()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
