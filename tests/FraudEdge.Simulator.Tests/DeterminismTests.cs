using System.Security.Cryptography;

namespace FraudEdge.Simulator.Tests;

public class DeterminismTests
{
    private static readonly SimulationOptions Small = new() { Seed = 7, Days = 3, Terminals = 8 };

    [Fact]
    public void The_same_seed_gives_a_byte_identical_log()
    {
        byte[] a = SimulatedLog.Simulate(Small);
        byte[] b = SimulatedLog.Simulate(Small);
        Assert.True(a.Length > 10_000);
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_different_seed_gives_a_different_log()
    {
        byte[] a = SimulatedLog.Simulate(Small);
        byte[] b = SimulatedLog.Simulate(Small with { Seed = 8 });
        Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(b));
    }

    [Fact]
    public void Other_options_change_the_log_too()
    {
        byte[] a = SimulatedLog.Simulate(Small);
        Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(SimulatedLog.Simulate(Small with { Start = new DateOnly(2026, 7, 6) })));
        Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(SimulatedLog.Simulate(Small with { FraudRateMultiplier = 2 })));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(5, 0)]
    [InlineData(5, 10, -1.0)]
    public void Impossible_options_are_refused(int days, int terminals, double fraud = 1)
    {
        var options = new SimulationOptions { Days = days == 0 ? 0 : days, Terminals = terminals, FraudRateMultiplier = fraud };
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransactionSimulator(options));
    }
}
