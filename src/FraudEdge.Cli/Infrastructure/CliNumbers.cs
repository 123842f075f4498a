using System.Globalization;

namespace FraudEdge.Cli.Infrastructure;

/// <summary>
/// Numeric options are declared as strings and parsed here, so a bad value is a usage error (exit 2) that names the
/// option and the allowed range — not System.CommandLine's own parse error (exit 1, which the audit commands use for
/// "a problem was found"). Invariant culture; no signs, no thousands separators for counts.
/// </summary>
internal static class CliNumbers
{
    /// <summary>
    /// <paramref name="text"/> null (option not given) keeps <paramref name="value"/>; otherwise it must be an integer in
    /// <paramref name="min"/>..<paramref name="max"/>. <paramref name="unit"/> describes the number in the error ("a number",
    /// "a number of milliseconds").
    /// </summary>
    public static bool TryInt(string? text, string option, int min, int max, ref int value, out string error, string unit = "a number")
    {
        error = "";
        if (text is null) return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed >= min && parsed <= max)
        {
            value = parsed;
            return true;
        }
        error = max == int.MaxValue ? $"{option} is {unit}, {min} or more, not '{text}'" : $"{option} is {unit} from {min} to {max}, not '{text}'";
        return false;
    }

    /// <summary>A finite number, 0 or more (tolerances, multipliers); null keeps <paramref name="value"/>.</summary>
    public static bool TryNonNegative(string? text, string option, ref double value, out string error, string unit = "a number")
    {
        error = "";
        if (text is null) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && double.IsFinite(parsed) && parsed >= 0)
        {
            value = parsed;
            return true;
        }
        error = $"{option} is {unit}, 0 or more, not '{text}'";
        return false;
    }
}
