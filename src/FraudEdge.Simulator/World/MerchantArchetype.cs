namespace FraudEdge.Simulator.World;

/// <summary>
/// A kind of merchant: what it sells (MCC), when it trades, how busy it is, what its tickets look like and how
/// its customers pay. Every number here is an assumption of the simulator, documented in docs/simulator.md.
/// </summary>
internal sealed class MerchantArchetype
{
    public required string Name { get; init; }
    public required ushort Mcc { get; init; }
    public required bool Attended { get; init; }
    public required int MinTerminals { get; init; }
    public required int MaxTerminals { get; init; }
    /// <summary>Local opening hour; <see cref="CloseHour"/> may exceed 24 for trading past midnight.</summary>
    public required int OpenHour { get; init; }
    public required int CloseHour { get; init; }
    /// <summary>Relative traffic per weekday, Monday first; 0 = closed.</summary>
    public required double[] WeekdayFactor { get; init; }
    /// <summary>Relative traffic per local hour 0-23 (before the opening-hours cut).</summary>
    public required double[] HourShape { get; init; }
    public required double DailyVolume { get; init; }
    public required long AmountMedianMinor { get; init; }
    public required double AmountSigma { get; init; }
    public required long AmountMaxMinor { get; init; }
    public double TouristShare { get; init; } = 0.04;
    public double ContactlessShare { get; init; } = 0.7;
    public double RefundRate { get; init; }
    public double KeyEntryRate { get; init; }
    public double CashbackRate { get; init; }
    /// <summary>Relative attractiveness to a thief with a stolen card (resellable goods, cash-like, no questions).</summary>
    public double ThiefAppeal { get; init; } = 0.5;
    /// <summary>Unattended low-value acceptance where scheme rules allow no CVM (parking, vending, transit).</summary>
    public bool NoCvmUnattended { get; init; }
    /// <summary>Share of contactless payments above the CVM limit accepted without CVM (transit / parking caps).</summary>
    public double NoCvmAboveLimitRate { get; init; }
    /// <summary>
    /// Share of payments read by an old magstripe-only reader (legacy vending and parking machines): chip cards
    /// swiped with no fraud involved.
    /// </summary>
    public double StripeReaderShare { get; init; }
    /// <summary>Fuel pump: pre-authorisation, then a completion with the dispensed amount.</summary>
    public bool PumpPreauthorization { get; init; }
    /// <summary>Hotel reception: check-in pre-authorisations completed at check-out days later.</summary>
    public bool HotelStays { get; init; }
    /// <summary>Terminal floor limit (EMV Book 3 §10.6.1), minor units; above it a transaction must go online.</summary>
    public long FloorLimitMinor { get; init; }
    /// <summary>Prices end in .99 / .00 (retail) rather than arbitrary cents (fuel, groceries).</summary>
    public bool RoundPrices { get; init; }
    /// <summary>Prices come in steps of this many minor units (tariffs, vending prices); 0 = any cent.</summary>
    public long PriceStepMinor { get; init; }
    /// <summary>Weight in the merchant mix.</summary>
    public double MixWeight { get; init; } = 1;

    public bool IsOpenHour(int hourSinceLocalMidnight) => hourSinceLocalMidnight >= OpenHour && hourSinceLocalMidnight < CloseHour;

    public bool Is24Hours => OpenHour == 0 && CloseHour >= 24;
}
