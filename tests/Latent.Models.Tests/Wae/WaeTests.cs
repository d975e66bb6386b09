using Latent.Core;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.Wae;
using WaeModel = Latent.Models.Wae.Wae;

namespace Latent.Models.Tests.Wae;

public class WaeTests
{
    private static readonly int[] Shape = [1, 4, 4];

    private static WaeModel Small(float lambda = 10f, MmdKernelChoice kernel = MmdKernelChoice.Imq, ulong seed = 1) =>
        new(new WaeOptions { Architecture = "16-8-3", Lambda = lambda, Kernel = kernel }, Shape, new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Model_checks()
    {
        var model = ModelChecks.RegistryRoundTrip("wae-mmd", new() { ["arch"] = "16-8-3", ["kernel"] = "rbf" }, Shape);
        var t = ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        Assert.Contains(t.Values(), v => v.Key == "mmd");
        ModelChecks.OneStepChangesEveryParameter(Small(), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed: seed), TestData.LowRankImages(32));
        ModelChecks.LossFalls(Small(seed: 5), TestData.LowRankImages(128));
    }

    [Theory]
    [InlineData(MmdKernelChoice.Imq)]
    [InlineData(MmdKernelChoice.Rbf)]
    public void Regulariser_is_lambda_times_mmd_and_has_no_kl(MmdKernelChoice kernel)
    {
        var t = Small(lambda: 7f, kernel: kernel).Loss(Batch(8), new TrainingContext(new Rng(3))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(7 * t["mmd"], t["regularisation"], 4);
        Assert.Equal(t["reconstruction"] + t["regularisation"], t["total"], 4);
        Assert.True(t["kl"] > 0);
    }

    /// <summary>The MMD penalty pulls the aggregate posterior towards N(0, I): trained with λ = 10 the codes' MMD to
    /// prior samples is smaller than trained with λ = 0 (same seed and data).</summary>
    [Fact]
    public void Penalty_brings_the_codes_towards_the_prior()
    {
        var data = TestData.LowRankImages(256);
        double Mmd(float lambda)
        {
            var model = ModelChecks.Fit(Small(lambda, seed: 4), data, epochs: 10);
            using (Tensor.NoGrad())
            {
                var z = model.Posterior(data.Batch(Enumerable.Range(0, 256).ToArray())).Sample(new Rng(8));
                return Latent.Models.Distributions.MaximumMeanDiscrepancy.Squared(z, new Rng(9).Normal([256, 3]), MmdPenalty.Kernel(MmdKernelChoice.Imq, 3)).Item();
            }
        }
        double free = Mmd(0f), matched = Mmd(10f);
        Assert.True(matched < 0.5 * free, $"MMD with the penalty {matched}, without {free}");
    }
}
