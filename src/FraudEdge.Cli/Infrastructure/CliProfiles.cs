using System.Text.Json;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Cli.Infrastructure;

/// <summary>The audit commands' --profile: an embedded name or a file; a bad one is a usage error, not a crash.</summary>
internal static class CliProfiles
{
    public static bool TryResolve(string? nameOrPath, out HardwareProfile profile, out string error)
    {
        try
        {
            profile = HardwareProfiles.Resolve(nameOrPath); // null: the default profile (entry-a53)
            error = "";
            return true;
        }
        catch (Exception e) when (e is ProfileException or IOException or UnauthorizedAccessException or JsonException)
        {
            profile = null!;
            error = $"profile: {e.Message}";
            return false;
        }
    }
}
