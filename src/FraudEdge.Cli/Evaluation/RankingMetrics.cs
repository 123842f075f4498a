namespace FraudEdge.Cli.Evaluation;

/// <summary>
/// Threshold-free ranking metrics, defined exactly as training/ computes them so the model card's rows
/// are comparable: tied scores form one threshold (as in scikit-learn's precision_recall_curve).
/// </summary>
public static class RankingMetrics
{
    /// <summary>Average precision: Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct score thresholds, highest first.</summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        int positives = CountTrue(labels);
        if (positives == 0) return double.NaN;
        int[] order = Descending(scores);
        double ap = 0, previousRecall = 0;
        int tp = 0, seen = 0;
        for (int i = 0; i < order.Length;)
        {
            double s = scores[order[i]];
            while (i < order.Length && scores[order[i]] == s)
            {
                if (labels[order[i]]) tp++;
                seen++;
                i++;
            }
            double recall = (double)tp / positives;
            ap += (recall - previousRecall) * ((double)tp / seen);
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>ROC AUC as the Mann–Whitney U statistic with average ranks for ties.</summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        int positives = CountTrue(labels);
        int negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        int[] order = Ascending(scores);
        double rankSumPositives = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j < order.Length && scores[order[j]] == scores[order[i]]) j++;
            double averageRank = (i + 1 + j) / 2.0; // ranks i+1 .. j
            for (int k = i; k < j; k++) if (labels[order[k]]) rankSumPositives += averageRank;
            i = j;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Highest recall at any distinct-score threshold whose false-positive rate is ≤ <paramref name="maxFpr"/>.</summary>
    public static double RecallAtFpr(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double maxFpr)
    {
        int positives = CountTrue(labels);
        int negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        int[] order = Descending(scores);
        int tp = 0, fp = 0;
        double best = 0;
        for (int i = 0; i < order.Length;)
        {
            double s = scores[order[i]];
            while (i < order.Length && scores[order[i]] == s)
            {
                if (labels[order[i]]) tp++; else fp++;
                i++;
            }
            if ((double)fp / negatives <= maxFpr) best = Math.Max(best, (double)tp / positives);
            else break;
        }
        return best;
    }

    /// <summary>
    /// Card precision@k per day (Dal Pozzolo et al.): each day, rank cards by their highest score that day,
    /// take the top k, and count those with a fraud event that day; mean over UTC days. Models the risk team's
    /// daily budget of cards it can investigate.
    /// </summary>
    public static double CardPrecisionAtK(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, ReadOnlySpan<int> days,
        ReadOnlySpan<long> cards, int k = 100)
    {
        var perDay = new SortedDictionary<int, Dictionary<long, (double Max, bool Fraud)>>();
        for (int i = 0; i < scores.Length; i++)
        {
            if (!perDay.TryGetValue(days[i], out var dayCards)) perDay[days[i]] = dayCards = [];
            dayCards[cards[i]] = dayCards.TryGetValue(cards[i], out var c)
                ? (Math.Max(c.Max, scores[i]), c.Fraud || labels[i])
                : (scores[i], labels[i]);
        }
        if (perDay.Count == 0) return double.NaN;
        double sum = 0;
        foreach (var dayCards in perDay.Values)
        {
            // A day with fewer than k cards uses all of them (as training/fraudedge_training/metrics.py does).
            int take = Math.Min(k, dayCards.Count);
            int hits = dayCards.Values.OrderByDescending(c => c.Max).Take(take).Count(c => c.Fraud);
            sum += (double)hits / take;
        }
        return sum / perDay.Count;
    }

    private static int CountTrue(ReadOnlySpan<bool> labels)
    {
        int n = 0;
        foreach (bool l in labels) if (l) n++;
        return n;
    }

    private static int[] Descending(ReadOnlySpan<double> scores)
    {
        int[] order = Ascending(scores);
        Array.Reverse(order);
        return order;
    }

    private static int[] Ascending(ReadOnlySpan<double> scores)
    {
        var keys = scores.ToArray();
        var order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(keys, order);
        return order;
    }
}
