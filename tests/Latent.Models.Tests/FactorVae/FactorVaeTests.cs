using Latent.Core;
using Latent.Models.FactorVae;
using Latent.Models.Tests.Adversarial;
using Latent.Models.Training;

namespace Latent.Models.Tests.FactorVae;

public class FactorVaeTests
{
    private static FactorVaeOptions SmallOptions(float gamma = 6.4f) =>
        new() { Architecture = "16-16-3", Discriminator = "16-16", Gamma = gamma, DiscriminatorLearningRate = 1e-3f };

    internal static Latent.Models.FactorVae.FactorVae Small(ulong seed = 1, float gamma = 6.4f) => new(SmallOptions(gamma), [1, 4, 4], new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    private static Dictionary<string, string> ToSettings(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    [Fact]
    public void Builds_vae_and_discriminator_with_two_phases()
    {
        var model = Small();
        var shapes = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Shape);
        Assert.Equal([6, 16], shapes["encoder.3.weight"]);
        Assert.Equal([16, 3], shapes["decoder.0.weight"]);
        Assert.Equal([16, 3], shapes["discriminator.0.weight"]);
        Assert.Equal([1, 16], shapes["discriminator.4.weight"]);
        Assert.Equal("factor-vae", model.Name);
        var phases = model.TrainingPhases();
        Assert.Equal(["vae", "discriminator"], phases.Select(p => p.Name));
        Assert.Equal(model.Encoder.Parameters().Concat(model.Decoder.Parameters()), phases[0].Parameters);
        Assert.Equal(model.Discriminator.Parameters(), phases[1].Parameters);
        Assert.Equal(OptimizerSpec.Run, phases[0].Optimizer);
        Assert.Equal(new OptimizerSpec { LearningRate = 1e-3f, Beta1 = 0.5f, Beta2 = 0.9f }, phases[1].Optimizer);
        Assert.Equal("discriminator", phases[1].Term);
    }

    [Fact]
    public void Shapes_and_finite_terms_with_the_tc_weighted_by_gamma()
    {
        var model = Small();
        var x = Batch(6);
        Assert.Equal([6, 3], model.Encode(x).Shape);
        Assert.Equal([6, 1, 4, 4], model.Reconstruct(x).Shape);
        Assert.Equal([5, 1, 4, 4], model.Sample(5, new Rng(2)).Shape);
        var t = model.Loss(x, new TrainingContext(new Rng(1))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(["total", "reconstruction", "regularisation", "kl", "tc", "neg_elbo", "discriminator"], t.Keys);
        Assert.All(t.Values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(t["reconstruction"] + t["regularisation"], t["total"], 3);
        Assert.Equal(t["kl"] + 6.4 * t["tc"], t["regularisation"], 3);
        Assert.InRange(t["discriminator"], 2 * Math.Log(2) - 0.5, 2 * Math.Log(2) + 0.5); // untrained D near chance
        var none = Small(gamma: 0).Loss(x, new TrainingContext(new Rng(1))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(none["kl"], none["regularisation"], 5);
    }

    [Fact]
    public void Permutation_keeps_each_column_multiset_and_breaks_rows()
    {
        var z = new Rng(3).Normal([50, 4]);
        var p = Latent.Models.FactorVae.FactorVae.PermuteDimensions(z, new Rng(4));
        Assert.Equal([50, 4], p.Shape);
        var a = z.ToArray();
        var b = p.ToArray();
        for (int j = 0; j < 4; j++)
            Assert.Equal(Enumerable.Range(0, 50).Select(i => a[i * 4 + j]).Order(), Enumerable.Range(0, 50).Select(i => b[i * 4 + j]).Order());
        Assert.NotEqual(a, b);
        Assert.Throws<ArgumentException>(() => Latent.Models.FactorVae.FactorVae.PermuteDimensions(new Tensor(new float[4], 4), new Rng(1)));
    }

    [Fact]
    public void Each_phase_changes_only_its_parameter_group() => PhaseModelChecks.EachPhaseChangesOnlyItsGroup(() => Small(), Batch(8));

    [Fact]
    public void Checkpoint_weights_load_bit_identically() =>
        PhaseModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed), TestData.LowRankImages(32), ["vae", "discriminator"]);

    [Fact]
    public void Loss_falls_on_a_tiny_dataset_with_a_fixed_seed()
    {
        var result = Trainer.Fit(Small(seed: 5), TestData.LowRankImages(128), null,
            new TrainingOptions { Epochs = 15, BatchSize = 16, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0 });
        double first = result.History[0].TrainValue("neg_elbo"), last = result.History[^1].TrainValue("neg_elbo");
        Assert.True(last < 0.97 * first, $"negative ELBO went {first} -> {last}");
        Assert.All(result.History, e => Assert.True(double.IsFinite(e.TrainValue("tc")) && double.IsFinite(e.TrainValue("discriminator"))));
    }

    [Fact]
    public void Resume_through_both_phases_is_bit_exact() => PhaseModelChecks.ResumeIsBitExact(seed => Small(seed), TestData.LowRankImages(40));

    [Fact]
    public void Options_parse_round_trip()
    {
        var o = FactorVaeOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "16-4", ["gamma"] = "10", ["disc"] = "8-8", ["disc_lr"] = "0.001" });
        Assert.Equal(10f, o.Gamma);
        Assert.Equal([8, 8], o.DiscriminatorSizes());
        Assert.Equal(1e-3f, o.DiscriminatorLearningRate);
        Assert.Equal(o, FactorVaeOptions.Schema.Parse(ToSettings(o.ToText())));
        Assert.Equal("Gamma", Assert.Throws<ArgumentException>(() => FactorVaeOptions.Schema.Parse(new Dictionary<string, string> { ["gamma"] = "-1" })).ParamName);
        Assert.Equal("DiscriminatorLearningRate", Assert.Throws<ArgumentException>(() => FactorVaeOptions.Schema.Parse(new Dictionary<string, string> { ["disc_lr"] = "0" })).ParamName);
        Assert.Contains("gamma=6.4", ModelRegistry.Get("factor-vae").DefaultOptionsText);
        Assert.Contains("Kim & Mnih", ModelRegistry.Get("factor-vae").Citation);
    }
}
