using System.Security.Cryptography;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Cli;

/// <summary>
/// The CLI runs on auditors' and build machines, where the platform's SHA-256 (OpenSSL, with SHA-NI on x64) is ~4x
/// FraudEdge's managed one (.NET has no x64 SHA intrinsics): `verify` and `replay` hash every audit record. So the
/// CLI routes <see cref="Sha256.HashData(ReadOnlySpan{byte}, Span{byte})"/> to it — after checking that it gives the
/// managed code's answers — and keeps the managed code where there is no libssl (a terminal image) or when
/// FRAUDEDGE_SHA256=managed asks for it. The service never does this (docs/architecture.md, "Cryptography").
/// </summary>
internal static class PlatformSha256
{
    /// <summary>What hashes in this process: "platform" or "managed (reason)".</summary>
    public static string Implementation { get; private set; } = "managed";

    public static unsafe void Install()
    {
        if (Environment.GetEnvironmentVariable("FRAUDEDGE_SHA256") == "managed")
        {
            Implementation = "managed (FRAUDEDGE_SHA256=managed)";
            return;
        }
        try
        {
            if (!AgreesWithManaged())
            {
                Implementation = "managed (the platform's SHA-256 disagreed on a known answer)";
                return;
            }
        }
        catch (Exception e) when (e is PlatformNotSupportedException or CryptographicException or DllNotFoundException
                                       or EntryPointNotFoundException or TypeInitializationException)
        {
            Implementation = "managed (no platform SHA-256: " + e.GetType().Name + ")";
            return;
        }
        Sha256.UseOneShot(&Platform);
        Implementation = "platform";
    }

    private static int Platform(ReadOnlySpan<byte> source, Span<byte> destination) => SHA256.HashData(source, destination);

    /// <summary>Every length 0..300 (one and two padding blocks, record sizes) and one of 64 KiB.</summary>
    private static bool AgreesWithManaged()
    {
        var data = new byte[65536];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 131 + (i >> 8));
        Span<byte> a = stackalloc byte[32], b = stackalloc byte[32];
        for (int n = 0; n <= 300; n++)
        {
            Sha256.HashManaged(data.AsSpan(0, n), a);
            SHA256.HashData(data.AsSpan(0, n), b);
            if (!a.SequenceEqual(b)) return false;
        }
        Sha256.HashManaged(data, a);
        SHA256.HashData(data, b);
        return a.SequenceEqual(b);
    }
}
