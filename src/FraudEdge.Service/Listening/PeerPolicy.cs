namespace FraudEdge.Service.Listening;

/// <summary>
/// Who may ask for decisions. The socket's mode 0660 is the first gate (owner and group); this allow list
/// is the second, checked on credentials the kernel vouches for, so a process that got hold of a file
/// descriptor or a group membership by accident is still refused unless configured.
/// </summary>
internal sealed class PeerPolicy(uint ownUid, IReadOnlyCollection<uint> uids, IReadOnlyCollection<uint> gids)
{
    public bool Allows(in PeerCredentials peer) => peer.Uid == ownUid || uids.Contains(peer.Uid) || gids.Contains(peer.Gid);
}
