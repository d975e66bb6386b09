using Latent.Core;
using Latent.Core.IO;
using Latent.Models.Anomaly;
using Latent.Models.Metrics;

namespace Latent.Models.Tests.Anomaly;

public class AnomalyDetectorTests
{
    /// <summary>Small and fast: 150 steps per fit, one refit.</summary>
    private static readonly AnomalyDetectorOptions Fast = new() { Steps = 150, TrimRounds = 1, Contamination = 0.05 };

    /// <summary>
    /// 300 normal rows on a 2-dimensional plane in 6 dimensions (plus small noise) and 12 rows off the plane: an
    /// autoencoder with k = 2 reconstructs the plane and not the rest.
    /// </summary>
    private static float[,] Table(int normal = 300, int outliers = 12, ulong seed = 9)
    {
        var rng = new Rng(seed);
        const int d = 6;
        var basis = rng.Normal([2, d]).ToArray();
        var x = new float[normal + outliers, d];
        for (int i = 0; i < normal + outliers; i++)
        {
            float a = rng.NextNormal(), b = rng.NextNormal();
            for (int j = 0; j < d; j++) x[i, j] = a * basis[j] + b * basis[d + j] + 0.05f * rng.NextNormal();
            if (i >= normal)
                for (int j = 0; j < d; j++) x[i, j] += 3f * rng.NextNormal();
        }
        return x;
    }

    private static bool[] Truth(int normal = 300, int outliers = 12) => Enumerable.Range(0, normal + outliers).Select(i => i >= normal).ToArray();

    [Fact]
    public void Fit_ranks_planted_anomalies_high_and_flags_about_the_contamination()
    {
        var x = Table();
        var detector = new AnomalyDetector(Fast with { CodeFractions = [0.34] }).Fit(x);
        var scores = detector.DecisionFunction(x);
        Assert.Equal(x.GetLength(0), scores.Length);
        Assert.True(AnomalyMetrics.RocAuc(scores, Truth()) > 0.95, $"ROC-AUC {AnomalyMetrics.RocAuc(scores, Truth()):F3}");
        Assert.Equal(scores, detector.DecisionScores);
        var flags = detector.Predict(x);
        Assert.All(flags, f => Assert.True(f is 0 or 1));
        // The threshold is the 95% quantile of the training scores: about 5% of the training rows lie above it.
        Assert.InRange(flags.Sum(), 10, 20);
        Assert.Equal(scores.Select(s => s > detector.Threshold ? 1 : 0), flags);
        Assert.Equal(0.05, detector.Contamination);
    }

    [Fact]
    public void PredictProba_rows_are_probabilities_ordered_like_the_scores()
    {
        var x = Table();
        var detector = new AnomalyDetector(Fast).Fit(x);
        var p = detector.PredictProba(x);
        var s = detector.DecisionFunction(x);
        Assert.Equal(x.GetLength(0), p.GetLength(0));
        Assert.Equal(2, p.GetLength(1));
        for (int i = 0; i < s.Length; i++)
        {
            Assert.InRange(p[i, 1], 0f, 1f);
            Assert.Equal(1f, p[i, 0] + p[i, 1], 5);
            for (int j = 0; j < s.Length; j += 37)
                if (s[i] > s[j]) Assert.True(p[i, 1] >= p[j, 1]);
        }
    }

    [Fact]
    public void Tensor_and_array_inputs_agree()
    {
        var x = Table(80, 4);
        var detector = new AnomalyDetector(Fast).Fit(x);
        var flat = new float[x.Length];
        Buffer.BlockCopy(x, 0, flat, 0, flat.Length * sizeof(float));
        var t = new Tensor(flat, x.GetLength(0), x.GetLength(1));
        Assert.Equal(detector.DecisionFunction(x), detector.DecisionFunction(t));
        Assert.Equal(detector.Predict(x), detector.Predict(t));
        var fromTensor = new AnomalyDetector(Fast).Fit(t);
        Assert.Equal(detector.DecisionFunction(x), fromTensor.DecisionFunction(x));
    }

    [Fact]
    public void Save_and_load_give_identical_scores_threshold_and_probabilities()
    {
        var x = Table(120, 6);
        var detector = new AnomalyDetector(Fast with { CodeFractions = [0.2, 0.5] }).Fit(x);
        string dir = TestData.TempDir();
        try
        {
            detector.Save(dir);
            Assert.True(AnomalyDetector.Exists(dir));
            Assert.True(File.Exists(Path.Combine(dir, "member1", "model.safetensors")));
            var loaded = AnomalyDetector.Load(dir);
            Assert.Equal(2, loaded.Members);
            Assert.Equal(detector.Threshold, loaded.Threshold);
            Assert.Equal(detector.Options.CodeFractions, loaded.Options.CodeFractions);
            Assert.Equal(detector.DecisionFunction(x), loaded.DecisionFunction(x));
            Assert.Equal(detector.PredictProba(x), loaded.PredictProba(x));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Same_seed_same_scores()
    {
        var x = Table(100, 5);
        Assert.Equal(new AnomalyDetector(Fast).Fit(x).DecisionFunction(x), new AnomalyDetector(Fast).Fit(x).DecisionFunction(x));
    }

    [Fact]
    public void A_near_constant_feature_is_scaled_by_the_floor_not_by_its_tiny_std()
    {
        // Feature 0 is 0 in every training row but one (std ≈ 0.03); the floor (0.1 × the median scale) keeps a 1
        // there from counting as 30 standard deviations.
        var x = Table(1000, 0);
        for (int i = 0; i < 1000; i++) x[i, 0] = 0;
        x[0, 0] = 1;
        var quick = Fast with { Steps = 10, TrimRounds = 0 };
        var floored = new AnomalyDetector(quick).Fit(x).Scaler;
        var plain = new AnomalyDetector(quick with { ScaleFloor = 0 }).Fit(x).Scaler;
        float median = plain.Scale.Order().ElementAt(3);
        Assert.True(median > 0.5f, $"median scale {median}");
        Assert.Equal(0.1f * median, floored.Scale[0], 5);
        float[] probe = [1, 0, 0, 0, 0, 0];
        Assert.True(plain.Transform(probe)[0] > 30f, $"plain z {plain.Transform(probe)[0]}");
        Assert.True(floored.Transform(probe)[0] < 20f, $"floored z {floored.Transform(probe)[0]}");
    }

    [Fact]
    public void Bad_use_throws_one_line_naming_the_problem()
    {
        var detector = new AnomalyDetector(Fast);
        Assert.Contains("Fit", Assert.Throws<InvalidOperationException>(() => detector.DecisionFunction(new float[1, 3])).Message);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => detector.Fit(new float[1, 3])).Message);
        var nan = new float[3, 2];
        nan[1, 1] = float.NaN;
        Assert.Contains("row 1, feature 1", Assert.Throws<ArgumentException>(() => detector.Fit(nan)).Message);
        Assert.Contains("Contamination", Assert.Throws<ArgumentException>(() => new AnomalyDetector(new AnomalyDetectorOptions { Contamination = 0.7 })).Message);
        detector.Fit(Table(40, 0));
        Assert.Contains("6", Assert.Throws<ArgumentException>(() => detector.DecisionFunction(new float[2, 5])).Message);
        Assert.Throws<FileNotFoundException>(() => AnomalyDetector.Load(TestData.TempDir()));
        string dir = TestData.TempDir();
        File.WriteAllText(Path.Combine(dir, AnomalyDetector.FileName), "{\"format\":\"something else\"}");
        Assert.Throws<InvalidModelFileException>(() => AnomalyDetector.Load(dir));
    }
}
