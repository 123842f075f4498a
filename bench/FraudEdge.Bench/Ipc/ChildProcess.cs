using System.Diagnostics;
using System.Text;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// A process this benchmark started: stdout and stderr kept (for failure messages), or stdout read line by line
/// by the caller when it talks to the child (fe_ipc_bench --sync). Stopped with SIGTERM; killed only if it
/// does not stop in time.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process, bool readStdout)
    {
        _process = process;
        if (readStdout) process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (readStdout) process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the child wrote that the caller did not read itself.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Starts <paramref name="file"/>. With <paramref name="talk"/> the caller reads stdout (<see cref="ReadLine"/>) and writes stdin.</summary>
    public static ChildProcess Start(string file, IEnumerable<string> arguments, bool talk = false)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = talk, UseShellExecute = false,
        };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        return new ChildProcess(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}"), readStdout: !talk);
    }

    /// <summary>The next stdout line of a child started with talk: true (null at its end).</summary>
    public string? ReadLine() => _process.StandardOutput.ReadLine();

    public string ReadToEnd() => _process.StandardOutput.ReadToEnd();

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Waits for the exit and for the redirected output to be drained.</summary>
    public void WaitForExit() => _process.WaitForExit();

    /// <summary>SIGTERM, then waits; SIGKILL after <paramref name="timeout"/>. Returns the exit code (-1: had to be killed).</summary>
    public int Stop(TimeSpan timeout)
    {
        if (!_process.HasExited) Posix.Terminate(_process.Id);
        if (_process.WaitForExit(timeout))
        {
            _process.WaitForExit(); // drains the redirected output
            return _process.ExitCode;
        }
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return -1;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { Stop(TimeSpan.FromSeconds(10)); }
            catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
