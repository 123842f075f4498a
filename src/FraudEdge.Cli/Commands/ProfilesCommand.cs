using System.CommandLine;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Cli.Commands;

/// <summary>`fraudedge profiles [--check FILE]`: lists the embedded hardware profiles or checks one file.</summary>
internal static class ProfilesCommand
{
    public static Command Create()
    {
        var check = new Option<string?>("--check") { Description = "validate a hardware profile JSON file" };
        var command = new Command("profiles", "list the embedded hardware profiles, or check a profile file") { check };
        command.SetAction(parse =>
        {
            string? file = parse.GetValue(check);
            if (file is not null)
            {
                try
                {
                    var p = HardwareProfiles.LoadFile(file);
                    Console.WriteLine($"{file}: valid profile '{p.Name}' ({p.Architecture}, {p.MemoryBudgetMib} MiB)");
                    return 0;
                }
                catch (ProfileException e)
                {
                    Console.Error.WriteLine($"{file}: {e.Message}");
                    return 2;
                }
            }
            foreach (string name in HardwareProfiles.EmbeddedNames())
            {
                var p = HardwareProfiles.LoadEmbedded(name);
                Console.WriteLine($"{p.Name,-12} {p.Architecture,-6} {p.MemoryBudgetMib,6} MiB  cards {p.History.CardCapacity,7}  {p.Description}");
            }
            return 0;
        });
        return command;
    }
}
