namespace FraudEdge.Core.Tokenization;

/// <summary>
/// Merchant category codes (ISO 18245) folded into the risk groups the tokenizer uses. The high-risk
/// groups are those schemes and acquirers single out for fraud: resalable goods (electronics, jewellery),
/// digital goods and gambling, and quasi-cash.
/// </summary>
public static class MerchantGroups
{
    public const int Grocery = 0, Restaurant = 1, Fuel = 2, Retail = 3, Electronics = 4, JewelryLuxury = 5,
        TravelLodging = 6, Transport = 7, DigitalGambling = 8, QuasiCash = 9, Services = 10, Other = 11;

    public static int Of(ushort mcc) => mcc switch
    {
        5411 or 5422 or 5441 or 5451 or 5462 or 5499 or 5311 or 5331 => Grocery,
        5812 or 5813 or 5814 => Restaurant,
        5541 or 5542 or 5983 => Fuel,
        5732 or 5734 or 5722 or 5045 or 4812 => Electronics,
        5944 or 5094 or 5681 or 5971 => JewelryLuxury,
        >= 3501 and <= 3999 or 7011 or 4722 or 7512 => TravelLodging,
        >= 3000 and <= 3500 or 4111 or 4121 or 4131 or 4411 or 4511 or 4784 or 7523 => Transport,
        5815 or 5816 or 5817 or 5818 or 7994 or 7995 or 7800 or 7801 or 7802 => DigitalGambling,
        4829 or 6010 or 6011 or 6012 or 6050 or 6051 or 6540 => QuasiCash,
        >= 5600 and <= 5699 or >= 5200 and <= 5399 or >= 5900 and <= 5999 or 5712 or 5713 or 5714 or 5719 => Retail,
        >= 8000 and <= 8999 or >= 7200 and <= 7299 or >= 7300 and <= 7399 or 4900 => Services,
        _ => Other,
    };

    public static bool IsHighRisk(int group) => group is Electronics or JewelryLuxury or DigitalGambling or QuasiCash;
}
