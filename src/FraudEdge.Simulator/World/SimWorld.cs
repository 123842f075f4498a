using System.Globalization;
using System.Text;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.World;

/// <summary>
/// The simulated town: issuers, cardholders, merchants and terminals, built deterministically from the seed.
/// Card identity never involves a PAN: each card's token is the keyed hash of a card serial number, exactly the
/// way <see cref="CardToken.FromIdentifier"/> tokenizes an opaque id in production.
/// </summary>
internal sealed class SimWorld
{
    /// <summary>Cardholders per terminal: enough repeat customers for per-card history to matter.</summary>
    public const int CardsPerTerminal = 450;
    public const double ForeignCardRatio = 0.08;

    private readonly byte[] _tokenKey;
    private readonly List<SimCard> _cards = [];
    private readonly List<int>[] _zoneCards;
    private double[][] _zoneCumulative = [];
    private readonly List<int> _foreignCards = [];
    private long _touristPoolDay = long.MinValue;
    private readonly List<int> _touristPool = [];
    private readonly List<double> _touristCumulative = [];

    public SimWorld(SimulationOptions options, SimRandom rng)
    {
        Options = options;
        StartLocalDay = options.Start.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        _tokenKey = Sha256.HashData(Encoding.ASCII.GetBytes($"fraudedge-simulator-card-key:{options.Seed.ToString(CultureInfo.InvariantCulture)}"));
        Issuers = new IssuerCatalogue(rng);

        BuildMerchants(rng);
        ZoneCount = Math.Max(1, (int)Math.Round(Merchants.Count / 5.0));
        _zoneCards = new List<int>[ZoneCount];
        for (int z = 0; z < ZoneCount; z++) _zoneCards[z] = [];

        int domestic = Math.Max(600, options.Terminals * CardsPerTerminal);
        for (int i = 0; i < domestic; i++)
        {
            var card = NewCard(rng, Issuers.PickDomestic(rng), rng.Next(ZoneCount), fraudOnly: false);
            _zoneCards[card.HomeZone].Add(card.Index);
        }
        int foreign = (int)(domestic * ForeignCardRatio);
        for (int i = 0; i < foreign; i++)
        {
            long from = StartLocalDay + rng.Next(-6, options.Days);
            var card = NewCard(rng, Issuers.PickForeign(rng), rng.Next(ZoneCount), fraudOnly: false, from, from + rng.Next(1, 10));
            _foreignCards.Add(card.Index);
        }
        BuildZoneTables();
    }

    public SimulationOptions Options { get; }
    public long StartLocalDay { get; }
    public IssuerCatalogue Issuers { get; }
    public List<Merchant> Merchants { get; } = [];
    public List<SimTerminal> Terminals { get; } = [];
    public int ZoneCount { get; }
    public IReadOnlyList<SimCard> Cards => _cards;
    public int DomesticCardCount => _zoneCards.Sum(z => z.Count);
    public int ForeignCardCount => _foreignCards.Count;

    public SimCard Card(int index) => _cards[index];

    /// <summary>A shopper from the zone weighted by activity (cards created by fraud episodes are never drawn).</summary>
    public int PickZoneCard(SimRandom rng, int zone)
    {
        var list = _zoneCards[zone];
        return list.Count == 0 ? PickAnyDomestic(rng) : list[rng.PickCumulative(_zoneCumulative[zone])];
    }

    public int PickAnyDomestic(SimRandom rng) => PickZoneCard(rng, rng.Next(ZoneCount));

