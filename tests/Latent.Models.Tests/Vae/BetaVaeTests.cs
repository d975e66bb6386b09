using Latent.Core;
using Latent.Models.Training;
using Latent.Models.Vae;

namespace Latent.Models.Tests.Vae;

public class BetaVaeTests
{
    private static BetaVae Small(BetaVaeOptions? o = null, ulong seed = 1) =>
        new(o ?? new BetaVaeOptions { Architecture = "16-8-3" }, [1, 4, 4], new Rng(seed));

    private static Dictionary<string, double> Terms(LossTerms t) => t.Values().ToDictionary(v => v.Key, v => v.Value);

    [Fact]
    public void Defaults_are_the_papers()
    {
        var o = new BetaVaeOptions();
        Assert.Equal(4f, o.Beta);                 // Higgins et al. 2017, dSprites
        Assert.Equal(1000f, o.Gamma);             // Burgess et al. 2018
        Assert.Equal(25f, o.CapacityMax);
        Assert.Equal(BetaVaeObjective.Beta, o.Objective);
        Assert.Equal(new VaeOptions().Architecture, o.Architecture); // only the KL weighting differs
        var info = ModelRegistry.Get("beta-vae");
        Assert.Contains("beta=4", info.DefaultOptionsText);
        Assert.Contains("Higgins", info.Citation);
        Assert.Contains("Burgess", info.Citation);
    }

    [Fact]
    public void Fixed_beta_weighs_the_kl_by_beta()
    {
        var model = Small();
        Assert.Equal("beta-vae", model.Name);
        var x = TestData.LowRankImages(6).Batch([0, 1, 2, 3, 4, 5]);
        var t = Terms(model.Loss(x, new TrainingContext(new Rng(3))));
        Assert.Equal(4 * t["kl"], t["regularisation"], 4);
        Assert.Equal(t["reconstruction"] + 4 * t["kl"], t["total"], 3);
        Assert.Equal(t["reconstruction"] + t["kl"], t["neg_elbo"], 3);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Capacity_objective_is_gamma_times_abs_kl_minus_c_with_c_rising_linearly(double progress)
    {
        var model = Small(new BetaVaeOptions { Architecture = "16-8-3", Objective = BetaVaeObjective.Capacity, Gamma = 10f, CapacityMax = 2f });
        var x = TestData.LowRankImages(6).Batch([0, 1, 2, 3, 4, 5]);
        var t = Terms(model.Loss(x, new TrainingContext(new Rng(3), progress: progress)));
        double c = 2 * progress;
        Assert.Equal(c, t["capacity"], 5);
        Assert.Equal(10 * Math.Abs(t["kl"] - c), t["regularisation"], 3);
        Assert.Equal(t["reconstruction"] + t["regularisation"], t["total"], 3);
    }

    [Fact]
    public void Capacity_training_drives_the_kl_towards_c()
    {
        // With a large gamma the KL tracks C: at the end of training it sits near C_max.
        var model = Small(new BetaVaeOptions { Architecture = "16-16-4", Objective = BetaVaeObjective.Capacity, Gamma = 50f, CapacityMax = 3f }, seed: 2);
        var data = TestData.LowRankImages(256);
        var result = Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 12, BatchSize = 32, LearningRate = 5e-3f, Seed = 4, CheckpointEvery = 0 });
        double kl = result.History[^1].TrainValue("kl");
        Assert.InRange(kl, 2.0, 4.0);
        Assert.InRange(result.History[^1].TrainValue("capacity"), 2.5, 3.0);
    }

    [Fact]
    public void Options_parse_round_trip()
    {
        var o = BetaVaeOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "16-3", ["objective"] = "capacity", ["gamma"] = "100", ["capacity"] = "5" });
        Assert.Equal(BetaVaeObjective.Capacity, o.Objective);
        Assert.Equal(100f, o.Gamma);
        Assert.Equal(5f, o.CapacityMax);
        Assert.Equal(4f, o.Beta);
        Assert.Equal(o, BetaVaeOptions.Schema.Parse(VaeTests.ToSettings(o.ToText())));
        Assert.Equal("Objective", Assert.Throws<ArgumentException>(() => BetaVaeOptions.Schema.Parse(new Dictionary<string, string> { ["objective"] = "tc" })).ParamName);
        Assert.Equal("Gamma", Assert.Throws<ArgumentException>(() => BetaVaeOptions.Schema.Parse(new Dictionary<string, string> { ["gamma"] = "-2" })).ParamName);
        var model = ModelRegistry.Create("beta-vae", new Dictionary<string, string> { ["arch"] = "16-3", ["beta"] = "8" }, [1, 4, 4], new Rng(1));
        Assert.IsType<BetaVae>(model);
        Assert.Contains("beta=8", model.Options.ToText());
    }
}
