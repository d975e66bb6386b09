using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Models.Tests.Metrics;

public class SampleQualityTests
{
    /// <summary>n rows of f: N(mean, diag(std²)).</summary>
    private static Tensor Gaussian(int n, float[] mean, float[] std, ulong seed)
    {
        var rng = new Rng(seed);
        int f = mean.Length;
        var x = new float[n * f];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++) x[i * f + j] = mean[j] + std[j] * rng.NextNormal();
        return new Tensor(x, [n, f]);
    }

    [Fact]
    public void Frechet_distance_of_a_set_with_itself_is_zero()
    {
        var a = Gaussian(500, [0, 1, 2, 3], [1, 2, 0.5f, 1], 1);
        Assert.InRange(SampleQuality.FrechetDistance(a, a), 0, 1e-6);
    }

    /// <summary>A shift δ keeps the covariance, so d² = ‖δ‖² exactly (up to rounding).</summary>
    [Fact]
    public void Frechet_distance_of_a_shifted_set_is_the_squared_shift()
    {
        var a = Gaussian(400, [0, 0, 0], [1, 3, 0.2f], 2);
        float[] delta = [1f, -2f, 0.5f];
        var b = new Tensor(a.ToArray().Select((v, i) => v + delta[i % 3]).ToArray(), [400, 3]);
        Assert.Equal(1 + 4 + 0.25, SampleQuality.FrechetDistance(a, b), 4);
    }

    /// <summary>
    /// N(μ₁, diag σ₁²) vs N(μ₂, diag σ₂²): d² = ‖μ₁ − μ₂‖² + Σ (σ₁ − σ₂)²; here 1 + 1 + (1 + 0 + 2.25) = 5.25 for the
    /// populations. The samples' own moments give the same formula to within their tiny correlations.
    /// </summary>
    [Fact]
    public void Frechet_distance_of_independent_gaussian_samples_matches_the_closed_form()
    {
        const int n = 20000;
        var a = Gaussian(n, [0, 0, 0], [1, 2, 0.5f], 3);
        var b = Gaussian(n, [1, 0, 1], [2, 2, 2f], 4);
        double d2 = SampleQuality.FrechetDistance(a, b);
        Assert.InRange(d2, 5.25 - 0.25, 5.25 + 0.25);
        static (double Mean, double Std) Moments(Tensor t, int j)
        {
            var v = t.ToArray();
            int rows = t.Shape[0];
            double m = 0, q = 0;
            for (int i = 0; i < rows; i++) m += v[i * 3 + j];
            m /= rows;
            for (int i = 0; i < rows; i++) q += (v[i * 3 + j] - m) * (v[i * 3 + j] - m);
            return (m, Math.Sqrt(q / (rows - 1)));
        }
        double expected = 0;
        for (int j = 0; j < 3; j++)
        {
            var (ma, sa) = Moments(a, j);
            var (mb, sb) = Moments(b, j);
            expected += (ma - mb) * (ma - mb) + (sa - sb) * (sa - sb);
        }
        Assert.Equal(expected, d2, 2);
        // A rotated copy has the same statistics up to the rotation; the distance is invariant to it.
        double c = Math.Cos(0.7), s = Math.Sin(0.7);
        Tensor Rotate(Tensor t) => new(Enumerable.Range(0, t.Shape[0]).SelectMany(i =>
        {
            var r = t.ToArray().AsSpan(i * 3, 3).ToArray();
            return new[] { (float)(c * r[0] - s * r[1]), (float)(s * r[0] + c * r[1]), r[2] };
        }).ToArray(), t.Shape);
        var ra = Rotate(a.Narrow(0, 0, 2000));
        var rb = Rotate(b.Narrow(0, 0, 2000));
        Assert.Equal(SampleQuality.FrechetDistance(a.Narrow(0, 0, 2000), b.Narrow(0, 0, 2000)), SampleQuality.FrechetDistance(ra, rb), 3);
    }

    /// <summary>Samples from one of the data's two far-apart clusters: all of them look real (precision 1), half the data is covered (recall ½).</summary>
    [Fact]
    public void Precision_and_recall_of_a_mode_dropping_generator()
    {
        var left = Gaussian(300, [-20, 0], [1, 1], 5);
        var right = Gaussian(300, [20, 0], [1, 1], 6);
        var real = Tensor.Concat([left, right], 0);
        var fake = Gaussian(300, [-20, 0], [1, 1], 7);
        var (precision, recall) = SampleQuality.PrecisionRecall(real, fake);
        Assert.InRange(precision, 0.9, 1.0);
        Assert.InRange(recall, 0.4, 0.5);
        // Samples that are the data itself: precision and recall 1 (every point is the centre of a ball).
        Assert.Equal((1.0, 1.0), SampleQuality.PrecisionRecall(real, real));
        // Samples far from the data: precision 0 and recall 0.
        var far = Gaussian(100, [0, 100], [1, 1], 8);
        Assert.Equal((0.0, 0.0), SampleQuality.PrecisionRecall(real, far));
    }

    [Fact]
    public void Bad_arguments_name_the_argument()
    {
        var a = Gaussian(10, [0, 0], [1, 1], 1);
        var narrow = Gaussian(10, [0], [1], 2);
        Assert.Contains("differ in width", Assert.Throws<ArgumentException>(() => SampleQuality.FrechetDistance(a, narrow)).Message);
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => SampleQuality.PrecisionRecall(a, a, 0)).ParamName);
        Assert.Equal("fake", Assert.Throws<ArgumentException>(() => SampleQuality.PrecisionRecall(a, a.Narrow(0, 0, 3), 3)).ParamName);
    }

    /// <summary>Two classes of 4×4 images (left or right half lit): the classifier separates them, and its features put
    /// copies of class 0 close to the class-0 test data and far from class 1.</summary>
    [Fact]
    public void Classifier_features_tell_a_class_from_another()
    {
        static Dataset Halves(int n, ulong seed)
        {
            var rng = new Rng(seed);
            var x = new float[n * 16];
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                int y = labels[i] = rng.NextInt(2);
                for (int p = 0; p < 16; p++) x[i * 16 + p] = ((p % 4 < 2) == (y == 0) ? 0.8f : 0.1f) + 0.1f * rng.NextNormal();
            }
            return new Dataset("halves", x, [1, 4, 4], labels);
        }
        var train = Halves(200, 1);
        var test = Halves(200, 2);
        var classifier = new FeatureClassifier([1, 4, 4], 2, [16, 8], new Rng(3));
        classifier.Fit(train, new TrainingOptions { Epochs = 5, BatchSize = 20, LearningRate = 1e-2f, Seed = 4, CheckpointEvery = 0 });
        Assert.True(classifier.Accuracy(test) > 0.95, $"accuracy {classifier.Accuracy(test)}");
        Assert.Equal([200, 8], classifier.Features(test.Batch(Enumerable.Range(0, 200).ToArray())).Shape);
        Tensor Class(Dataset d, int y) => d.Batch(Enumerable.Range(0, d.Count).Where(i => d.Labels![i] == y).ToArray());
        var same = SampleQuality.Score(classifier, Class(test, 0), Class(train, 0));
        var other = SampleQuality.Score(classifier, Class(test, 0), Class(train, 1));
        Assert.True(same.FrechetDistance * 10 < other.FrechetDistance, $"same class {same.FrechetDistance}, other class {other.FrechetDistance}");
        Assert.True(same.Precision > 0.8 && other.Precision < 0.2, $"precision {same.Precision} vs {other.Precision}");
        var e = Assert.Throws<ArgumentException>(() => classifier.Fit(TestData.LowRankImages(8), new TrainingOptions { Epochs = 1 }));
        Assert.Contains("has no class labels", e.Message);
    }
}
