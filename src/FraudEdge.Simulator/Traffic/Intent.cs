using FraudEdge.Core.Events;
using FraudEdge.Data;

namespace FraudEdge.Simulator.Traffic;

/// <summary>
/// A planned transaction: who pays where, when, how much, and on whose behalf (a fraud episode or a genuine
/// customer). Card and EMV state are resolved only when it executes, in time order, so ATC counters, PIN
/// tries and blocks are consistent across merchants.
/// </summary>
internal struct Intent
{
    public long TimestampMs;
    public int Terminal;
    public int Card;
    public TransactionKind Kind;
    public long AmountMinor;
    public long CashbackMinor;
    public IntentChannel Channel;
    public FraudTypology Typology;
    /// <summary>Index of the fraud episode, -1 for genuine traffic.</summary>
    public int Episode;
    /// <summary>Specific cashier (refund abuse); 0 = whoever is on shift.</summary>
    public uint OperatorId;
    /// <summary>Entry mode of the transaction a completion or void refers to.</summary>
    public EntryMode LinkedEntryMode;
    /// <summary>Pump: the amount that will be dispensed; hotel: nights of the stay.</summary>
    public long LinkedValue;
    public ushort ForcedAtc;
    /// <summary>Retries already made by this customer (caps retry chains).</summary>
    public byte Attempt;
    /// <summary>Genuine refund to a card that did not buy here (paid cash, or a gift).</summary>
    public bool UnmatchedRefund;
    /// <summary>Card-testing attempt with a made-up expiry date.</summary>
    public bool WrongExpiry;
}
