using FraudEdge.Core.Events;

namespace FraudEdge.Data.EventLog;

/// <summary>
/// Validation of events stored in a log. Identical to <see cref="EventValidator"/> except that imported history
/// may leave merchant id, currency, MCC, terminal country and BIN unknown (empty / 0): a CSV without those
/// columns must not have them invented. Placeholders are substituted only inside this check, never stored,
/// so every other field is still held to the core's rules.
/// </summary>
public static class LogEventValidator
{
    private static readonly MerchantId PlaceholderMerchant = MerchantId.Parse("UNKNOWN");

    public static ValidationResult Validate(in TransactionEvent evt)
    {
        if (!HasUnknowns(evt)) return EventValidator.Validate(evt);
        TransactionEvent probe = evt;
        if (probe.MerchantId.IsEmpty) probe.MerchantId = PlaceholderMerchant;
        if (probe.CurrencyCode == 0) probe.CurrencyCode = 978;
        if (probe.MerchantCategoryCode == 0) probe.MerchantCategoryCode = 5999;
        if (probe.TerminalCountry == 0) probe.TerminalCountry = 276;
        if (probe.Bin == default) probe.Bin = new Bin(400000, 6);
        return EventValidator.Validate(probe);
    }

    private static bool HasUnknowns(in TransactionEvent evt) =>
        evt.MerchantId.IsEmpty || evt.CurrencyCode == 0 || evt.MerchantCategoryCode == 0 || evt.TerminalCountry == 0 || evt.Bin == default;
}
