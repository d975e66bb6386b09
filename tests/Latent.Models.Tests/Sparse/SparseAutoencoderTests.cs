using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Metrics;
using Latent.Models.Sparse;
using Latent.Models.Tests.Autoencoder;

namespace Latent.Models.Tests.Sparse;

public class SparseAutoencoderTests
{
    private static SparseAutoencoder Model(ulong seed = 1, float beta = 3f, float rho = 0.05f, SparsityPenalty penalty = SparsityPenalty.Kl, float lambda = 0.1f, string arch = "16-10") =>
        new(new SparseOptions
        {
            Network = new AutoencoderOptions { Architecture = arch, HiddenActivation = "sigmoid", CodeActivation = "sigmoid" },
            Beta = beta, Rho = rho, Penalty = penalty, L1Weight = lambda,
        }, [1, 4, 4], new Rng(seed));

    [Fact]
    public void Defaults_are_ngs_and_parse_back()
    {
        var o = new SparseOptions();
        // β = 18: the notes' β = 3 scaled by the measured pull of our cross-entropy reconstruction (SparseOptions remarks).
        Assert.Equal((0.05f, 18f, 1e-4f, SparsityPenalty.Kl), (o.Rho, o.Beta, o.WeightDecay, o.Penalty));
        ModelChecks.RegistryRoundTrip("sparse-ae", new() { ["arch"] = "16-6", ["rho"] = "0.1", ["penalty"] = "l1", ["lambda"] = "0.5" }, [1, 4, 4]);
        var relu = Assert.Throws<ArgumentException>(() => SparseOptions.Schema.Parse(new Dictionary<string, string> { ["code"] = "relu" }));
        Assert.Contains("code=sigmoid", relu.Message);
        Assert.Equal("Rho", Assert.Throws<ArgumentException>(() => SparseOptions.Schema.Parse(new Dictionary<string, string> { ["rho"] = "1" })).ParamName);
        Assert.Equal("Penalty", Assert.Throws<ArgumentException>(() => SparseOptions.Schema.Parse(new Dictionary<string, string> { ["penalty"] = "l2" })).ParamName);
    }

    [Fact]
    public void Kl_penalty_matches_the_formula()
    {
        var h = Tensor.FromArray([0.1f, 0.5f, 0.3f, 0.7f], 2, 2); // ρ̂ = [0.2, 0.6]
        double Kl(double r, double q) => r * Math.Log(r / q) + (1 - r) * Math.Log((1 - r) / (1 - q));
        Assert.Equal(Kl(0.05, 0.2) + Kl(0.05, 0.6), SparseAutoencoder.KlSparsity(h, 0.05f).Item(), 5);
        Assert.Equal(0.0, SparseAutoencoder.KlSparsity(Tensor.Full(0.05f, 3, 4), 0.05f).Item(), 6);
        Assert.True(float.IsFinite(SparseAutoencoder.KlSparsity(Tensor.Zeros(3, 4), 0.05f).Item()));
    }

    [Fact]
    public void Loss_terms_are_reconstruction_plus_weighted_penalty_and_decay()
    {
        var model = Model();
        var x = TestData.LowRankImages(8).Batch([0, 1, 2, 3, 4, 5, 6, 7]);
        var terms = ModelChecks.ShapesAndFiniteLoss(model, x);
        var extras = terms.Extras.ToDictionary(e => e.Key, e => e.Value.Item());
        float kl = SparseAutoencoder.KlSparsity(model.Encode(x), 0.05f).Item();
        Assert.Equal(kl, extras["sparsity"], 5);
        Assert.Equal(terms.Reconstruction.Item() + 3f * kl + extras["weight_decay"], terms.Total.Item(), 3);
        var l1 = Model(penalty: SparsityPenalty.L1, lambda: 0.5f);
        var l1Terms = l1.Loss(x, new TrainingContext(new Rng(1)));
        float meanL1 = l1.Encode(x).Abs().Sum().Item() / 8;
        Assert.Equal(meanL1, l1Terms.Extras.Single(e => e.Key == "sparsity").Value.Item(), 4);
        // Warm-up weight 0 removes the sparsity term but keeps weight decay.
        var warm = model.Loss(x, new TrainingContext(new Rng(1), regularisationWeight: 0f));
        Assert.Equal(terms.Reconstruction.Item() + extras["weight_decay"], warm.Total.Item(), 4);
    }

    [Fact]
    public void One_step_checkpoint_and_loss_falls()
    {
        var data = TestData.LowRankImages(128);
        ModelChecks.OneStepChangesEveryParameter(Model(arch: "16-8-6"), data.Batch([0, 1, 2, 3, 4, 5, 6, 7]));
        ModelChecks.CheckpointLoadsBitIdentically(s => Model(seed: s), data);
        ModelChecks.LossFalls(Model(seed: 5), data, epochs: 12);
    }

    [Fact]
    public void Mean_activations_settle_at_rho()
    {
        var data = TestData.LowRankImages(512);
        var model = ModelChecks.Fit(Model(seed: 2, rho: 0.1f), data, epochs: 80);
        var means = ClaimMetrics.MeanActivations(model, data);
        Assert.InRange(means.Average(), 0.09, 0.11);
        Assert.All(means, m => Assert.InRange(m, 0.08, 0.13));
        var unregularised = ClaimMetrics.MeanActivations(ModelChecks.Fit(Model(seed: 2, beta: 0f), data, epochs: 40), data);
        Assert.True(unregularised.Average() > 0.2, $"without the penalty the mean activation is {unregularised.Average():F3}");
    }

    [Fact]
    public void L1_penalty_lowers_the_activities()
    {
        var data = TestData.LowRankImages(256);
        var l1 = ClaimMetrics.MeanActivations(ModelChecks.Fit(Model(seed: 2, penalty: SparsityPenalty.L1, lambda: 1f), data, epochs: 20), data);
        var none = ClaimMetrics.MeanActivations(ModelChecks.Fit(Model(seed: 2, penalty: SparsityPenalty.L1, lambda: 0f), data, epochs: 20), data);
        Assert.True(l1.Average() < 0.5 * none.Average(), $"L1 {l1.Average():F3} vs none {none.Average():F3}");
    }
}
