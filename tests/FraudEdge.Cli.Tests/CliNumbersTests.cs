using FraudEdge.Cli.Infrastructure;

namespace FraudEdge.Cli.Tests;

/// <summary>The numeric option parser behind the commands' exit-2 usage errors.</summary>
public sealed class CliNumbersTests
{
    [Theory]
    [InlineData(null, true, 7)]     // not given: the default stays
    [InlineData("0", true, 0)]
    [InlineData("256", true, 256)]
    [InlineData("257", false, 7)]
    [InlineData("-1", false, 7)]
    [InlineData("1e3", false, 7)]
    [InlineData(" 5", false, 7)]
    [InlineData("", false, 7)]
    public void TryInt_accepts_plain_integers_in_range_and_keeps_the_default_otherwise(string? text, bool ok, int expected)
    {
        int value = 7;
        Assert.Equal(ok, CliNumbers.TryInt(text, "--threads", 0, 256, ref value, out string error));
        Assert.Equal(expected, value);
        if (!ok) Assert.Equal($"--threads is a number from 0 to 256, not '{text}'", error);
    }

    [Theory]
    [InlineData("2e-4", true, 2e-4)]
    [InlineData("0", true, 0.0)]
    [InlineData("-0.1", false, 1.5)]
    [InlineData("NaN", false, 1.5)]
    [InlineData("Infinity", false, 1.5)]
    [InlineData("x", false, 1.5)]
    public void TryNonNegative_accepts_finite_numbers_from_zero(string text, bool ok, double expected)
    {
        double value = 1.5;
        Assert.Equal(ok, CliNumbers.TryNonNegative(text, "--tolerance", ref value, out string error));
        Assert.Equal(expected, value);
        if (!ok) Assert.StartsWith("--tolerance is a number, 0 or more, not ", error, StringComparison.Ordinal);
    }
}
