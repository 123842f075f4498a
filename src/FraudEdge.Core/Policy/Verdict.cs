namespace FraudEdge.Core.Policy;

public enum Verdict : byte
{
    /// <summary>No verdict: the event was rejected by validation (see <see cref="Decision.Rejection"/>).</summary>
    None = 0,
    Allow = 1,
    /// <summary>Proceed only with extra checks: force online, ask for ID, or queue for the risk team.</summary>
    Review = 2,
    Deny = 3,
}
