using System.Runtime.InteropServices;

namespace FraudEdge.Bench.Ipc;

/// <summary>Signals for the child processes this benchmark starts (Process.Kill sends SIGKILL; a service stops on SIGTERM).</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;

    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
