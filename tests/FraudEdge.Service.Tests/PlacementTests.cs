using System.Diagnostics;
using FraudEdge.Service.Placement;

namespace FraudEdge.Service.Tests;

/// <summary>--cpus: fraudedged runs on the CPUs it is given (every thread), and a list it cannot apply stops it at start-up.</summary>
public sealed class PlacementTests
{
    [Theory]
    [InlineData("1", 0b10UL)]
    [InlineData("0-1", 0b11UL)]
    [InlineData("0,2-3", 0b1101UL)]
    [InlineData(" 5 ", 1UL << 5)]
    public void Cpu_lists_parse_to_masks_and_back(string text, ulong mask)
    {
        Assert.Equal(mask, CpuAffinity.TryParse(text, out string? error));
        Assert.Null(error);
        Assert.Equal(text.Trim(), CpuAffinity.Describe(mask));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("2-1")]
    [InlineData("64")]
    [InlineData("1,")]
    [InlineData("-1")]
    public void Impossible_cpu_lists_are_refused(string text)
    {
        Assert.Null(CpuAffinity.TryParse(text, out string? error));
        Assert.Contains("not a CPU list", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_thread_of_the_service_runs_on_the_cpus_it_was_given()
    {
        string cpu = (Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var service = await ServiceProcess.StartAsync(_ => ["--cpus", cpu]);
        using (var c = new RawConnection(service.SocketPath)) c.Ping(); // serving
        await service.WaitForOutputAsync($"CPUs {cpu}");                  // and says where, in its start-up line
        string[] tasks = Directory.GetDirectories($"/proc/{service.Pid}/task");
        Assert.True(tasks.Length > 3, "expected the runtime's threads");
        foreach (string task in tasks)
        {
            string? allowed = null;
            try
            {
                allowed = File.ReadAllLines(Path.Combine(task, "status")).FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }
            Assert.Equal($"Cpus_allowed_list:\t{cpu}", allowed);
        }
    }

    [Theory]
    [InlineData("63", "sched_setaffinity refused")] // no such CPU on the test machine (its mask has none of them online)
    [InlineData("one", "not a CPU list")]
    public async Task A_cpu_list_that_cannot_be_applied_stops_the_start_with_exit_code_2(string cpus, string message)
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-cpus-").FullName;
        try
        {
            var psi = new ProcessStartInfo(ServiceProcess.DotnetHost()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "fraudedged.dll"), "--socket", Path.Combine(dir, "fe.sock"),
                         "--audit", Path.Combine(dir, "audit"), "--profile", ServiceProcess.WriteProfile(dir), "--cpus", cpus })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = await process.StandardError.ReadToEndAsync();
            await stdout;
            await process.WaitForExitAsync();
            Assert.Equal(2, process.ExitCode);
            Assert.Contains(message, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "fe.sock")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
