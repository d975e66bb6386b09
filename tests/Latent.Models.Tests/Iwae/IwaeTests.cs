using Latent.Core;
using Latent.Models.Iwae;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.Vae;
using IwaeModel = Latent.Models.Iwae.Iwae;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.Tests.Iwae;

public class IwaeTests
{
    private static readonly int[] Shape = [1, 4, 4];

    private static IwaeModel Small(int k = 5, ulong seed = 1) => new(new IwaeOptions { Architecture = "16-8-3", Samples = k }, Shape, new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Model_checks()
    {
        var model = ModelChecks.RegistryRoundTrip("iwae", new() { ["arch"] = "16-8-3", ["samples"] = "3" }, Shape);
        Assert.Equal(3, ((IwaeModel)model).Samples);
        ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        ModelChecks.OneStepChangesEveryParameter(Small(), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Small(3, seed), TestData.LowRankImages(32));
        ModelChecks.LossFalls(Small(5, seed: 5), TestData.LowRankImages(128));
    }

    /// <summary>With K = 1 the bound is the VAE's ELBO, −log p(x|z) + log q(z|x) − log p(z) at one reparameterised z.</summary>
    [Fact]
    public void One_sample_bound_is_the_elbo_of_the_same_vae()
    {
        var x = Batch(6);
        var iwae = Small(k: 1);
        var vae = new VaeModel(new VaeOptions { Architecture = "16-8-3" }, Shape, new Rng(1)); // the same weights
        Assert.Equal(TestData.Weights(vae), TestData.Weights(iwae));
        var t = iwae.Loss(x, new TrainingContext(new Rng(2))).Values().ToDictionary(v => v.Key, v => v.Value);
        var v = vae.Loss(x, new TrainingContext(new Rng(2))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(v["reconstruction"], t["reconstruction"], 4); // the same z from the same stream
        var q = vae.Posterior(x);
        var z = q.Sample(new Rng(2));
        double oneSampleKl = (q.LogProb(z) - vae.Prior(6).LogProb(z)).Mean().Item();
        Assert.Equal(v["reconstruction"] + oneSampleKl, t["total"], 3);

        // Averaged over draws, the K = 1 objective is the VAE's negative ELBO (closed-form KL); K = 20 is tighter.
        double k1 = 0, k20 = 0, elbo = 0;
        var tight = Small(k: 20);
        for (ulong r = 0; r < 40; r++)
        {
            k1 += iwae.Loss(x, new TrainingContext(new Rng(100 + r))).Total.Item() / 40;
            k20 += tight.Loss(x, new TrainingContext(new Rng(100 + r))).Total.Item() / 40;
            elbo += vae.Loss(x, new TrainingContext(new Rng(100 + r))).Total.Item() / 40;
        }
        Assert.True(Math.Abs(k1 - elbo) < 0.01 * Math.Abs(elbo), $"K=1 {k1} vs negative ELBO {elbo}");
        Assert.True(k20 < k1 - 0.01, $"K=20 bound {k20} not tighter than K=1 {k1}");
    }

    [Fact]
    public void Options_parse_and_reject_bad_values()
    {
        Assert.Equal(5, new IwaeOptions().Samples);
        Assert.Equal(50, IwaeOptions.Schema.Parse(new Dictionary<string, string> { ["k"] = "50" }).Samples);
        Assert.Equal("Samples", Assert.Throws<ArgumentException>(() => IwaeOptions.Schema.Parse(new Dictionary<string, string> { ["samples"] = "0" })).ParamName);
        Assert.Contains("Burda", ModelRegistry.Get("iwae").Citation);
    }
}
