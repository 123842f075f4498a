namespace FraudEdge.Simulator.World;

/// <summary>The merchant catalogue of the simulated town (German acquirer, EUR, CET).</summary>
internal static class MerchantArchetypes
{
    // Hour shapes: relative traffic by local hour before the opening-hours cut.
    private static readonly double[] Retail =
        [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.4, 0.7, 0.9, 1.0, 1.2, 1.4, 1.5, 1.3, 1.1, 1.2, 1.4, 1.7, 1.7, 1.3, 0.9, 0.6, 0.4, 0.3];
    private static readonly double[] Food =
        [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 0.9, 0.7, 0.6, 1.0, 2.0, 1.8, 0.9, 0.7, 0.7, 1.0, 1.6, 1.8, 1.5, 1.0, 0.6, 0.4];
    private static readonly double[] Night =
        [1.6, 1.3, 0.9, 0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.5];
    private static readonly double[] Fuel =
        [0.15, 0.12, 0.1, 0.1, 0.15, 0.4, 0.8, 1.2, 1.1, 0.9, 0.9, 1.0, 1.0, 0.9, 0.9, 1.0, 1.3, 1.4, 1.2, 0.9, 0.7, 0.5, 0.35, 0.25];
    private static readonly double[] Commute =
        [0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.2, 2.0, 1.6, 0.8, 0.6, 0.6, 0.7, 0.7, 0.8, 1.1, 1.6, 1.9, 1.3, 0.7, 0.5, 0.4, 0.3, 0.2];
    private static readonly double[] Hotel =
        [0.1, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.0, 1.0, 0.9, 0.7, 0.5, 0.6, 1.0, 1.3, 1.4, 1.3, 1.2, 1.0, 0.8, 0.6, 0.4, 0.2];

    // Weekday factors, Monday first. Sunday trading is restricted in Germany (Ladenschlussgesetz).
    private static readonly double[] ShopWeek = [1.0, 0.95, 1.0, 1.05, 1.25, 1.45, 0.0];
    private static readonly double[] FoodWeek = [0.85, 0.9, 0.95, 1.0, 1.25, 1.35, 1.05];
    private static readonly double[] NightWeek = [0.3, 0.35, 0.5, 0.8, 1.5, 1.8, 0.6];
    private static readonly double[] EveryDay = [1.0, 1.0, 1.0, 1.0, 1.1, 1.15, 0.9];
    private static readonly double[] CommuteWeek = [1.1, 1.1, 1.1, 1.1, 1.05, 0.6, 0.45];

