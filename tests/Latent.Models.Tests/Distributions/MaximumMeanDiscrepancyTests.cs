using Latent.Core;
using Latent.Models.Distributions;
using Latent.Models.Metrics;

namespace Latent.Models.Tests.Distributions;

public class MaximumMeanDiscrepancyTests
{
    private static readonly MmdKernel[] Kernels = [MmdKernel.Rbf(1.3), MmdKernel.InverseMultiquadratic(2 * 3 * 1.0)];

    // The estimate written out over every pair, in double.
    private static double Reference(float[] x, float[] y, int n, int m, int d, MmdKernel k, bool unbiased)
    {
        double K(float[] a, int i, float[] b, int j)
        {
            double s = 0;
            for (int c = 0; c < d; c++) s += Math.Pow(a[i * d + c] - (double)b[j * d + c], 2);
            return k.Apply(s);
        }
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (!unbiased || i != j) xx += K(x, i, x, j);
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) if (!unbiased || i != j) yy += K(y, i, y, j);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) xy += K(x, i, y, j);
        return unbiased
            ? xx / (n * (n - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double)n * m)
            : xx / ((double)n * n) + yy / ((double)m * m) - 2 * xy / ((double)n * m);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1, false)]
    public void Matches_the_estimate_written_over_every_pair(int kernel, bool unbiased)
    {
        var x = new Rng(1).Normal([7, 3]);
        var y = new Rng(2).Normal([5, 3], mean: 0.5f, std: 1.5f);
        double expected = Reference(x.ToArray(), y.ToArray(), 7, 5, 3, Kernels[kernel], unbiased);
        float actual = MaximumMeanDiscrepancy.Squared(x, y, Kernels[kernel], unbiased).Item();
        Assert.True(Math.Abs(expected - actual) < 1e-5 + 1e-4 * Math.Abs(expected), $"{actual} vs {expected}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Biased_estimate_is_zero_for_identical_samples_and_positive_otherwise(int kernel)
    {
        var x = new Rng(3).Normal([16, 4]);
        Assert.Equal(0f, MaximumMeanDiscrepancy.Squared(x, x.Clone(), Kernels[kernel], unbiased: false).Item());
        var other = new Rng(4).Normal([16, 4]);
        var shifted = new Rng(4).Normal([16, 4], mean: 1f);
        float near = MaximumMeanDiscrepancy.Squared(x, other, Kernels[kernel], unbiased: false).Item();
        float far = MaximumMeanDiscrepancy.Squared(x, shifted, Kernels[kernel], unbiased: false).Item();
        Assert.True(near > 0 && far > near, $"same distribution {near}, shifted {far}");
        Assert.True(MaximumMeanDiscrepancy.Squared(x, shifted, Kernels[kernel]).Item() > MaximumMeanDiscrepancy.Squared(x, other, Kernels[kernel]).Item());
    }

    [Fact]
    public void The_metric_is_the_same_estimate()
    {
        var x = new Rng(5).Normal([12, 2]);
        var y = new Rng(6).Normal([9, 2], std: 2f);
        Assert.Equal(Mmd.Rbf(x, y, bandwidth: 0.8), MaximumMeanDiscrepancy.Squared(x, y, MmdKernel.Rbf(0.8)).Item(), 5);
        Assert.Equal(Reference(x.ToArray(), y.ToArray(), 12, 9, 2, MmdKernel.Rbf(0.8), true), Mmd.Rbf(x, y, bandwidth: 0.8), 7);
    }

    [Fact]
    public void Squared_distances_are_the_pairwise_squares()
    {
        var a = Tensor.FromArray([0f, 0f, 1f, 2f], 2, 2);
        var b = Tensor.FromArray([3f, 4f, 1f, 2f, -1f, 0f], 3, 2);
        Assert.Equal([25f, 5f, 1f, 8f, 0f, 8f], MaximumMeanDiscrepancy.SquaredDistances(a, b).ToArray());
    }

    [Fact]
    public void Kernels_at_hand_computed_distances()
    {
        Assert.Equal(Math.Exp(-2.0 / (2 * 0.25)), MmdKernel.Rbf(0.5).Apply(2.0), 15);
        Assert.Equal(3.0 / 5.0, MmdKernel.InverseMultiquadratic(3).Apply(2.0), 15);
        var rbf = MmdKernel.Rbf(0.5).Apply(Tensor.FromArray([0f, 0.5f], 2)).ToArray();
        Assert.Equal(1f, rbf[0]);
        Assert.Equal(Math.Exp(-1.0), rbf[1], 6);
        var imq = MmdKernel.InverseMultiquadratic(3).Apply(Tensor.FromArray([0f, 2f], 2)).ToArray();
        Assert.Equal(1f, imq[0]);
        Assert.Equal(0.6, imq[1], 6);
        Assert.Equal("imq(3)", MmdKernel.InverseMultiquadratic(3).ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Gradients_match_finite_differences(int kernel)
    {
        var x = new Rng(7).Normal([4, 2]).RequireGrad();
        var y = new Rng(8).Normal([3, 2], mean: 0.3f).RequireGrad();
        FiniteDifferences.Check(() => MaximumMeanDiscrepancy.Squared(x, y, Kernels[kernel]) * 10f, [x, y]);
        FiniteDifferences.Check(() => MaximumMeanDiscrepancy.Squared(x, y, Kernels[kernel], unbiased: false) * 10f, [x, y]);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Equal("bandwidth", Assert.Throws<ArgumentException>(() => MmdKernel.Rbf(0)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentException>(() => MmdKernel.InverseMultiquadratic(double.NaN)).ParamName);
        var k = MmdKernel.Rbf(1);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => MaximumMeanDiscrepancy.Squared(Tensor.Zeros(3, 2), Tensor.Zeros(3, 4), k)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => MaximumMeanDiscrepancy.Squared(Tensor.Zeros(1, 2), Tensor.Zeros(3, 2), k));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("MaximumMeanDiscrepancy.Squared: need at least 2 samples on each side, got 1 and 3", e.Message);
        Assert.Equal(0f, MaximumMeanDiscrepancy.Squared(Tensor.Ones(1, 2), Tensor.Ones(1, 2), k, unbiased: false).Item());
    }
}
