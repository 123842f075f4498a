namespace FraudEdge.Core.Events;

/// <summary>What an <see cref="OutcomeNotice"/> reports about an earlier event.</summary>
public enum OutcomeKind : byte
{
    /// <summary>The issuer's authorisation response (ISO 8583 DE 39), seconds after the event.</summary>
    IssuerResponse = 1,
    /// <summary>Fraud reported by the issuer (e.g. a TC40 / SAFE report), usually days later.</summary>
    FraudReported = 2,
    /// <summary>A fraud-coded chargeback, weeks later.</summary>
    Chargeback = 3,
    /// <summary>The cardholder confirmed the transaction was theirs (clears a review).</summary>
    ConfirmedGenuine = 4,
}