    /// <summary>A tourist whose stay covers the local day, or -1 when nobody is visiting.</summary>
    public int PickTourist(SimRandom rng, long localDay)
    {
        if (_touristPoolDay != localDay)
        {
            _touristPoolDay = localDay;
            _touristPool.Clear();
            _touristCumulative.Clear();
            double total = 0;
            foreach (int index in _foreignCards)
            {
                var c = _cards[index];
                if (localDay < c.ActiveFromDay || localDay > c.ActiveToDay) continue;
                total += c.Activity;
                _touristPool.Add(index);
                _touristCumulative.Add(total);
            }
        }
        if (_touristPool.Count == 0) return -1;
        return _touristPool[rng.PickCumulative(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_touristCumulative))];
    }

    /// <summary>Any foreign card (tourist or not), for fraud with cards compromised abroad.</summary>
    public int PickForeign(SimRandom rng) => _foreignCards[rng.Next(_foreignCards.Count)];

    public SimCard NewCard(SimRandom rng, Issuer issuer, int zone, bool fraudOnly, long activeFrom = long.MinValue, long activeTo = long.MaxValue, Bin? bin = null)
    {
        int index = _cards.Count;
        Span<byte> serial = stackalloc byte[32];
        int length = Encoding.ASCII.GetBytes($"card-serial:{index.ToString(CultureInfo.InvariantCulture)}", serial);
        bool foreign = issuer.Country != IssuerCatalogue.HomeCountry;
        var type = (CardType)(rng.Pick(issuer.TypeWeights) + 1);
        bool magstripeOnly = foreign && rng.Chance(issuer.Country == 840 ? 0.08 : 0.02);
        ushort serviceCode = magstripeOnly ? (ushort)101 : type == CardType.Debit ? (ushort)221 : (ushort)201;
        int months = rng.Next(0, 48);
        DateOnly expiry = Options.Start.AddMonths(months);
        var card = new SimCard
        {
            Index = index,
            Token = CardToken.FromIdentifier(_tokenKey, serial[..length]),
            Bin = bin ?? issuer.Bins[rng.Next(issuer.Bins.Length)],
            LastFour = (ushort)rng.Next(10_000),
            Scheme = issuer.Scheme,
            Type = type,
            IssuerCountry = issuer.Country,
            IssuerIndex = issuer.Index,
            ExpiryYyMm = YyMm(expiry),
            ServiceCode = serviceCode,
            Contactless = !magstripeOnly && rng.Chance(foreign ? 0.85 : 0.95),
            WalletUser = !magstripeOnly && rng.Chance(foreign ? 0.2 : 0.25),
            ChipWorn = !magstripeOnly && rng.Chance(0.012),
            SignaturePreferred = foreign && (issuer.Country == 840 ? type != CardType.Debit && rng.Chance(0.8) : rng.Chance(0.03)),
            OnlinePinCard = !foreign && type == CardType.Debit && rng.Chance(0.7),
            HomeZone = zone,
            Activity = rng.LogNormal(1.0, 1.0),
            SpendMultiplier = rng.LogNormal(1.0, 0.45),
            OffNetworkPerDay = rng.LogNormal(0.8, 0.8),
            DeclineProneness = rng.LogNormal(1.0, 0.9),
            ActiveFromDay = activeFrom,
            ActiveToDay = activeTo,
            FraudOnly = fraudOnly,
            Atc = rng.Next(5, 900),
        };
        if (months == 0 && !fraudOnly)
        {
            // Expires this month: the issuer sends a renewed card with the same PAN (same token) whose ATC
            // starts again near zero, a genuine ATC "jump backwards".
            card.RenewalAtMs = CentralEuropeanTime.LocalMidnightUtc(StartLocalDay + rng.Next(0, Math.Max(1, Options.Days)))
                + rng.NextLong(8 * CentralEuropeanTime.MsPerHour, 20 * CentralEuropeanTime.MsPerHour);
            card.RenewedExpiryYyMm = YyMm(expiry.AddMonths(48));
        }
        _cards.Add(card);
        return card;
    }

    /// <summary>
    /// After a fraud report the issuer blocks the card and sends the holder a new one: new PAN (so a new token
    /// and last four), same person, same habits, ATC starting from zero.
    /// </summary>
    public SimCard Replace(SimRandom rng, SimCard old)
    {
        if (old.ReplacedBy >= 0) return _cards[old.ReplacedBy];
        var issuer = Issuers.Issuers[old.IssuerIndex];
        int index = _cards.Count;
        Span<byte> serial = stackalloc byte[32];
        int length = Encoding.ASCII.GetBytes($"card-serial:{index.ToString(CultureInfo.InvariantCulture)}", serial);
        var card = new SimCard
        {
            Index = index,
            Token = CardToken.FromIdentifier(_tokenKey, serial[..length]),
            Bin = issuer.Bins[rng.Next(issuer.Bins.Length)],
            LastFour = (ushort)rng.Next(10_000),
            Scheme = old.Scheme,
            Type = old.Type,
            IssuerCountry = old.IssuerCountry,
            IssuerIndex = old.IssuerIndex,
            ExpiryYyMm = YyMm(Options.Start.AddMonths(48)),
            ServiceCode = old.ServiceCode,
            Contactless = old.Contactless,
            WalletUser = old.WalletUser,
            ChipWorn = false,
            SignaturePreferred = old.SignaturePreferred,
            OnlinePinCard = old.OnlinePinCard,
            HomeZone = old.HomeZone,
            Activity = old.Activity,
            SpendMultiplier = old.SpendMultiplier,
            OffNetworkPerDay = old.OffNetworkPerDay,
            DeclineProneness = old.DeclineProneness,
            ActiveFromDay = old.ActiveFromDay,
            ActiveToDay = old.ActiveToDay,
            Atc = rng.Next(0, 2),
        };
        _cards.Add(card);
        old.ReplacedBy = index;
        return card;
    }

    public static ushort YyMm(DateOnly date) => (ushort)((date.Year % 100 * 100) + date.Month);

    private void BuildMerchants(SimRandom rng)
    {
        var archetypes = MerchantArchetypes.All;
        var weights = archetypes.Select(a => a.MixWeight).ToArray();
        int remaining = Options.Terminals;
        int round = 0;
        while (remaining > 0)
        {
            MerchantArchetype archetype = round < MerchantArchetypes.FirstRound.Count
                ? MerchantArchetypes.Named(MerchantArchetypes.FirstRound[round])
                : archetypes[rng.Pick(weights)];
            round++;
            int count = Math.Min(remaining, rng.Next(archetype.MinTerminals, archetype.MaxTerminals + 1));
            int index = Merchants.Count;
            uint[] operators = [];
            if (archetype.Attended)
            {
                operators = new uint[Math.Max(2, (count * 2) + 1)];
                for (int k = 0; k < operators.Length; k++) operators[k] = (uint)(((index + 1) * 100) + k + 1);
            }
            var merchant = new Merchant
            {
                Index = index,
                Id = MerchantId.Parse($"M{(27_600_000_000_000L + ((index + 1) * 7919L)).ToString("D14", CultureInfo.InvariantCulture)}"),
                Archetype = archetype,
                SizeFactor = rng.LogNormal(1.0, 0.3),
                Operators = operators,
            };
            Merchants.Add(merchant);
            for (int lane = 0; lane < count; lane++)
            {
                int t = Terminals.Count;
                var terminal = new SimTerminal
                {
                    Index = t,
                    Id = TerminalId.Parse($"T{(1_000_001 + t).ToString("D7", CultureInfo.InvariantCulture)}"),
                    Merchant = merchant,
                    Lane = count == 1 ? (ushort)0 : (ushort)(lane + 1),
                };
                merchant.Terminals.Add(terminal);
                Terminals.Add(terminal);
            }
            remaining -= count;
        }
    }

    private void BuildZoneTables()
    {
        // Neighbourhoods: merchants are dealt round-robin so each zone mixes shop types.
        foreach (var m in Merchants) m.Zone = m.Index % ZoneCount;
        _zoneCumulative = new double[ZoneCount][];
        for (int z = 0; z < ZoneCount; z++)
        {
            var list = _zoneCards[z];
            var cumulative = new double[list.Count];
            double total = 0;
            for (int i = 0; i < list.Count; i++)
            {
                total += _cards[list[i]].Activity;
                cumulative[i] = total;
            }
            _zoneCumulative[z] = cumulative;
        }
    }
}
