using System.Globalization;

namespace FraudEdge.CostPerDecision;

/// <summary>
/// The parts of a callgrind output file (valgrind --tool=callgrind, "callgrind format" version 1, event Ir) the
/// report needs: total instructions, each function's self and inclusive instructions, and self instructions
/// per object (the AOT binary, libonnxruntime.so, libc, ...). Handles name compression ("fn=(12) name" then
/// "fn=(12)") and relative positions; a cost line's first column is the position, the second Ir.
/// Inclusive = self + the cost of every call the function makes (callgrind writes each call's inclusive cost
/// after its "calls=" line); direct self-recursion is skipped so it is not counted twice.
/// </summary>
public sealed class CallgrindProfile
{
    private CallgrindProfile() { }

    public long Total { get; private set; }

    /// <summary>Self Ir per object path.</summary>
    public Dictionary<string, long> SelfByObject { get; } = new(StringComparer.Ordinal);

    /// <summary>Per function (object + name): self and inclusive Ir.</summary>
    public Dictionary<FunctionKey, FunctionCost> Functions { get; } = [];

    public readonly record struct FunctionKey(string Object, string Name);

    public sealed class FunctionCost
    {
        public long Self { get; set; }
        public long Inclusive { get; set; }
    }

    /// <summary>Inclusive Ir of the function with this exact symbol name in any object (summed if several), or null.</summary>
    public long? Inclusive(string name)
    {
        long? sum = null;
        foreach (var (key, cost) in Functions)
            if (key.Name == name) sum = (sum ?? 0) + cost.Inclusive;
        return sum;
    }

    public static CallgrindProfile Read(string path)
    {
        var profile = new CallgrindProfile();
        var names = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal)
        {
            ["ob"] = new(StringComparer.Ordinal), ["fn"] = new(StringComparer.Ordinal), ["fl"] = new(StringComparer.Ordinal),
        };
        string ob = "???", fn = "???";
        string? cob = null, cfn = null;
        FunctionCost current = profile.Cost(ob, fn);
        bool nextIsCallCost = false;
        FunctionKey callee = default;
        long? totals = null, summary = null;

        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            char c = line[0];
            if (c is >= '0' and <= '9' or '+' or '-' or '*')
            {
                long ir = IrOf(line);
                if (nextIsCallCost)
                {
                    nextIsCallCost = false;
                    if (callee != new FunctionKey(ob, fn)) current.Inclusive += ir;
                    continue;
                }
                current.Self += ir;
                current.Inclusive += ir;
                profile.SelfByObject[ob] = profile.SelfByObject.GetValueOrDefault(ob) + ir;
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (eq > 0 && (colon < 0 || eq < colon))
            {
                string key = line[..eq], value = line[(eq + 1)..];
                switch (key)
                {
                    case "ob": ob = Name(names["ob"], value); current = profile.Cost(ob, fn); break;
                    case "fn": fn = Name(names["fn"], value); current = profile.Cost(ob, fn); break;
                    case "cob": cob = Name(names["ob"], value); break;
                    case "cfn": cfn = Name(names["fn"], value); break;
                    case "fl" or "fi" or "fe" or "cfi" or "cfl": Name(names["fl"], value); break;
                    case "calls":
                        callee = new FunctionKey(cob ?? ob, cfn ?? fn);
                        nextIsCallCost = true;
                        cob = null;
                        break;
                }
                continue;
            }
            if (line.StartsWith("totals:", StringComparison.Ordinal)) totals = FirstNumber(line.AsSpan(7));
            else if (line.StartsWith("summary:", StringComparison.Ordinal)) summary = FirstNumber(line.AsSpan(8));
        }
        profile.Total = totals ?? summary ?? throw new InvalidDataException($"{path}: no totals/summary line (not a finished callgrind run?)");
        return profile;
    }

    private FunctionCost Cost(string ob, string fn)
    {
        var key = new FunctionKey(ob, fn);
        if (!Functions.TryGetValue(key, out FunctionCost? cost)) Functions[key] = cost = new FunctionCost();
        return cost;
    }

    /// <summary>"(id) name" defines id; "(id)" refers back; a plain name is used as is.</summary>
    private static string Name(Dictionary<string, string> table, string value)
    {
        if (value.Length == 0 || value[0] != '(') return value;
        int close = value.IndexOf(')', StringComparison.Ordinal);
        if (close < 0) return value;
        string id = value[1..close];
        if (close + 1 < value.Length)
        {
            string name = value[(close + 1)..].TrimStart();
            table[id] = name;
            return name;
        }
        return table.TryGetValue(id, out string? known) ? known : value;
    }

    private static long IrOf(string line)
    {
        // "<position> <Ir>"; a missing Ir column means 0.
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0) return 0;
        ReadOnlySpan<char> rest = line.AsSpan(space + 1).TrimStart();
        int end = rest.IndexOf(' ');
        if (end >= 0) rest = rest[..end];
        return rest.Length == 0 ? 0 : long.Parse(rest, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static long FirstNumber(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        int end = text.IndexOf(' ');
        return long.Parse(end >= 0 ? text[..end] : text, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
