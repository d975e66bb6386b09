using Latent.Core;
using Latent.Models.Distributions;

namespace Latent.Models.Tests.Distributions;

public class DiagonalGaussianTests
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    private static DiagonalGaussian Random(ulong seed, int b = 3, int z = 4) =>
        new(new Rng(seed).Normal([b, z]), new Rng(seed + 1).Normal([b, z], std: 0.7f));

    // log N(z; μ, σ²) summed over the last axis, in double: −½ Σ (log 2π + log σ² + (z − μ)² / σ²).
    private static double[] LogProbReference(float[] mu, float[] logVar, float[] z, int zSize)
    {
        var result = new double[mu.Length / zSize];
        for (int i = 0; i < mu.Length; i++)
            result[i / zSize] += -0.5 * (Log2Pi + logVar[i] + Math.Pow(z[i] - (double)mu[i], 2) / Math.Exp(logVar[i]));
        return result;
    }

    // KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) summed over the last axis, in double: Σ log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²) / (2σ₂²) − ½.
    private static double[] KlReference(float[] mu1, float[] lv1, float[] mu2, float[] lv2, int zSize)
    {
        var result = new double[mu1.Length / zSize];
        for (int i = 0; i < mu1.Length; i++)
            result[i / zSize] += 0.5 * (lv2[i] - (double)lv1[i]) + (Math.Exp(lv1[i]) + Math.Pow(mu1[i] - (double)mu2[i], 2)) / (2 * Math.Exp(lv2[i])) - 0.5;
        return result;
    }

    private static void Near(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: {actual[i]:R}, expected {expected[i]:R}");
    }

    [Fact]
    public void Log_prob_of_hand_computed_points()
    {
        // N(0, 1) at 0: −½ log 2π; N(1, 4) at 3: −½ (log 2π + log 4 + 1).
        var q = new DiagonalGaussian(Tensor.FromArray([0f, 1f], 2, 1), Tensor.FromArray([0f, MathF.Log(4f)], 2, 1));
        var lp = q.LogProb(Tensor.FromArray([0f, 3f], 2, 1)).ToArray();
        Assert.Equal(-0.918938533, lp[0], 6);
        Assert.Equal(-2.112085713, lp[1], 6);
        Assert.Equal([2], q.LogProb(Tensor.FromArray([0f, 3f], 2, 1)).Shape);
    }

    [Fact]
    public void Log_prob_and_log_density_match_the_closed_form()
    {
        var q = Random(1);
        var z = new Rng(5).Normal([3, 4], std: 2f);
        Near(LogProbReference(q.Mean.ToArray(), q.LogVariance.ToArray(), z.ToArray(), 4), q.LogProb(z).ToArray(), 1e-6);
        var density = q.LogDensity(z);
        Assert.Equal([3, 4], density.Shape);
        Near(LogProbReference(q.Mean.ToArray(), q.LogVariance.ToArray(), z.ToArray(), 1), density.ToArray(), 1e-6);
    }

    [Fact]
    public void Kl_of_hand_computed_pairs()
    {
        // KL(N(1, 4) ‖ N(0, 1)) = ½ (1 + 4 − 1 − log 4); KL(N(0, 1) ‖ N(1, 4)) = ½ (log 4 + (1 + 1)/4 − 1).
        var a = new DiagonalGaussian(Tensor.FromArray([1f], 1, 1), Tensor.FromArray([MathF.Log(4f)], 1, 1));
        var standard = DiagonalGaussian.Standard(1, 1);
        Assert.Equal(1.306852819, a.Kl(standard).Item(), 6);
        Assert.Equal(0.443147181, standard.Kl(a).Item(), 6);
    }

    [Fact]
    public void Kl_matches_the_closed_form_and_is_zero_against_itself()
    {
        var p = Random(1);
        var q = Random(7);
        var kl = p.Kl(q);
        Assert.Equal([3], kl.Shape);
        Near(KlReference(p.Mean.ToArray(), p.LogVariance.ToArray(), q.Mean.ToArray(), q.LogVariance.ToArray(), 4), kl.ToArray(), 1e-5);
        Assert.All(p.Kl(p).ToArray(), v => Assert.Equal(0f, v, 6));

        // Against N(0, I): the short form agrees with the general one.
        var zeros = new DiagonalGaussian(Tensor.Zeros(3, 4), Tensor.Zeros(3, 4));
        Assert.True(DiagonalGaussian.Standard(3, 4).IsStandard);
        Assert.False(zeros.IsStandard);
        Near(p.Kl(zeros).ToArray().Select(v => (double)v).ToArray(), p.Kl(DiagonalGaussian.Standard(3, 4)).ToArray(), 1e-6);
    }

    [Fact]
    public void Kl_is_the_expected_log_ratio_under_samples()
    {
        const int n = 20000;
        static Tensor Rows(float a, float b) => Tensor.FromArray(Enumerable.Repeat(new[] { a, b }, n).SelectMany(r => r).ToArray(), n, 2);
        var q = new DiagonalGaussian(Rows(0.5f, -1f), Rows(-0.5f, 0.3f));
        var p = new DiagonalGaussian(Rows(0f, 0.2f), Rows(0.1f, -0.2f));
        var z = q.Sample(new Rng(3));
        double monteCarlo = (q.LogProb(z) - p.LogProb(z)).ToArray().Average(v => (double)v);
        double closed = q.Kl(p).ToArray()[0];
        Assert.True(Math.Abs(closed - monteCarlo) < 0.03, $"Monte Carlo {monteCarlo} vs closed form {closed}");
    }

    [Fact]
    public void Sample_is_mean_plus_standard_deviation_times_noise()
    {
        var q = new DiagonalGaussian(Tensor.FromArray([1f, -2f], 1, 2), Tensor.FromArray([0f, MathF.Log(4f)], 1, 2));
        var eps = new Rng(9).Normal([1, 2]).ToArray();
        var z = q.Sample(new Rng(9)).ToArray();
        Assert.Equal(1f + eps[0], z[0], 5);
        Assert.Equal(-2f + 2f * eps[1], z[1], 5);
        Assert.Equal(z, q.Sample(Tensor.FromArray(eps, 1, 2)).ToArray());
        Assert.Equal([1f, 2f], q.StandardDeviation.ToArray());
        Assert.Equal(4f, q.Variance.ToArray()[1], 5);
        var noise = new Rng(2).Normal([5, 3]);
        Assert.Equal(noise.ToArray(), DiagonalGaussian.Standard(5, 3).Sample(noise).ToArray());
    }

    [Fact]
    public void Samples_have_the_mean_and_variance()
    {
        var q = new DiagonalGaussian(Tensor.Full(3f, 4000, 2), Tensor.Full(MathF.Log(0.25f), 4000, 2));
        var z = q.Sample(new Rng(4)).ToArray();
        double mean = z.Average(), variance = z.Select(v => (v - mean) * (v - mean)).Average();
        Assert.Equal(3.0, mean, 1);
        Assert.True(Math.Abs(variance - 0.25) < 0.02, $"variance {variance}");
    }

    [Fact]
    public void From_concatenated_splits_the_last_axis()
    {
        var h = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 4);
        var q = DiagonalGaussian.FromConcatenated(h);
        Assert.Equal([1f, 2f, 5f, 6f], q.Mean.ToArray());
        Assert.Equal([3f, 4f, 7f, 8f], q.LogVariance.ToArray());
        Assert.Equal([2, 2], q.Shape);
        Assert.Equal("h", Assert.Throws<ArgumentException>(() => DiagonalGaussian.FromConcatenated(Tensor.Zeros(2, 3))).ParamName);
    }

    [Fact]
    public void Gradients_through_sample_log_prob_and_kl_match_finite_differences()
    {
        var mu = new Rng(1).Normal([2, 3]).RequireGrad();
        var lv = new Rng(2).Normal([2, 3], std: 0.5f).RequireGrad();
        var mu2 = new Rng(3).Normal([2, 3]).RequireGrad();
        var lv2 = new Rng(4).Normal([2, 3], std: 0.5f).RequireGrad();
        var eps = new Rng(5).Normal([2, 3]);
        var z = new Rng(6).Normal([2, 3]).RequireGrad();
        FiniteDifferences.Check(() => FiniteDifferences.Project(new DiagonalGaussian(mu, lv).Sample(eps)), [mu, lv]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new DiagonalGaussian(mu, lv).LogProb(z)), [mu, lv, z]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new DiagonalGaussian(mu, lv).Kl(new DiagonalGaussian(mu2, lv2))), [mu, lv, mu2, lv2]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new DiagonalGaussian(mu, lv).Kl(DiagonalGaussian.Standard(2, 3))), [mu, lv]);
        // The pathwise gradient of E_q[log q(z) − log p(z)] through a fixed ε.
        FiniteDifferences.Check(() =>
        {
            var q = new DiagonalGaussian(mu, lv);
            var s = q.Sample(eps);
            return (q.LogProb(s) - DiagonalGaussian.Standard(2, 3).LogProb(s)).Sum();
        }, [mu, lv]);
    }

    [Fact]
    public void Shape_errors_name_the_argument()
    {
        var q = Random(1);
        Assert.Equal("logVariance", Assert.Throws<ArgumentException>(() => new DiagonalGaussian(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2))).ParamName);
        Assert.Equal("mean", Assert.Throws<ArgumentException>(() => new DiagonalGaussian(Tensor.Scalar(0f), Tensor.Scalar(0f))).ParamName);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => q.Kl(DiagonalGaussian.Standard(3, 5))).ParamName);
        var e = Assert.Throws<ArgumentException>(() => q.LogProb(Tensor.Zeros(3, 5)));
        Assert.Equal("z", e.ParamName);
        Assert.Contains("DiagonalGaussian.LogDensity: z [3,5] is not [3,4]", e.Message);
        Assert.Equal("noise", Assert.Throws<ArgumentException>(() => q.Sample(Tensor.Zeros(4))).ParamName);
    }
}
