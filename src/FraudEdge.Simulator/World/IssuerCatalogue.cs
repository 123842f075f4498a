using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.World;

/// <summary>
/// Synthetic issuers and BIN ranges. BINs are random numbers inside each scheme's published leading-digit
/// range (Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, JCB 35, UnionPay 62); they may coincide with real
/// issuers' BINs, which is harmless: a BIN without the rest of the PAN is not cardholder data.
/// </summary>
internal sealed class IssuerCatalogue
{
    public const ushort HomeCountry = 276; // Germany

    /// <summary>Foreign issuer countries and their weight among tourists' cards.</summary>
    private static readonly (ushort Country, double Weight)[] Foreign =
    [
        (250, 1.2), (380, 0.9), (528, 1.0), (40, 1.0), (756, 0.8), (826, 1.0), (840, 0.9), (616, 0.7),
        (203, 0.5), (724, 0.7), (392, 0.3), (156, 0.4),
    ];

    private readonly List<Issuer> _issuers = [];
    private readonly HashSet<uint> _usedBins = [];

    public IssuerCatalogue(SimRandom rng)
    {
        // Domestic market: a few large banks and a long tail (shares fall off like a Zipf law).
        for (int i = 0; i < 14; i++)
        {
            CardScheme scheme = i % 3 == 2 ? CardScheme.Visa : (i % 3 == 0 ? CardScheme.Mastercard : CardScheme.Visa);
            Add(rng, HomeCountry, scheme, 1.0 / (i + 1), rng.Next(1, 4), [0.66, 0.28, 0.04, 0.02]);
        }
        Add(rng, HomeCountry, CardScheme.Amex, 0.05, 1, [0, 0.85, 0, 0.15]);
        Add(rng, HomeCountry, CardScheme.Mastercard, 0.08, 1, [0.1, 0.1, 0.1, 0.7]); // commercial cards
        Add(rng, HomeCountry, CardScheme.Visa, 0.06, 1, [0, 0, 1, 0]); // prepaid programme
        foreach (var (country, weight) in Foreign)
        {
            CardScheme main = country switch { 156 => CardScheme.UnionPay, 392 => CardScheme.Jcb, _ => CardScheme.Visa };
            Add(rng, country, main, weight, 2, [0.5, 0.42, 0.05, 0.03]);
            Add(rng, country, country is 156 or 392 ? CardScheme.Visa : CardScheme.Mastercard, weight * 0.7, 1, [0.5, 0.42, 0.05, 0.03]);
            if (country == 840) Add(rng, country, CardScheme.Amex, weight * 0.3, 1, [0, 0.9, 0, 0.1]);
        }
        DomesticCumulative = Cumulative(i => _issuers[i].Country == HomeCountry);
        ForeignCumulative = Cumulative(i => _issuers[i].Country != HomeCountry);
    }

    public IReadOnlyList<Issuer> Issuers => _issuers;

    /// <summary>(issuer index, cumulative share) for domestic issuers.</summary>
    public (int[] Index, double[] Cumulative) DomesticCumulative { get; }

    public (int[] Index, double[] Cumulative) ForeignCumulative { get; }

    public Issuer PickDomestic(SimRandom rng) => _issuers[DomesticCumulative.Index[rng.PickCumulative(DomesticCumulative.Cumulative)]];

    public Issuer PickForeign(SimRandom rng) => _issuers[ForeignCumulative.Index[rng.PickCumulative(ForeignCumulative.Cumulative)]];

    private (int[] Index, double[] Cumulative) Cumulative(Func<int, bool> include)
    {
        var index = new List<int>();
        var cumulative = new List<double>();
        double total = 0;
        for (int i = 0; i < _issuers.Count; i++)
        {
            if (!include(i)) continue;
            total += _issuers[i].Share;
            index.Add(i);
            cumulative.Add(total);
        }
        return (index.ToArray(), cumulative.ToArray());
    }

    private void Add(SimRandom rng, ushort country, CardScheme scheme, double share, int binCount, double[] typeWeights)
    {
        var bins = new Bin[binCount];
        for (int b = 0; b < binCount; b++) bins[b] = NewBin(rng, scheme);
        _issuers.Add(new Issuer { Index = _issuers.Count, Country = country, Scheme = scheme, Bins = bins, Share = share, TypeWeights = typeWeights });
    }

    private Bin NewBin(SimRandom rng, CardScheme scheme)
    {
        while (true)
        {
            uint digits = scheme switch
            {
                CardScheme.Visa => (uint)rng.Next(400_000, 500_000),
                CardScheme.Mastercard => rng.Chance(0.8) ? (uint)rng.Next(510_000, 560_000) : (uint)rng.Next(222_100, 272_100),
                CardScheme.Amex => rng.Chance(0.5) ? (uint)rng.Next(340_000, 350_000) : (uint)rng.Next(370_000, 380_000),
                CardScheme.Jcb => (uint)rng.Next(352_800, 359_000),
                CardScheme.UnionPay => (uint)rng.Next(620_000, 630_000),
                _ => (uint)rng.Next(600_000, 700_000),
            };
            if (_usedBins.Add(digits)) return new Bin(digits, 6);
        }
    }
}
