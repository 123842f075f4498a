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

    /// <summary>
    /// The file system that holds <paramref name="path"/> ("ext4 on /dev/mmcblk0p3"), from /proc/self/mountinfo: the
    /// audit fsync is a different cost on tmpfs, ext4 on eMMC or a virtio disk, so a report says which it paid.
    /// </summary>
    public static string FileSystemOf(string path)
    {
        try
        {
            string full = Path.GetFullPath(path);
            string best = "", type = "unknown", source = "?";
            foreach (string line in File.ReadLines("/proc/self/mountinfo"))
            {
                // id parent major:minor root mount-point options [optional...] - type source super-options
                string[] f = line.Split(' ');
                int dash = Array.IndexOf(f, "-");
                if (f.Length < 5 || dash < 0 || dash + 2 >= f.Length) continue;
                string mount = f[4].Replace("\\040", " ", StringComparison.Ordinal);
                bool covers = full == mount || full.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal);
                if (covers && mount.Length >= best.Length) (best, type, source) = (mount, f[dash + 1], f[dash + 2]);
            }
            return $"{type} on {source}, mounted at {best}";
        }
        catch (IOException)
        {
            return "unknown file system";
        }
    }

    /// <summary>x86's "model name"; on ARM, where /proc/cpuinfo has none, the core from "CPU part" and the board.</summary>
    private static string CpuModel()
    {
        try
        {
            string? part = null;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                string value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                if (line.StartsWith("model name", StringComparison.Ordinal)) return value;
                if (line.StartsWith("CPU part", StringComparison.Ordinal)) part ??= value;
            }
            if (part is not null)
            {
                string core = part switch
                {
                    "0xd03" => "Cortex-A53", "0xd04" => "Cortex-A35", "0xd05" => "Cortex-A55", "0xd07" => "Cortex-A57",
                    "0xd08" => "Cortex-A72", "0xd09" => "Cortex-A73", "0xd0a" => "Cortex-A75", "0xd0b" => "Cortex-A76",
                    _ => $"ARM CPU part {part}",
                };
                string board = File.Exists("/proc/device-tree/model") ? File.ReadAllText("/proc/device-tree/model").TrimEnd('\0', '\n') : "";
                return board.Length > 0 ? $"{core} ({board})" : core;
            }
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
