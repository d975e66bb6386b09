using System.Text.Json;
using Latent.Core;
using Latent.Data.Loading;
using Latent.Data.Tables;
using Latent.Models.Anomaly;
using Latent.Models.Metrics;

namespace Latent.Models.Tests.Anomaly;

public class IsolationForestTests
{
    /// <summary>n normal rows N(0, I) in d dimensions, then <paramref name="outliers"/> rows at distance 6 on a random axis.</summary>
    internal static float[] Planted(int n, int outliers, int d, ulong seed = 3)
    {
        var rng = new Rng(seed);
        var x = new float[(n + outliers) * d];
        for (int i = 0; i < n * d; i++) x[i] = rng.NextNormal();
        for (int i = n; i < n + outliers; i++)
        {
            for (int j = 0; j < d; j++) x[i * d + j] = 0.3f * rng.NextNormal();
            x[i * d + rng.NextInt(d)] = rng.NextInt(2) == 0 ? 6f : -6f;
        }
        return x;
    }

    [Fact]
    public void Scores_are_in_0_1_and_planted_outliers_score_highest()
    {
        const int n = 500, outliers = 10, d = 4;
        var x = Planted(n, outliers, d);
        var scores = IsolationForest.Fit(x, d, seed: 1).Score(x);
        Assert.All(scores, s => Assert.InRange(s, float.Epsilon, 1f));
        var truth = Enumerable.Range(0, n + outliers).Select(i => i >= n).ToArray();
        double auc = AnomalyMetrics.RocAuc(scores, truth);
        Assert.True(auc > 0.98, $"ROC-AUC {auc:F4} on the planted outliers");
        Assert.True(scores.Take(n).Average() < 0.5, $"normal rows average {scores.Take(n).Average():F3}, expected below 0.5");
        Assert.True(scores.Skip(n).Average() > 0.55, $"outliers average {scores.Skip(n).Average():F3}, expected above 0.55");
    }

    [Fact]
    public void Same_seed_gives_the_same_scores_another_seed_different_ones()
    {
        var x = Planted(300, 5, 3);
        var a = IsolationForest.Fit(x, 3, seed: 5).Score(x);
        var b = IsolationForest.Fit(x, 3, seed: 5).Score(x);
        var c = IsolationForest.Fit(x, 3, seed: 6).Score(x);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Array_and_span_inputs_agree_and_defaults_are_sklearns()
    {
        var flat = Planted(40, 2, 3);
        var x = new float[42, 3];
        Buffer.BlockCopy(flat, 0, x, 0, flat.Length * sizeof(float));
        var forest = IsolationForest.Fit(x, seed: 2);
        Assert.Equal(100, forest.Trees);
        Assert.Equal(42, forest.SamplesPerTree);
        Assert.Equal(IsolationForest.Fit(flat, 3, seed: 2).Score(flat), forest.Score(x));
        Assert.Equal(256, IsolationForest.Fit(Planted(400, 0, 2), 2, trees: 3).SamplesPerTree);
    }

    [Fact]
    public void Average_path_length_is_the_papers_c_n()
    {
        Assert.Equal(0, IsolationForest.AveragePathLength(1));
        Assert.Equal(1, IsolationForest.AveragePathLength(2));
        // c(256) = 2 (ln 255 + γ) − 2·255/256
        Assert.Equal(2 * (Math.Log(255) + 0.5772156649015329) - 2.0 * 255 / 256, IsolationForest.AveragePathLength(256), 12);
    }

    [Fact]
    public void Bad_inputs_throw_naming_the_argument()
    {
        Assert.Contains("whole number of rows", Assert.Throws<ArgumentException>(() => IsolationForest.Fit(new float[7], 2)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => IsolationForest.Fit([1f, float.NaN], 1)).Message);
        var forest = IsolationForest.Fit(new float[] { 1, 2, 3, 4 }, 2);
        Assert.Contains("features", Assert.Throws<ArgumentException>(() => forest.Score(new float[3, 3])).Message);
    }

    /// <summary>
    /// tests/Golden/iforest/iforest_sklearn.json: scikit-learn's IsolationForest (defaults, random_state = t) ROC-AUC on
    /// PyOD's splits t = 0..9 of every ODDS set; Latent's forest on the same splits agrees within 0.02 per set.
    /// </summary>
    [Fact]
    public void Matches_scikit_learn_on_the_odds_sets_within_0_02()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "iforest", "iforest_sklearn.json")));
        var sets = golden.RootElement.GetProperty("sets");
        var failures = new List<string>();
        int count = 0;
        foreach (var set in sets.EnumerateObject())
        {
            double reference = set.Value.GetProperty("mean_roc_auc").GetDouble();
            var data = CsvTable.Load(Path.Combine(SharedDatasets(), "odds", set.Name + ".csv.gz"));
            double auc = 0;
            for (uint t = 0; t < 10; t++)
            {
                var split = DataSplit.SklearnTrainTestSplit(data, 0.4, t);
                var scores = IsolationForest.Fit(split["train"].X, data.SampleSize, seed: t).Score(split["test"].X);
                auc += AnomalyMetrics.RocAuc(scores, split["test"].Labels!.Select(l => l == 1).ToArray()) / 10;
            }
            if (Math.Abs(auc - reference) > 0.02) failures.Add($"{set.Name}: Latent {auc:F4}, scikit-learn {reference:F4}");
            count++;
        }
        Assert.Equal(11, count);
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    private static string SharedDatasets()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "shared", "datasets");
            if (Directory.Exists(p)) return p;
        }
        throw new InvalidOperationException($"shared/datasets not found above {AppContext.BaseDirectory}; the ODDS comparison needs it");
    }
}
