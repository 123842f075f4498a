using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.Traffic;

/// <summary>ISO 8583 DE 39 response codes the simulated issuers use, packed as in <see cref="OutcomeNotice"/>.</summary>
internal static class ResponseCodes
{
    public static readonly ushort Approved = Pack("00");
    public static readonly ushort DoNotHonour = Pack("05");
    public static readonly ushort InvalidCardNumber = Pack("14");
    public static readonly ushort LostCard = Pack("41");
    public static readonly ushort StolenCard = Pack("43");
    public static readonly ushort InsufficientFunds = Pack("51");
    public static readonly ushort ExpiredCard = Pack("54");
    public static readonly ushort IncorrectPin = Pack("55");
    public static readonly ushort NotPermittedToCardholder = Pack("57");
    public static readonly ushort SuspectedFraud = Pack("59");
    public static readonly ushort ExceedsAmountLimit = Pack("61");
    public static readonly ushort RestrictedCard = Pack("62");
    public static readonly ushort ExceedsFrequencyLimit = Pack("65");
    public static readonly ushort PinTriesExceeded = Pack("75");
    public static readonly ushort IssuerUnavailable = Pack("91");
    public static readonly ushort SystemMalfunction = Pack("96");
    /// <summary>Visa CVV2 mismatch.</summary>
    public static readonly ushort CvvMismatch = Pack("N7");
    /// <summary>PSD2 soft decline: strong customer authentication required.</summary>
    public static readonly ushort ScaRequired = Pack("1A");

    private static ushort Pack(string code) => OutcomeNotice.PackResponseCode(code);
}
