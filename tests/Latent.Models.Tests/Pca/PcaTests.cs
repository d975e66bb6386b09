using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;
using PcaFit = Latent.Models.Pca.Pca;

namespace Latent.Models.Tests.Pca;

public class PcaTests
{
    /// <summary>n samples in d dims: μ + Σₖ aₖ uₖ with 3 orthonormal uₖ (std 3, 2, 1) plus N(0, 0.01²) noise.</summary>
    private static (Dataset Data, double[][] Basis) LowRank(int n, int d, ulong seed)
    {
        var rng = new Rng(seed);
        var basis = new double[3][];
        for (int k = 0; k < 3; k++)
        {
            var v = Enumerable.Range(0, d).Select(_ => (double)rng.NextNormal()).ToArray();
            for (int l = 0; l < k; l++)
            {
                double dot = v.Zip(basis[l]).Sum(p => p.First * p.Second);
                for (int j = 0; j < d; j++) v[j] -= dot * basis[l][j];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            basis[k] = v.Select(x => x / norm).ToArray();
        }
        var x = new float[n * d];
        double[] stds = [3, 2, 1];
        for (int i = 0; i < n; i++)
        {
            var a = stds.Select(s => s * rng.NextNormal()).ToArray();
            for (int j = 0; j < d; j++)
                x[i * d + j] = (float)(0.5 + a[0] * basis[0][j] + a[1] * basis[1][j] + a[2] * basis[2][j] + 0.01 * rng.NextNormal());
        }
        return (new Dataset("lowrank", x, [d]), basis);
    }

    [Fact]
    public void Dual_and_covariance_forms_agree()
    {
        // 150 samples in 200 dims take the Gram (dual) path; appending the same rows' first 140 features as a
        // dataset with n > d takes the covariance path on a copy padded to n > d: both must give the same subspace.
        var (wide, _) = LowRank(150, 200, 7);
        var dual = PcaFit.Fit(wide, 3);
        var tall = new Dataset("tall", wide.X.Concat(wide.X).ToArray(), [200]); // 300 samples > 200 dims, same covariance
        var primal = PcaFit.Fit(tall, 3);
        var a = dual.Components.ToArray();
        var b = primal.Components.ToArray();
        for (int k = 0; k < 3; k++)
        {
            double dot = 0;
            for (int j = 0; j < 200; j++) dot += a[k * 200 + j] * b[k * 200 + j];
            Assert.True(Math.Abs(Math.Abs(dot) - 1) < 1e-3, $"component {k}: |cos| = {Math.Abs(dot)}");
            Assert.Equal(primal.ExplainedVariance.ToArray()[k], dual.ExplainedVariance.ToArray()[k], 3);
        }
        Assert.Equal(primal.TotalVariance, dual.TotalVariance, 3);
    }

    [Fact]
    public void Fits_very_wide_data_quickly()
    {
        // 40 samples of 30,000 features: a covariance would be 30,000² doubles; the dual form is 40×40.
        var rng = new Rng(5);
        var data = new Dataset("wide", rng.Uniform([40, 30000]).ToArray(), [30000]);
        var pca = PcaFit.Fit(data, 2);
        Assert.Equal(2, pca.CodeSize);
        Assert.True(pca.ExplainedVariance.ToArray()[0] > 0);
    }

    [Theory]
    [InlineData(64, 256)]
    [InlineData(80, 256)]
    [InlineData(96, 256)]
    public void Fits_when_there_are_fewer_samples_than_features(int n, int d)
    {
        // The covariance has rank < n, so most eigenvalues are rounding noise: the QL iteration must still converge
        // (it once stopped with "QL did not converge" on 64 sprites of 16x16).
        var data = Latent.Data.Generated.Sprites.Generate(n, seed: 3, size: 16);
        var flat = new Dataset("sprites", data.X, [d]);
        var pca = PcaFit.Fit(flat, 8);
        var lambda = pca.ExplainedVariance.ToArray();
        Assert.Equal(8, lambda.Length);
        for (int k = 1; k < 8; k++) Assert.True(lambda[k] <= lambda[k - 1] + 1e-6, $"eigenvalues not sorted at {k}");
        Assert.True(lambda[7] > 0);
    }

    [Fact]
    public void Recovers_the_subspace_of_low_rank_data()
    {
        var (data, basis) = LowRank(2000, 20, 1);
        var pca = PcaFit.Fit(data, 3, batchSize: 300);
        Assert.Equal(3, pca.CodeSize);
        var w = pca.Components.ToArray();
        foreach (var u in basis)
        {
            // Length of u's projection onto the fitted subspace: 1 when u lies in it.
            double proj = 0;
            for (int k = 0; k < 3; k++)
            {
                double dot = 0;
                for (int j = 0; j < 20; j++) dot += w[k * 20 + j] * u[j];
                proj += dot * dot;
            }
            Assert.True(Math.Abs(proj - 1) < 1e-4, $"projection {proj}");
        }
        var lambda = pca.ExplainedVariance.ToArray();
        Assert.InRange(lambda[0], 9 * 0.85, 9 * 1.15);
        Assert.InRange(lambda[2], 0.85, 1.15);
    }

    [Fact]
    public void Training_error_equals_the_sum_of_dropped_eigenvalues()
    {
        var (data, _) = LowRank(1500, 12, 2);
        for (int k = 1; k <= 4; k++)
        {
            var pca = PcaFit.Fit(data, k);
            var scores = Evaluation.Reconstruction(pca, data);
            Assert.True(Math.Abs(scores.SsePerImage - pca.DroppedVariance) <= 1e-3 * pca.DroppedVariance + 1e-6,
                $"k={k}: SSE per sample {scores.SsePerImage} vs dropped variance {pca.DroppedVariance}");
        }
        // With all three directions kept only the noise remains: (d − 3)·0.01².
        Assert.InRange(PcaFit.Fit(data, 3).DroppedVariance, 9 * 1e-4 * 0.8, 9 * 1e-4 * 1.2);
    }

    [Fact]
    public void Encode_decode_shapes_and_round_trip_with_all_components()
    {
        var data = TestData.LowRankImages(50);
        var pca = PcaFit.Fit(data, 16);
        var x = data.Batch([0, 1, 2]);
        Assert.Equal([3, 16], pca.Encode(x).Shape);
        var r = pca.Reconstruct(x);
        Assert.Equal([3, 1, 4, 4], r.Shape);
        for (int i = 0; i < r.Size; i++) Assert.Equal(x.Span[i], r.Span[i], 4);
        Assert.Equal(["mean", "components", "explained_variance"], pca.StateDict().Select(p => p.Name));
    }

    [Fact]
    public void Fits_784_dimensions()
    {
        var rng = new Rng(3);
        var data = new Dataset("wide", rng.Uniform([1000, 784]).ToArray(), [1, 28, 28]);
        var pca = PcaFit.Fit(data, 30);
        var rows = pca.Components.ToArray();
        for (int k = 0; k < 30; k += 7)
        {
            double norm = 0;
            for (int j = 0; j < 784; j++) norm += rows[k * 784 + j] * rows[k * 784 + j];
            Assert.Equal(1.0, norm, 4);
        }
        var ev = pca.ExplainedVariance.ToArray();
        Assert.True(ev.Zip(ev.Skip(1)).All(p => p.First >= p.Second));
        Assert.Equal(784 / 12.0, pca.TotalVariance, 0); // uniform [0,1): variance 1/12 per pixel
    }

    [Fact]
    public void Bad_component_count_is_rejected()
    {
        Assert.Equal("components", Assert.Throws<ArgumentException>(() => PcaFit.Fit(TestData.LowRankImages(5), 17)).ParamName);
        Assert.Equal("components", Assert.Throws<ArgumentException>(() => PcaFit.Fit(TestData.LowRankImages(5), 0)).ParamName);
    }
}
