using System.Numerics;

namespace Latent.Models.Metrics;

/// <summary>
/// Ranking metrics for anomaly scores (higher = more anomalous; label true = anomaly). Both treat tied scores as
/// one threshold, as scikit-learn's <c>roc_auc_score</c> and <c>average_precision_score</c> do.
/// </summary>
public static class AnomalyMetrics
{
    /// <summary>
    /// The <paramref name="q"/> quantile (q in [0, 1]) of ascending <paramref name="sorted"/> values by linear
    /// interpolation between order statistics, numpy's default; computed in double precision.
    /// </summary>
    public static double Quantile<T>(ReadOnlySpan<T> sorted, double q) where T : INumberBase<T>
    {
        if (sorted.IsEmpty) throw new ArgumentException("Quantile: no values", nameof(sorted));
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        double a = double.CreateChecked(sorted[lo]), b = double.CreateChecked(sorted[hi]);
        return a + (pos - lo) * (b - a);
    }

    /// <summary>
    /// Area under the ROC curve = P(score of a random anomaly &gt; score of a random normal sample), ties counting ½
    /// (the Mann–Whitney U statistic divided by n₊n₋; Hanley &amp; McNeil 1982), computed from average ranks.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var order = SortedDescending(scores, labels, out int positives, out int negatives);
        // Walk groups of tied scores from the highest down: each negative in a group beats the positives seen in
        // earlier groups fully and ties with the group's own positives (½ each).
        double wins = 0;
        long positivesAbove = 0;
        for (int g = 0; g < order.Length;)
        {
            int end = g;
            int pos = 0, neg = 0;
            while (end < order.Length && scores[order[end]] == scores[order[g]])
            {
                if (labels[order[end]]) pos++; else neg++;
                end++;
            }
            wins += neg * (positivesAbove + 0.5 * pos);
            positivesAbove += pos;
            g = end;
        }
        return wins / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision: AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct score thresholds from high to low, where Pₙ and
    /// Rₙ are precision and recall counting every sample scoring ≥ the n-th threshold (step-wise, no interpolation).
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var order = SortedDescending(scores, labels, out int positives, out _);
        double ap = 0, previousRecall = 0;
        long tp = 0, fp = 0;
        for (int g = 0; g < order.Length;)
        {
            int end = g;
            while (end < order.Length && scores[order[end]] == scores[order[g]])
            {
                if (labels[order[end]]) tp++; else fp++;
                end++;
            }
            double recall = (double)tp / positives, precision = (double)tp / (tp + fp);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            g = end;
        }
        return ap;
    }

    private static int[] SortedDescending(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, out int positives, out int negatives)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"AnomalyMetrics: {scores.Length} scores for {labels.Length} labels", nameof(labels));
        positives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i])) throw new ArgumentException($"AnomalyMetrics: score {i} is NaN", nameof(scores));
            if (labels[i]) positives++;
        }
        negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"AnomalyMetrics: need both classes, got {positives} anomalies and {negatives} normal samples", nameof(labels));
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = new float[scores.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = -scores[i];
        Array.Sort(keys, order);
        return order;
    }
}
