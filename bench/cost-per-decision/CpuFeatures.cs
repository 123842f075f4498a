using System.Runtime.Intrinsics.X86;
using System.Text;

namespace FraudEdge.CostPerDecision;

/// <summary>
/// The x86 features the process sees through CPUID — what ONNX Runtime's MLAS reads to pick its kernels (AVX2,
/// AVX-512, AVX512-VNNI, AVX-VNNI, AMX). Under valgrind this is valgrind's synthetic CPU, not the host's: valgrind
/// 3.19 on an AVX2 host presents an AVX2 "Core i7-4910MQ" without AVX-512, so ORT takes its AVX2 kernels there.
/// </summary>
public static class CpuFeatures
{
    public static string Brand()
    {
        if (!X86Base.IsSupported) return "not x86";
        (int maxExtended, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
        if ((uint)maxExtended < 0x80000004) return "?";
        var text = new StringBuilder(48);
        for (int leaf = 0; leaf < 3; leaf++)
        {
            (int a, int b, int c, int d) = X86Base.CpuId(unchecked((int)(0x80000002 + leaf)), 0);
            foreach (int reg in new[] { a, b, c, d })
                for (int i = 0; i < 4; i++) text.Append((char)((reg >> (8 * i)) & 0xFF));
        }
        return text.ToString().TrimEnd('\0').Trim();
    }

    /// <summary>Comma-separated names of the features present, in /proc/cpuinfo spelling.</summary>
    public static string Flags()
    {
        if (!X86Base.IsSupported) return "";
        var flags = new List<string>();
        (int maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        (_, _, int ecx1, _) = X86Base.CpuId(1, 0);
        if ((ecx1 & (1 << 12)) != 0) flags.Add("fma");
        if ((ecx1 & (1 << 28)) != 0) flags.Add("avx");
        if (maxLeaf >= 7)
        {
            (int eax7, int ebx7, int ecx7, int edx7) = X86Base.CpuId(7, 0);
            if ((ebx7 & (1 << 5)) != 0) flags.Add("avx2");
            if ((ebx7 & (1 << 16)) != 0) flags.Add("avx512f");
            if ((ebx7 & (1 << 30)) != 0) flags.Add("avx512bw");
            if ((ecx7 & (1 << 11)) != 0) flags.Add("avx512_vnni");
            if ((edx7 & (1 << 24)) != 0) flags.Add("amx_tile");
            if ((edx7 & (1 << 25)) != 0) flags.Add("amx_int8");
            if (eax7 >= 1)
            {
                (int eax71, _, _, _) = X86Base.CpuId(7, 1);
                if ((eax71 & (1 << 4)) != 0) flags.Add("avx_vnni");
            }
        }
        return string.Join(',', flags);
    }
}
