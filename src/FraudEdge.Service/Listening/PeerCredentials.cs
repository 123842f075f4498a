using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FraudEdge.Service.Listening;

/// <summary>The connecting process's pid, uid and gid as the kernel saw them at connect() (SO_PEERCRED).</summary>
internal readonly partial record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;   // SOL_SOCKET on Linux
    private const int SoPeerCred = 17; // SO_PEERCRED on Linux (x86-64 and arm64)

    /// <summary>Reads the peer's struct ucred { pid_t pid; uid_t uid; gid_t gid; }. Cannot be forged by the peer.</summary>
    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        int n = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (n < 12) throw new SocketException((int)SocketError.ProtocolOption);
        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred), // the kernel writes host order; both targets are little-endian
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]));
    }

    public static uint EffectiveUid() => geteuid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
