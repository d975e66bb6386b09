using Latent.Models.Metrics;

namespace Latent.Models.Tests.Metrics;

public class AnomalyMetricsTests
{
    [Fact]
    public void Distinct_scores_match_hand_computed_values()
    {
        // Pairs (anomaly, normal): (0.35 vs 0.1) win, (0.35 vs 0.4) loss, (0.8 vs both) win → AUC 3/4.
        // Thresholds 0.8: P=1, R=.5; 0.4: P=.5, R=.5; 0.35: P=2/3, R=1 → AP = .5·1 + .5·2/3 = 5/6.
        float[] scores = [0.1f, 0.4f, 0.35f, 0.8f];
        bool[] labels = [false, false, true, true];
        Assert.Equal(0.75, AnomalyMetrics.RocAuc(scores, labels), 12);
        Assert.Equal(5.0 / 6.0, AnomalyMetrics.AveragePrecision(scores, labels), 12);
    }

    [Fact]
    public void Ties_count_half_and_form_one_threshold()
    {
        // (0.9 vs 0.5) 1, (0.9 vs 0.1) 1, (0.5 vs 0.5) ½, (0.5 vs 0.1) 1 → 3.5/4.
        // Thresholds 0.9: P=1, R=.5; 0.5: P=2/3, R=1 → AP = .5 + .5·2/3.
        float[] scores = [0.9f, 0.5f, 0.5f, 0.1f];
        bool[] labels = [true, true, false, false];
        Assert.Equal(0.875, AnomalyMetrics.RocAuc(scores, labels), 12);
        Assert.Equal(0.5 + 1.0 / 3.0, AnomalyMetrics.AveragePrecision(scores, labels), 12);

        float[] flat = [0.5f, 0.5f, 0.5f, 0.5f];
        bool[] half = [true, false, true, false];
        Assert.Equal(0.5, AnomalyMetrics.RocAuc(flat, half), 12);
        Assert.Equal(0.5, AnomalyMetrics.AveragePrecision(flat, half), 12);
    }

    [Fact]
    public void Perfect_and_reversed_rankings()
    {
        float[] scores = [1, 2, 3, 4, 5];
        bool[] top = [false, false, false, true, true];
        Assert.Equal(1.0, AnomalyMetrics.RocAuc(scores, top));
        Assert.Equal(1.0, AnomalyMetrics.AveragePrecision(scores, top));
        bool[] bottom = [true, true, false, false, false];
        Assert.Equal(0.0, AnomalyMetrics.RocAuc(scores, bottom));
        // Positives found at ranks 4 and 5: AP = .5·(1/4) + .5·(2/5).
        Assert.Equal(0.5 * 0.25 + 0.5 * 0.4, AnomalyMetrics.AveragePrecision(scores, bottom), 12);
    }

    [Fact]
    public void Bad_inputs_are_rejected()
    {
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => AnomalyMetrics.RocAuc([1f, 2f], [true, true])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => AnomalyMetrics.RocAuc([1f, 2f], [true])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => AnomalyMetrics.AveragePrecision([1f, float.NaN], [true, false])).ParamName);
    }
}
