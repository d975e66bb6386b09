using Latent.Core;
using Latent.Models.Distributions;
using Latent.Models.Metrics;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.VampPrior;

namespace Latent.Models.Tests.VampPrior;

public class VampVaeTests
{
    private static readonly int[] Shape = [1, 4, 4];

    private static VampVae Small(int k = 6, ulong seed = 1) =>
        new(new VampVaeOptions { Architecture = "16-8-3", PseudoInputs = k }, Shape, new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Model_checks()
    {
        var model = ModelChecks.RegistryRoundTrip("vamp-vae", new() { ["arch"] = "16-8-3", ["pseudo_inputs"] = "4" }, Shape);
        Assert.Equal([4, 1, 4, 4], ((VampVae)model).PseudoInputWeights.Shape);
        ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        ModelChecks.OneStepChangesEveryParameter(Small(), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed: seed), TestData.LowRankImages(32));
        ModelChecks.LossFalls(Small(seed: 5), TestData.LowRankImages(128), epochs: 15, ratio: 0.985);
        var s = Small().Sample(5, new Rng(2));
        Assert.Equal([5, 1, 4, 4], s.Shape);
        Assert.All(s.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    /// <summary>Tomczak &amp; Welling 2018, Eq. 9: log p(z) = log (1/K) Σ_k q(z|u_k), recomputed per component in double.</summary>
    [Fact]
    public void Prior_log_density_is_the_log_mean_exp_of_the_posteriors_at_the_pseudo_inputs()
    {
        var model = Small(k: 5);
        var z = new Rng(3).Normal([4, 3]);
        var logP = model.LogPrior(z).ToArray();
        var components = model.Posterior(model.PseudoInputs);
        for (int b = 0; b < 4; b++)
        {
            var row = z.Narrow(0, b, 1);
            var terms = Enumerable.Range(0, 5).Select(k =>
                (double)new DiagonalGaussian(components.Mean.Narrow(0, k, 1), components.LogVariance.Narrow(0, k, 1)).LogProb(row).Item()).ToArray();
            double max = terms.Max();
            double expected = max + Math.Log(terms.Sum(t => Math.Exp(t - max)) / 5);
            Assert.Equal(expected, logP[b], 4);
        }
        Assert.All(model.PseudoInputs.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Importance_sampled_nll_uses_the_vamp_prior_and_is_below_the_negative_elbo()
    {
        var data = TestData.LowRankImages(128);
        var model = ModelChecks.Fit(Small(seed: 5), data, epochs: 15);
        double k1 = Likelihood.ImportanceSampledNll(model, data, 1, new Rng(7));
        double k50 = Likelihood.ImportanceSampledNll(model, data, 50, new Rng(7));
        double negElbo = Evaluation.AverageLossTerms(model, data, 64, new Rng(7)).First(t => t.Key == "neg_elbo").Value;
        Assert.True(double.IsFinite(k50));
        Assert.True(Math.Abs(k1 - negElbo) < 0.05 * Math.Abs(negElbo) + 0.2, $"K=1 {k1} vs negative ELBO {negElbo}");
        Assert.True(k50 < k1 + 0.02, $"K=50 {k50} not below K=1 {k1}");
        Assert.True(k50 < negElbo + 0.02, $"K=50 {k50} not below the negative ELBO {negElbo}");
    }
}
