using FraudEdge.Cli.Evaluation;

namespace FraudEdge.Cli.Tests;

public class RankingMetricsTests
{
    // Reference values computed by hand (and equal to scikit-learn's average_precision_score / roc_auc_score).
    private static readonly double[] Scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3];
    private static readonly bool[] Labels = [true, false, true, true, false, false, true, false];

    [Fact]
    public void Average_precision_matches_the_step_definition()
    {
        // Positives at ranks 1, 3, 4, 7: AP = (1/1 + 2/3 + 3/4 + 4/7) / 4
        double expected = (1.0 + 2.0 / 3 + 3.0 / 4 + 4.0 / 7) / 4;
        Assert.Equal(expected, RankingMetrics.AveragePrecision(Scores, Labels), 12);
    }

    [Fact]
    public void Roc_auc_counts_ordered_pairs()
    {
        // Pairs (positive above negative): 4 positives x 4 negatives = 16; above: 4 + 3 + 3 + 1 = 11.
        Assert.Equal(11.0 / 16, RankingMetrics.RocAuc(Scores, Labels), 12);
    }

    [Fact]
    public void Ties_are_one_threshold()
    {
        double[] s = [0.5, 0.5, 0.5, 0.5];
        bool[] l = [true, false, true, false];
        Assert.Equal(0.5, RankingMetrics.AveragePrecision(s, l), 12);
        Assert.Equal(0.5, RankingMetrics.RocAuc(s, l), 12);
    }

    [Fact]
    public void Recall_at_fpr_takes_the_best_threshold_within_budget()
    {
        Assert.Equal(0.25, RankingMetrics.RecallAtFpr(Scores, Labels, 0.0));   // only the top positive before the first negative
        Assert.Equal(0.75, RankingMetrics.RecallAtFpr(Scores, Labels, 0.25));  // one negative allowed
        Assert.Equal(1.0, RankingMetrics.RecallAtFpr(Scores, Labels, 1.0));
    }

    [Fact]
    public void Card_precision_takes_each_days_top_cards()
    {
        double[] s = [0.9, 0.1, 0.8, 0.7, 0.2];
        bool[] l = [true, false, false, true, false];
        int[] days = [1, 1, 1, 2, 2];
        long[] cards = [10, 10, 11, 12, 13];
        // Day 1, k=1: card 10 (max 0.9, fraud) → 1. Day 2, k=1: card 12 (0.7, fraud) → 1.
        Assert.Equal(1.0, RankingMetrics.CardPrecisionAtK(s, l, days, cards, k: 1), 12);
        // k=2: day 1 cards 10 (fraud), 11 (not) → 0.5; day 2: 12, 13 → 0.5.
        Assert.Equal(0.5, RankingMetrics.CardPrecisionAtK(s, l, days, cards, k: 2), 12);
    }

    [Fact]
    public void No_positives_is_undefined_not_zero()
    {
        Assert.True(double.IsNaN(RankingMetrics.AveragePrecision([0.1, 0.2], [false, false])));
        Assert.True(double.IsNaN(RankingMetrics.RocAuc([0.1, 0.2], [false, false])));
    }
}
