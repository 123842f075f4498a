using FraudEdge.Data;

namespace FraudEdge.Simulator.Fraud;

/// <summary>
/// Fraud episodes started per terminal per day, by typology. Chosen (and measured, see docs/simulator.md) so
/// that fraud is roughly 1 % of events: far above real card-present fraud rates, so that a model can learn
/// from a few weeks of simulated traffic.
/// </summary>
internal static class FraudRates
{
    public static double EpisodesPerTerminalDay(FraudTypology typology) => typology switch
    {
        FraudTypology.CardTesting => 0.022,
        FraudTypology.SkimmedClone => 0.10,
        FraudTypology.KeyEnteredAttended => 0.12,
        FraudTypology.StolenCardSpree => 0.08,
        FraudTypology.RefundAbuse => 0.022,
        FraudTypology.AtcAnomaly => 0.08,
        FraudTypology.ContactlessOverLimit => 0.12,
        _ => 0,
    };
}
