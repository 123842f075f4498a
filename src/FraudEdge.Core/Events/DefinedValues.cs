using System.Runtime.CompilerServices;

namespace FraudEdge.Core.Events;

/// <summary>
/// Which values of a one-byte enum are defined: a 256-entry table built once and held for the process's life.
/// Enum.IsDefined answers the same from the runtime's reflection cache, which the NativeAOT runtime keeps only
/// weakly: after a garbage collection the next validation rebuilt it, ~32 KB allocated on the decision path
/// (bench `ipc-gc`, bench/README.md "Session 7"). The table allocates nothing after its first use; the validator and
/// the history snapshot's restore check with it.
/// </summary>
internal static class DefinedValues<TEnum> where TEnum : unmanaged, Enum
{
    private static readonly bool[] Table = Build();

    public static bool Contains(TEnum value) => Table[Unsafe.As<TEnum, byte>(ref value)];

    private static bool[] Build()
    {
        if (Unsafe.SizeOf<TEnum>() != 1) throw new InvalidOperationException($"{typeof(TEnum).Name} is not a one-byte enum");
        var table = new bool[256];
        foreach (TEnum value in Enum.GetValues<TEnum>())
        {
            TEnum v = value;
            table[Unsafe.As<TEnum, byte>(ref v)] = true;
        }
        return table;
    }
}
