namespace FraudEdge.Core.Audit;

/// <summary>What <see cref="AuditReader.Read"/> produced.</summary>
public enum AuditReadResult
{
    /// <summary>A record that passed every check (CRC, layout, number, chain).</summary>
    Record,
    /// <summary>The end of the newest segment, cleanly.</summary>
    End,
    /// <summary>Something is wrong; <see cref="AuditReader.Problem"/> says what and where. Reading stops.</summary>
    Problem,
}
