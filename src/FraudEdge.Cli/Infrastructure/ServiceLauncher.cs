using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace FraudEdge.Cli.Infrastructure;

/// <summary>
/// Runs the real fraudedged (built next to fraudedge.dll) on a socket in a private temp folder, as a POS
/// device would run it, and stops it with SIGTERM like systemd does.
/// </summary>
internal sealed partial class ServiceLauncher : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _directory;

    private ServiceLauncher(Process process, string directory, string socketPath)
    {
        _process = process;
        _directory = directory;
        SocketPath = socketPath;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The memory budget the JIT build runs with here, in MiB.</summary>
    public const string JitMemoryBudgetMib = "256";

    public string SocketPath { get; }

    /// <summary>The audit log folder the service writes (inside the launcher's temp folder).</summary>
    public string AuditDirectory => Path.Combine(_directory, "audit");

    public int Pid => _process.Id;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static ServiceLauncher Start(IEnumerable<string> arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "fraudedged.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("fraudedged.dll is not next to fraudedge.dll; build FraudEdge.Cli, which references the service", dll);
        string dir = Directory.CreateTempSubdirectory("fraudedge-demo-svc-").FullName;
        string socket = Path.Combine(dir, "fraudedged.sock");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--socket");
        psi.ArgumentList.Add(socket);
        psi.ArgumentList.Add("--audit");
        psi.ArgumentList.Add(Path.Combine(dir, "audit"));
        // This is the JIT build (fraudedged.dll): its runtime alone is ~50 MiB resident, over entry-a53's 48 MiB,
        // which is the NativeAOT build's budget (hardware-profiles/README.md). Give it room; a caller's own
        // --memory-budget-mib comes later and wins.
        psi.ArgumentList.Add("--memory-budget-mib");
        psi.ArgumentList.Add(JitMemoryBudgetMib);
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        var launcher = new ServiceLauncher(Process.Start(psi)!, dir, socket);
        launcher.WaitReady();
        return launcher;
    }

    private void WaitReady()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited) throw new InvalidOperationException($"fraudedged exited with code {_process.ExitCode}:\n{Log}");
            if (File.Exists(SocketPath))
            {
                try
                {
                    using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    probe.Connect(new UnixDomainSocketEndPoint(SocketPath));
                    return;
                }
                catch (SocketException)
                {
                }
            }
            Thread.Sleep(25);
        }
        throw new TimeoutException($"fraudedged did not open {SocketPath} within 30 s:\n{Log}");
    }

    /// <summary>SIGTERM and wait: the service drains, writes its final log lines and removes the socket.</summary>
    public int Stop()
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, 15);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20))) _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
