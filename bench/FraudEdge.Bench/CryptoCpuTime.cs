using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Bench;

/// <summary>
/// `FraudEdge.Bench crypto`: the managed primitives against .NET's (OpenSSL) measured in the calling thread's CPU
/// time (CLOCK_THREAD_CPUTIME_ID), in interleaved batches, so time spent descheduled on a shared machine counts
/// for neither side; prints the median and the minimum per operation and the ratio of medians. A complement to
/// <see cref="CryptoBenchmarks"/> (wall clock, BenchmarkDotNet) on machines whose load drifts during a run.
/// </summary>
internal static partial class CryptoCpuTime
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    public static int Run()
    {
        var random = new Random(281);
        byte[] record = new byte[281], large = new byte[64 * 1024], checkpoint = new byte[60], hash = new byte[32], signature = new byte[72];
        random.NextBytes(record);
        random.NextBytes(large);
        random.NextBytes(checkpoint);
        using var dotnet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using P256PrivateKey key = P256PrivateKey.ImportPkcs8PrivateKey(dotnet.ExportPkcs8PrivateKey());
        byte[] der = dotnet.SignData(checkpoint, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        for (int i = 0; i < 50_000; i++)
        {
            Sha256.HashData(record, hash);
            SHA256.HashData(record, hash);
        }

        Console.WriteLine("operation | managed median | managed min | .NET median | .NET min | managed / .NET (medians)");
        Report("SHA-256 of a 281-byte audit record (ns)", 300, 2000, 1, () => Sha256.HashData(record, hash), () => SHA256.HashData(record, hash));
        Report("SHA-256 of 64 KiB (µs)", 100, 20, 1000, () => Sha256.HashData(large, hash), () => SHA256.HashData(large, hash));
        Report("ECDSA P-256 verify, 60 bytes (µs)", 40, 10, 1000, () => key.PublicKey.VerifyData(checkpoint, der),
            () => dotnet.VerifyData(checkpoint, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Report("ECDSA P-256 sign, 60 bytes (µs)", 40, 10, 1000, () => key.SignData(checkpoint, signature),
            () => dotnet.TrySignData(checkpoint, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence, out _));
        return 0;
    }

    private static void Report(string what, int rounds, int batch, double unitNs, Action managed, Action net)
    {
        double[] ours = new double[rounds], theirs = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long t0 = ThreadCpuNs();
            for (int i = 0; i < batch; i++) managed();
            long t1 = ThreadCpuNs();
            for (int i = 0; i < batch; i++) net();
            long t2 = ThreadCpuNs();
            ours[r] = (t1 - t0) / (double)batch / unitNs;
            theirs[r] = (t2 - t1) / (double)batch / unitNs;
        }
        Array.Sort(ours);
        Array.Sort(theirs);
        double a = ours[rounds / 2], b = theirs[rounds / 2];
        Console.WriteLine(FormattableString.Invariant($"{what} | {a:F1} | {ours[0]:F1} | {b:F1} | {theirs[0]:F1} | {a / b:F2}"));
    }

    private static long ThreadCpuNs()
    {
        if (ClockGetTime(ThreadCpuClock, out TimeSpec now) != 0) throw new InvalidOperationException("clock_gettime failed");
        return now.Seconds * 1_000_000_000 + now.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
