using Latent.Core;
using Latent.Models.Rae;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.Training;
using RaeModel = Latent.Models.Rae.Rae;

namespace Latent.Models.Tests.Rae;

public class RaeTests
{
    private static readonly int[] Shape = [1, 4, 4];

    private static RaeModel Small(RaeRegulariser regulariser = RaeRegulariser.L2, float decoderWeight = 1e-3f, ulong seed = 1) =>
        new(new RaeOptions { Architecture = "16-8-3", Regulariser = regulariser, DecoderWeight = decoderWeight, Components = 3, EmIterations = 30 }, Shape, new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Theory]
    [InlineData(RaeRegulariser.L2)]
    [InlineData(RaeRegulariser.Gp)]
    public void Model_checks(RaeRegulariser regulariser)
    {
        var model = ModelChecks.RegistryRoundTrip("rae", new() { ["arch"] = "16-8-3", ["regulariser"] = regulariser.ToString().ToLowerInvariant() }, Shape);
        ModelChecks.ShapesAndFiniteLoss(model, Batch(6));
        ModelChecks.OneStepChangesEveryParameter(Small(regulariser), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(seed => Small(regulariser, seed: seed), TestData.LowRankImages(32));
        ModelChecks.LossFalls(Small(regulariser, seed: 5), TestData.LowRankImages(128));
    }

    [Fact]
    public void Penalties_are_half_the_code_norm_and_the_decoder_weight_norm()
    {
        var model = Small(decoderWeight: 0.5f);
        var x = Batch(5);
        var t = model.Loss(x, new TrainingContext(new Rng(1))).Values().ToDictionary(v => v.Key, v => v.Value);
        var z = model.Encode(x).ToArray();
        Assert.Equal(z.Sum(v => 0.5 * v * v) / 5, t["code_penalty"], 4);
        double l2 = model.Decoder.NamedParameters().Where(p => p.Name.EndsWith("weight")).Sum(p => p.Tensor.ToArray().Sum(v => (double)v * v));
        Assert.Equal(l2, t["decoder_penalty"], 3);
        Assert.Equal(1e-4 * t["code_penalty"] + 0.5 * l2, t["regularisation"], 3);
    }

    /// <summary>The Hutchinson estimate of ‖∂D/∂z‖²_F averages to the exact norm (computed column by column by finite differences).</summary>
    [Fact]
    public void Gradient_penalty_estimates_the_decoder_jacobian_norm()
    {
        var model = Small(RaeRegulariser.Gp);
        var x = Batch(1);
        double estimate = 0;
        for (ulong r = 0; r < 400; r++) estimate += model.Loss(x, new TrainingContext(new Rng(r))).Values().First(v => v.Key == "decoder_penalty").Value / 400;
        var z = model.Encode(x).ToArray();
        double exact = 0;
        const float h = 1e-2f;
        for (int j = 0; j < 3; j++)
        {
            var plus = (float[])z.Clone(); plus[j] += h;
            var minus = (float[])z.Clone(); minus[j] -= h;
            var a = model.Decoder.Forward(new Tensor(plus, 1, 3)).ToArray();
            var b = model.Decoder.Forward(new Tensor(minus, 1, 3)).ToArray();
            exact += a.Zip(b, (p, m) => Math.Pow((p - m) / (2.0 * h), 2)).Sum();
        }
        Assert.True(Math.Abs(estimate - exact) < 0.15 * exact, $"Hutchinson {estimate} vs exact {exact}");
    }

    [Fact]
    public void Ex_post_mixture_is_fitted_saved_and_sampled()
    {
        var data = TestData.LowRankImages(64);
        var model = ModelChecks.Fit(Small(), data, epochs: 2);
        Assert.False(model.PriorTrained);
        Assert.Throws<InvalidOperationException>(() => model.Sample(2, new Rng(1)));
        model.FitPrior(data, new TrainingOptions { Seed = 3 }, null, CancellationToken.None);
        Assert.True(model.PriorTrained);
        Assert.Equal(1.0, model.Density.Weights.Sum(), 5);
        var s = model.Sample(4, new Rng(2));
        Assert.Equal([4, 1, 4, 4], s.Shape);
        var copy = Small(seed: 9);
        copy.LoadStateDict(model.StateDict().ToDictionary(p => p.Name, p => p.Tensor));
        Assert.True(copy.PriorTrained);
        Assert.Equal(s.ToArray(), copy.Sample(4, new Rng(2)).ToArray());
    }
}
