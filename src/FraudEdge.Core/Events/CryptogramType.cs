namespace FraudEdge.Core.Events;

/// <summary>Cryptogram the card returned (EMV Cryptogram Information Data, tag 9F27, bits 8-7).</summary>
public enum CryptogramType : byte
{
    /// <summary>No EMV cryptogram (magstripe, keyed, card-on-file).</summary>
    None = 0,
    /// <summary>Application Authentication Cryptogram: the card declined offline.</summary>
    Aac = 1,
    /// <summary>Transaction Certificate: approved offline.</summary>
    Tc = 2,
    /// <summary>Authorisation Request Cryptogram: go online.</summary>
    Arqc = 3,
}
