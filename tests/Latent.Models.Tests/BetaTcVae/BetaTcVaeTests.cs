using Latent.Core;
using Latent.Models.BetaTcVae;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.Training;
using BetaTcVaeModel = Latent.Models.BetaTcVae.BetaTcVae;

namespace Latent.Models.Tests.BetaTcVae;

public class BetaTcVaeTests
{
    private static readonly int[] Shape = [1, 4, 4];

    private static BetaTcVaeModel Small(float alpha = 1f, float beta = 6f, float gamma = 1f, int n = 1000, ulong seed = 1) =>
        new(new BetaTcVaeOptions { Architecture = "16-8-3", Alpha = alpha, TcBeta = beta, Gamma = gamma, DatasetSize = n }, Shape, new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Model_checks()
    {
        var model = ModelChecks.RegistryRoundTrip("beta-tc-vae", new() { ["arch"] = "16-8-3", ["tc_beta"] = "3", ["dataset_size"] = "128" }, Shape);
        ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        ModelChecks.OneStepChangesEveryParameter(Small(), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed: seed), TestData.LowRankImages(32));
        // With α = β = γ = 1 the objective is the one-sample negative ELBO; with β = 6 the minibatch-weighted TC carries
        // a constant (Z − 1)·log(N·M) that hides the fall of the total, so the negative ELBO is checked instead.
        ModelChecks.LossFalls(Small(beta: 1f, n: 128, seed: 5), TestData.LowRankImages(128));
        var result = Trainer.Fit(Small(n: 128, seed: 5), TestData.LowRankImages(128), null,
            new TrainingOptions { Epochs = 12, BatchSize = 16, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0 });
        Assert.True(result.History[^1].TrainValue("neg_elbo") < 0.97 * result.History[0].TrainValue("neg_elbo"));
    }

    /// <summary>Chen et al. 2018, Eq. 2: MI + TC + dimension-wise KL = log q(z|x) − log p(z), for any N and batch.</summary>
    [Theory]
    [InlineData(10, 1000)]
    [InlineData(3, 60000)]
    public void Decomposition_sums_to_the_one_sample_kl(int batch, int n)
    {
        var model = Small(n: n);
        var x = Batch(batch);
        var q = model.Posterior(x);
        var z = q.Sample(new Rng(4));
        var (mi, tc, dwkl) = model.Decompose(q, z);
        double kl = (q.LogProb(z) - model.Prior(batch).LogProb(z)).Mean().Item();
        Assert.Equal(kl, mi.Item() + tc.Item() + dwkl.Item(), 3);
        Assert.NotEqual(0f, tc.Item());
    }

    [Fact]
    public void Weights_of_one_give_the_one_sample_elbo_and_beta_weighs_the_tc()
    {
        var x = Batch(8);
        var t = Small(beta: 1f).Loss(x, new TrainingContext(new Rng(3))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(t["mi"] + t["tc"] + t["dwkl"], t["regularisation"], 3);
        var b = Small(beta: 6f).Loss(x, new TrainingContext(new Rng(3))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(b["mi"] + 6 * b["tc"] + b["dwkl"], b["regularisation"], 3);
    }
}
