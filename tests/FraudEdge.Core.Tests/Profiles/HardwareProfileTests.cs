using System.Text;
using System.Text.Json.Nodes;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Core.Tests.Profiles;

public class HardwareProfileTests
{
    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, relative);
    }

    [Fact]
    public void Three_terminal_classes_ship_and_load()
    {
        var names = HardwareProfiles.EmbeddedNames();
        Assert.Contains("entry-a53", names);
        Assert.Contains("mid-a55", names);
        Assert.Contains("store-x64", names);
        foreach (string name in names) Assert.Equal(name, HardwareProfiles.LoadEmbedded(name).Name);
        Assert.Equal(HardwareProfiles.DefaultName, HardwareProfiles.Resolve(null).Name);
    }

    public static TheoryData<string, string, string> Broken() => new()
    {
        { "architecture", "\"riscv\"", "architecture" },
        { "memory_budget_mib", "8", "memory_budget_mib" },
        { "gc_heap_limit_mib", "4096", "gc_heap_limit_mib" },
        { "history.card_capacity", "1000", "history.card_capacity" },
        { "history.max_terminals", "0", "history.max_terminals" },
        { "scoring.deadline_us", "5", "scoring.deadline_us" },
        { "scoring.deny_threshold", "1.5", "scoring.deny_threshold" },
        { "service.max_frame_bytes", "100", "service.max_frame_bytes" },
        { "audit.durability", "\"maybe\"", "audit.durability" },
        { "rules.card_velocity_10min", "0", "rules.card_velocity_10min" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Invalid_profile_is_refused_naming_the_field(string path, string json, string expectedField)
    {
        var node = JsonNode.Parse(File.ReadAllText(RepoFile("hardware-profiles/entry-a53.json")))!.AsObject();
        string[] parts = path.Split('.');
        JsonObject target = node;
        for (int i = 0; i < parts.Length - 1; i++) target = target[parts[i]]!.AsObject();
        target[parts[^1]] = JsonNode.Parse(json);
        var e = Assert.Throws<ProfileException>(() => HardwareProfiles.Load(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()))));
        Assert.Equal(expectedField, e.Field);
        Assert.Contains(expectedField, e.Message);
    }

    [Fact]
    public void Unknown_fields_and_malformed_json_are_refused()
    {
        var node = JsonNode.Parse(File.ReadAllText(RepoFile("hardware-profiles/entry-a53.json")))!.AsObject();
        node["history"]!.AsObject()["card_capacityy"] = 10;
        var e = Assert.Throws<ProfileException>(() => HardwareProfiles.Load(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()))));
        Assert.Contains("card_capacityy", e.Message);
        Assert.Throws<ProfileException>(() => HardwareProfiles.Load(new MemoryStream("{ \"name\": "u8.ToArray())));
    }

    [Fact]
    public void Every_shipped_profile_matches_the_schema_field_names()
    {
        // A light check without a schema library: every field in every profile is declared in the schema.
        var schema = JsonNode.Parse(File.ReadAllText(RepoFile("hardware-profiles/profile.schema.json")))!;
        foreach (string file in Directory.GetFiles(RepoFile("hardware-profiles"), "*.json"))
        {
            if (file.EndsWith("schema.json", StringComparison.Ordinal)) continue;
            var profile = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var (key, value) in profile)
            {
                var declared = schema["properties"]![key];
                Assert.True(declared is not null, $"{Path.GetFileName(file)}: '{key}' is not in the schema");
                if (value is JsonObject inner)
                    foreach (var (innerKey, _) in inner)
                        Assert.True(declared!["properties"]![innerKey] is not null, $"{Path.GetFileName(file)}: '{key}.{innerKey}' is not in the schema");
            }
        }
    }
}
