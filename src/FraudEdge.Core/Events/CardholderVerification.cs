namespace FraudEdge.Core.Events;

/// <summary>CVM actually performed (EMV Book 3 §10.5, CVM Results tag 9F34, grouped).</summary>
public enum CardholderVerification : byte
{
    /// <summary>Not reported (imported history without this column).</summary>
    Unknown = 0,
    None = 1,
    OfflinePin = 2,
    OnlinePin = 3,
    Signature = 4,
    /// <summary>Consumer device CVM (phone/watch biometrics or passcode).</summary>
    ConsumerDevice = 5,
    Failed = 6,
}
