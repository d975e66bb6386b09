using Latent.Core;
using Latent.Models.Distributions;

namespace Latent.Models.Tests.Distributions;

public class ReconstructionLikelihoodTests
{
    [Fact]
    public void Bernoulli_nll_is_the_cross_entropy_summed_per_sample()
    {
        var logits = new Rng(1).Normal([3, 2, 2], std: 2f);
        var x = new Rng(2).Uniform([3, 2, 2]);
        var p = new Bernoulli(logits);
        float[] l = logits.ToArray(), xs = x.ToArray(), nll = p.NegativeLogLikelihood(x).ToArray();
        Assert.Equal(3, nll.Length);
        for (int b = 0; b < 3; b++)
        {
            double expected = 0;
            for (int i = b * 4; i < b * 4 + 4; i++)
            {
                double prob = 1 / (1 + Math.Exp(-l[i]));
                expected -= xs[i] * Math.Log(prob) + (1 - xs[i]) * Math.Log(1 - prob);
            }
            Assert.Equal(expected, nll[b], 4);
        }
        Assert.Equal(nll.Average(), p.MeanNegativeLogLikelihood(x).Item(), 4);
        Assert.Equal(nll.Select(v => -v), p.LogProb(x).ToArray());
        Assert.Equal(logits.Sigmoid().ToArray(), p.Mean.ToArray());
    }

    [Fact]
    public void Bernoulli_of_hand_computed_values()
    {
        // ℓ = 0: p = ½, −log p(x) = log 2 for x = 0 or 1; ℓ = log 3: p = ¾, −log p(1) = log 4/3.
        var p = new Bernoulli(Tensor.FromArray([0f, 0f, MathF.Log(3f)], 1, 3));
        Assert.Equal(2 * Math.Log(2) + Math.Log(4.0 / 3), p.NegativeLogLikelihood(Tensor.FromArray([1f, 0f, 1f], 1, 3)).Item(), 5);
    }

    [Fact]
    public void Bernoulli_samples_have_the_probabilities()
    {
        var p = new Bernoulli(Tensor.Full(MathF.Log(3f), 1, 20000)); // p = 0.75
        var s = p.Sample(new Rng(4)).ToArray();
        Assert.All(s, v => Assert.True(v is 0f or 1f));
        Assert.True(Math.Abs(s.Average() - 0.75) < 0.015, $"frequency {s.Average()}");
    }

    [Fact]
    public void Gaussian_nll_has_the_variance_and_the_constant()
    {
        var mean = new Rng(1).Normal([2, 5]);
        var x = new Rng(2).Normal([2, 5], std: 2f);
        float[] m = mean.ToArray(), xs = x.ToArray();
        foreach (float variance in new[] { 1f, 0.3f, 4f })
        {
            var nll = new GaussianLikelihood(mean, variance).NegativeLogLikelihood(x).ToArray();
            for (int b = 0; b < 2; b++)
            {
                double expected = 2.5 * Math.Log(2 * Math.PI * variance);
                for (int i = b * 5; i < b * 5 + 5; i++) expected += (xs[i] - m[i]) * (double)(xs[i] - m[i]) / (2 * variance);
                Assert.Equal(expected, nll[b], 4);
            }
            Assert.Equal(nll.Average(), new GaussianLikelihood(mean, variance).MeanNegativeLogLikelihood(x).Item(), 4);
        }
        var unnormalised = new GaussianLikelihood(mean, 2f, normalised: false).NegativeLogLikelihood(x).ToArray();
        Assert.Equal(Enumerable.Range(0, 5).Sum(i => (xs[i] - m[i]) * (double)(xs[i] - m[i])) / 4, unnormalised[0], 4);
    }

    [Fact]
    public void Squared_error_is_the_summed_square_per_sample()
    {
        var mean = Tensor.FromArray([1f, 2f, 0f, 0f], 2, 2);
        var x = Tensor.FromArray([0f, 0f, 3f, -1f], 2, 2);
        var p = GaussianLikelihood.SquaredError(mean);
        Assert.Equal([5f, 10f], p.NegativeLogLikelihood(x).ToArray());
        Assert.Equal(7.5f, p.MeanNegativeLogLikelihood(x).Item());
        Assert.Same(mean, p.Mean);
        Assert.Equal(0.5f, p.Variance);
        Assert.False(p.Normalised);
    }

    [Fact]
    public void Gaussian_samples_have_the_mean_and_variance()
    {
        var s = new GaussianLikelihood(Tensor.Full(2f, 1, 20000), 0.25f).Sample(new Rng(3)).ToArray();
        double mean = s.Average(), variance = s.Select(v => (v - mean) * (v - mean)).Average();
        Assert.True(Math.Abs(mean - 2) < 0.01 && Math.Abs(variance - 0.25) < 0.01, $"mean {mean}, variance {variance}");
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var logits = new Rng(1).Normal([2, 3]).RequireGrad();
        var mean = new Rng(2).Normal([2, 3]).RequireGrad();
        var x = new Rng(3).Uniform([2, 3]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new Bernoulli(logits).NegativeLogLikelihood(x)), [logits]);
        FiniteDifferences.Check(() => new Bernoulli(logits).MeanNegativeLogLikelihood(x), [logits]);
        FiniteDifferences.Check(() => FiniteDifferences.Project(new GaussianLikelihood(mean, 0.7f).NegativeLogLikelihood(x)), [mean]);
        FiniteDifferences.Check(() => GaussianLikelihood.SquaredError(mean).MeanNegativeLogLikelihood(x), [mean]);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Equal("variance", Assert.Throws<ArgumentException>(() => new GaussianLikelihood(Tensor.Zeros(2, 2), 0f)).ParamName);
        Assert.Equal("variance", Assert.Throws<ArgumentException>(() => new GaussianLikelihood(Tensor.Zeros(2, 2), float.NaN)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new GaussianLikelihood(Tensor.Zeros(2, 2)).NegativeLogLikelihood(Tensor.Zeros(2, 3))).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => new Bernoulli(Tensor.Scalar(1f))).ParamName);
        Assert.Contains("BceWithLogits", Assert.Throws<ArgumentException>(() => new Bernoulli(Tensor.Zeros(2, 2)).NegativeLogLikelihood(Tensor.Zeros(2, 3))).Message);
    }
}