    public static IReadOnlyList<MerchantArchetype> All { get; } =
    [
        new() { Name = "supermarket", Mcc = 5411, Attended = true, MinTerminals = 3, MaxTerminals = 6, OpenHour = 7, CloseHour = 21,
            WeekdayFactor = ShopWeek, HourShape = Retail, DailyVolume = 560, AmountMedianMinor = 2800, AmountSigma = 0.85, AmountMaxMinor = 60_000,
            TouristShare = 0.03, ContactlessShare = 0.72, RefundRate = 0.004, KeyEntryRate = 0.0004, CashbackRate = 0.02, ThiefAppeal = 0.6,
            FloorLimitMinor = 5000, MixWeight = 3 },
        new() { Name = "cafe", Mcc = 5814, Attended = true, MinTerminals = 1, MaxTerminals = 2, OpenHour = 7, CloseHour = 20,
            WeekdayFactor = FoodWeek, HourShape = Food, DailyVolume = 475, AmountMedianMinor = 780, AmountSigma = 0.55, AmountMaxMinor = 8_000,
            TouristShare = 0.07, ContactlessShare = 0.9, RefundRate = 0.001, KeyEntryRate = 0.0003, ThiefAppeal = 0.2, FloorLimitMinor = 2500, PriceStepMinor = 10, MixWeight = 2 },
        new() { Name = "fuel_pump", Mcc = 5542, Attended = false, MinTerminals = 2, MaxTerminals = 4, OpenHour = 0, CloseHour = 24,
            WeekdayFactor = EveryDay, HourShape = Fuel, DailyVolume = 145, AmountMedianMinor = 5500, AmountSigma = 0.45, AmountMaxMinor = 15_000,
            TouristShare = 0.08, ContactlessShare = 0.55, ThiefAppeal = 1.2, PumpPreauthorization = true, MixWeight = 1.2 },
        new() { Name = "electronics", Mcc = 5732, Attended = true, MinTerminals = 1, MaxTerminals = 3, OpenHour = 10, CloseHour = 20,
            WeekdayFactor = ShopWeek, HourShape = Retail, DailyVolume = 130, AmountMedianMinor = 9900, AmountSigma = 1.1, AmountMaxMinor = 400_000,
            TouristShare = 0.05, ContactlessShare = 0.55, RefundRate = 0.02, KeyEntryRate = 0.001, ThiefAppeal = 4, RoundPrices = true, MixWeight = 1 },
        new() { Name = "restaurant", Mcc = 5812, Attended = true, MinTerminals = 1, MaxTerminals = 2, OpenHour = 11, CloseHour = 23,
            WeekdayFactor = FoodWeek, HourShape = Food, DailyVolume = 185, AmountMedianMinor = 4200, AmountSigma = 0.6, AmountMaxMinor = 60_000,
            TouristShare = 0.09, ContactlessShare = 0.65, RefundRate = 0.001, KeyEntryRate = 0.01, ThiefAppeal = 0.4, MixWeight = 1.5 },
        new() { Name = "parking", Mcc = 7523, Attended = false, MinTerminals = 1, MaxTerminals = 2, OpenHour = 0, CloseHour = 24,
            WeekdayFactor = EveryDay, HourShape = Commute, DailyVolume = 240, AmountMedianMinor = 600, AmountSigma = 0.75, AmountMaxMinor = 9_000,
            TouristShare = 0.06, ContactlessShare = 0.8, NoCvmUnattended = true, NoCvmAboveLimitRate = 0.5, FloorLimitMinor = 2500, ThiefAppeal = 0.1, PriceStepMinor = 50, StripeReaderShare = 0.03, MixWeight = 0.8 },
        new() { Name = "clothing", Mcc = 5651, Attended = true, MinTerminals = 1, MaxTerminals = 3, OpenHour = 10, CloseHour = 20,
            WeekdayFactor = ShopWeek, HourShape = Retail, DailyVolume = 185, AmountMedianMinor = 5500, AmountSigma = 0.7, AmountMaxMinor = 120_000,
            TouristShare = 0.06, ContactlessShare = 0.6, RefundRate = 0.03, KeyEntryRate = 0.0005, ThiefAppeal = 1.5, RoundPrices = true, MixWeight = 1.2 },
        new() { Name = "convenience", Mcc = 5499, Attended = true, MinTerminals = 1, MaxTerminals = 2, OpenHour = 6, CloseHour = 23,
            WeekdayFactor = EveryDay, HourShape = Retail, DailyVolume = 410, AmountMedianMinor = 950, AmountSigma = 0.7, AmountMaxMinor = 20_000,
            TouristShare = 0.05, ContactlessShare = 0.85, RefundRate = 0.002, KeyEntryRate = 0.0003, ThiefAppeal = 1.5, FloorLimitMinor = 2500, MixWeight = 1.2 },
        new() { Name = "bar", Mcc = 5813, Attended = true, MinTerminals = 1, MaxTerminals = 1, OpenHour = 18, CloseHour = 27,
            WeekdayFactor = NightWeek, HourShape = Night, DailyVolume = 205, AmountMedianMinor = 1800, AmountSigma = 0.8, AmountMaxMinor = 50_000,
            TouristShare = 0.1, ContactlessShare = 0.75, RefundRate = 0.0005, KeyEntryRate = 0.001, ThiefAppeal = 1.2, MixWeight = 0.8 },
        new() { Name = "hotel", Mcc = 7011, Attended = true, MinTerminals = 1, MaxTerminals = 1, OpenHour = 0, CloseHour = 24,
            WeekdayFactor = EveryDay, HourShape = Hotel, DailyVolume = 60, AmountMedianMinor = 6500, AmountSigma = 0.9, AmountMaxMinor = 400_000,
            TouristShare = 0.45, ContactlessShare = 0.45, RefundRate = 0.004, KeyEntryRate = 0.2, HotelStays = true, ThiefAppeal = 0.5, MixWeight = 0.6 },
        new() { Name = "pharmacy", Mcc = 5912, Attended = true, MinTerminals = 1, MaxTerminals = 2, OpenHour = 8, CloseHour = 19,
            WeekdayFactor = ShopWeek, HourShape = Retail, DailyVolume = 255, AmountMedianMinor = 1800, AmountSigma = 0.8, AmountMaxMinor = 40_000,
            TouristShare = 0.04, ContactlessShare = 0.75, RefundRate = 0.003, KeyEntryRate = 0.0005, ThiefAppeal = 0.6, FloorLimitMinor = 2500, MixWeight = 1 },
        new() { Name = "jewelry", Mcc = 5944, Attended = true, MinTerminals = 1, MaxTerminals = 1, OpenHour = 10, CloseHour = 19,
            WeekdayFactor = ShopWeek, HourShape = Retail, DailyVolume = 35, AmountMedianMinor = 22_000, AmountSigma = 1.0, AmountMaxMinor = 2_000_000,
            TouristShare = 0.08, ContactlessShare = 0.35, RefundRate = 0.01, KeyEntryRate = 0.004, ThiefAppeal = 4, RoundPrices = true, MixWeight = 0.5 },
        new() { Name = "vending", Mcc = 5814, Attended = false, MinTerminals = 1, MaxTerminals = 2, OpenHour = 0, CloseHour = 24,
            WeekdayFactor = EveryDay, HourShape = Commute, DailyVolume = 185, AmountMedianMinor = 250, AmountSigma = 0.5, AmountMaxMinor = 1_500,
            TouristShare = 0.05, ContactlessShare = 0.9, NoCvmUnattended = true, FloorLimitMinor = 2500, ThiefAppeal = 0.1, PriceStepMinor = 10, StripeReaderShare = 0.08, MixWeight = 0.8 },
        new() { Name = "liquor", Mcc = 5921, Attended = true, MinTerminals = 1, MaxTerminals = 1, OpenHour = 9, CloseHour = 22,
            WeekdayFactor = ShopWeek, HourShape = Retail, DailyVolume = 145, AmountMedianMinor = 2400, AmountSigma = 0.8, AmountMaxMinor = 80_000,
            TouristShare = 0.05, ContactlessShare = 0.7, RefundRate = 0.002, KeyEntryRate = 0.0005, ThiefAppeal = 2.5, MixWeight = 0.7 },
        new() { Name = "fuel_shop", Mcc = 5541, Attended = true, MinTerminals = 1, MaxTerminals = 2, OpenHour = 0, CloseHour = 24,
            WeekdayFactor = EveryDay, HourShape = Fuel, DailyVolume = 355, AmountMedianMinor = 4800, AmountSigma = 0.6, AmountMaxMinor = 30_000,
            TouristShare = 0.08, ContactlessShare = 0.65, RefundRate = 0.001, KeyEntryRate = 0.0005, ThiefAppeal = 2, MixWeight = 1 },
        new() { Name = "transit", Mcc = 4111, Attended = false, MinTerminals = 1, MaxTerminals = 2, OpenHour = 5, CloseHour = 25,
            WeekdayFactor = CommuteWeek, HourShape = Commute, DailyVolume = 325, AmountMedianMinor = 420, AmountSigma = 0.9, AmountMaxMinor = 12_000,
            TouristShare = 0.08, ContactlessShare = 0.85, NoCvmUnattended = true, NoCvmAboveLimitRate = 0.35, FloorLimitMinor = 2500, ThiefAppeal = 0.2, PriceStepMinor = 10, MixWeight = 0.7 },
    ];

    /// <summary>
    /// The order in which merchants are opened: every archetype once before any repeats, so that even a small
    /// simulation has the merchants the fraud typologies need; after that by mix weight.
    /// </summary>
    public static IReadOnlyList<string> FirstRound { get; } =
        ["supermarket", "cafe", "fuel_pump", "electronics", "restaurant", "parking", "clothing", "convenience", "bar",
         "hotel", "pharmacy", "jewelry", "vending", "liquor", "fuel_shop", "transit"];

    public static MerchantArchetype Named(string name)
    {
        foreach (var a in All)
            if (a.Name == name) return a;
        throw new ArgumentException($"no archetype '{name}'", nameof(name));
    }
}
