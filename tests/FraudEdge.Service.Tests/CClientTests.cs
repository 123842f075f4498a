using System.Diagnostics;

namespace FraudEdge.Service.Tests;

/// <summary>The firmware-side C client (clients/c), built with gcc by this test, against the real service.</summary>
public sealed class CClientTests
{
    private static readonly Lazy<string> FeScore = new(Build);

    /// <summary>make -C clients/c: the strict flags (-Wall -Wextra -Werror) are in its Makefile.</summary>
    private static string Build()
    {
        string dir = Path.Combine(ServiceProcess.RepoRoot(), "clients", "c");
        var (code, output) = Run("make", ["-C", dir, "build/fe_score"]);
        Assert.True(code == 0, $"make failed:\n{output}");
        return Path.Combine(dir, "build", "fe_score");
    }

    private static (int Code, string Output) Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public async Task The_gcc_built_C_client_scores_pings_and_reads_status_from_the_real_service()
    {
        await using var service = await ServiceProcess.StartAsync();
        string feScore = FeScore.Value;

        var (pingCode, ping) = Run(feScore, ["--socket", service.SocketPath, "--ping"]);
        Assert.True(pingCode == 0, ping);

        var (code, output) = Run(feScore, ["--socket", service.SocketPath, "--count", "25"]);
        Assert.True(code == 0, output);
        string[] decisions = output.Split('\n').Where(l => l.Contains("verdict=", StringComparison.Ordinal)).ToArray();
        Assert.Equal(25, decisions.Length);
        Assert.All(decisions, l => Assert.Matches(@"verdict=(allow|review|deny) risk=\d+ .*source=model", l));

        var (statusCode, status) = Run(feScore, ["--socket", service.SocketPath, "--status"]);
        Assert.True(statusCode == 0, status);
        Assert.Contains("decisions=25", status, StringComparison.Ordinal);
        Assert.Contains("profile=test-entry", status, StringComparison.Ordinal);
    }

    [Fact]
    public void The_C_client_reports_a_missing_service_as_an_error_not_a_crash()
    {
        string feScore = FeScore.Value;
        var (code, output) = Run(feScore, ["--socket", Path.Combine(Path.GetTempPath(), "no-such-fraudedged.sock"), "--ping"]);
        Assert.NotEqual(0, code);
        Assert.True(code < 128, $"fe_score died by a signal: {code}");
        Assert.False(string.IsNullOrWhiteSpace(output));
    }
}
