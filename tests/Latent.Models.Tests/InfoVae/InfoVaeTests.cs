using Latent.Core;
using Latent.Models.InfoVae;
using Latent.Models.Tests.Autoencoder;
using InfoVaeModel = Latent.Models.InfoVae.InfoVae;

namespace Latent.Models.Tests.InfoVae;

public class InfoVaeTests
{
    private static readonly int[] Shape = [1, 4, 4];

    private static InfoVaeModel Small(float alpha = 0f, float lambda = 1000f, ulong seed = 1) =>
        new(new InfoVaeOptions { Architecture = "16-8-3", Alpha = alpha, Lambda = lambda }, Shape, new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Model_checks()
    {
        var model = ModelChecks.RegistryRoundTrip("info-vae", new() { ["arch"] = "16-8-3", ["alpha"] = "0.5", ["lambda"] = "10" }, Shape);
        ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        ModelChecks.OneStepChangesEveryParameter(Small(), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed: seed), TestData.LowRankImages(32));
        ModelChecks.LossFalls(Small(lambda: 100f, seed: 5), TestData.LowRankImages(128));
    }

    /// <summary>Zhao et al. 2019, Eq. 6: (1 − α)·KL + (α + λ − 1)·MMD; α = 0, λ = 1 is the plain ELBO.</summary>
    [Theory]
    [InlineData(0f, 1000f)]
    [InlineData(1f, 1000f)]
    [InlineData(0.5f, 10f)]
    [InlineData(0f, 1f)]
    public void Regulariser_weighs_kl_and_mmd_as_in_the_paper(float alpha, float lambda)
    {
        var t = Small(alpha, lambda).Loss(Batch(8), new TrainingContext(new Rng(3))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal((1 - alpha) * t["kl"] + (alpha + lambda - 1) * t["mmd"], t["regularisation"], 3);
        Assert.Equal(t["reconstruction"] + t["kl"], t["neg_elbo"], 4);
        if (alpha == 0 && lambda == 1) Assert.Equal(t["neg_elbo"], t["total"], 4);
    }

    [Fact]
    public void Options_reject_alpha_above_one()
    {
        Assert.Equal("Alpha", Assert.Throws<ArgumentException>(() => InfoVaeOptions.Schema.Parse(new Dictionary<string, string> { ["alpha"] = "2" })).ParamName);
        Assert.Equal(-3f, InfoVaeOptions.Schema.Parse(new Dictionary<string, string> { ["alpha"] = "-3" }).Alpha);
        // The MMD-VAE by default: no per-sample KL, the MMD weighted by λ.
        Assert.Equal((1f, 100f), (new InfoVaeOptions().Alpha, new InfoVaeOptions().Lambda));
        Assert.Contains("alpha=1 ", ModelRegistry.Get("info-vae").DefaultOptionsText + " ");
    }
}
