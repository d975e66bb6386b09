using Latent.Core;
using Latent.Models.FactorVae;
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
    public void Each_phase_changes_only_its_parameter_group()
    {
        foreach (int phase in new[] { 0, 1 })
        {
            var model = Small();
            var phases = model.TrainingPhases();
            var x = Batch(8);
            var ctx = new TrainingContext(new Rng(1));
            if (phase == 1) phases[0].Loss(x, ctx); // the report of the second phase reads the first's terms
            var before = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
            var group = phases[phase].Parameters.ToHashSet();
            var opt = new Latent.NN.Optim.Adam(group.ToList(), 1e-2f);
            var terms = phases[phase].Loss(x, ctx);
            terms.All().First(t => t.Key == phases[phase].Term).Value.Backward();
            opt.Step();
            var inGroup = model.StateDict().Where(p => group.Contains(p.Tensor)).Select(p => p.Name).ToHashSet();
            Assert.NotEmpty(inGroup);
            foreach (var (name, t) in model.StateDict())
            {
                if (inGroup.Contains(name)) Assert.NotEqual(before[name], t.ToArray());
                else Assert.Equal(before[name], t.ToArray());
            }
        }
    }

    [Fact]
    public void Checkpoint_weights_load_bit_identically()
    {
        var dir = TestData.TempDir();
        var model = Small(seed: 1);
        var data = TestData.LowRankImages(32);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 2, BatchSize = 8, OutputDirectory = dir });
        var ckpt = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName));
        Assert.Equal(["vae", "discriminator"], ckpt.Optimizers.Select(o => o.Phase));
        var copy = (Latent.Models.FactorVae.FactorVae)ModelRegistry.Create("factor-vae", ToSettings(ckpt.ModelOptions), [1, 4, 4], new Rng(99));
        Assert.NotEqual(TestData.Weights(model), TestData.Weights(copy));
        copy.LoadStateDict(ckpt.Weights.ToDictionary(p => p.Name, p => p.Tensor));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
        var x = data.Batch([0, 1, 2]);
        Assert.Equal(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
        Assert.Equal(model.Sample(3, new Rng(5)).ToArray(), copy.Sample(3, new Rng(5)).ToArray());
    }

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
    public void Resume_through_both_phases_is_bit_exact()
    {
        var data = TestData.LowRankImages(40);
        TrainingOptions Opts(string dir) => new() { Epochs = 3, BatchSize = 10, Seed = 5, OutputDirectory = dir };
        var straight = Small(seed: 1);
        var straightDir = TestData.TempDir();
        Trainer.Fit(straight, data, null, Opts(straightDir));

        var dir = TestData.TempDir();
        var cts = new CancellationTokenSource();
        var progress = new TestData.SyncProgress<TrainingProgress>(p => { if (p.Step == 6 && p.EpochEnd is null) cts.Cancel(); });
        Assert.Equal(TrainingStatus.Cancelled, Trainer.Fit(Small(seed: 1), data, null, Opts(dir), progress, cts.Token).Status);
        Assert.All(Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName)).Optimizers, o => Assert.Equal(6, o.StepCount));

        var resumed = Small(seed: 77);
        Assert.Equal(TrainingStatus.Completed, Trainer.Fit(resumed, data, null, Opts(dir), resumeFrom: Path.Combine(dir, Trainer.CheckpointFileName)).Status);
        Assert.Equal(TestData.Weights(straight), TestData.Weights(resumed));
        var a = Checkpoint.Load(Path.Combine(straightDir, Trainer.CheckpointFileName)).Optimizers;
        var b = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName)).Optimizers;
        Assert.Equal(2, a.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal((a[i].Phase, a[i].StepCount), (b[i].Phase, b[i].StepCount));
            Assert.Equal(a[i].Tensors.SelectMany(t => t.Tensor.ToArray()), b[i].Tensors.SelectMany(t => t.Tensor.ToArray()));
        }
    }

    [Fact]
    public void Options_parse_round_trip()
    {
        var o = FactorVaeOptions.Parse(new Dictionary<string, string> { ["arch"] = "16-4", ["gamma"] = "10", ["disc"] = "8-8", ["disc_lr"] = "0.001" });
        Assert.Equal(10f, o.Gamma);
        Assert.Equal([8, 8], o.DiscriminatorSizes());
        Assert.Equal(1e-3f, o.DiscriminatorLearningRate);
        Assert.Equal(o, FactorVaeOptions.Parse(ToSettings(o.ToText())));
        Assert.Equal("Gamma", Assert.Throws<ArgumentException>(() => FactorVaeOptions.Parse(new Dictionary<string, string> { ["gamma"] = "-1" })).ParamName);
        Assert.Equal("DiscriminatorLearningRate", Assert.Throws<ArgumentException>(() => FactorVaeOptions.Parse(new Dictionary<string, string> { ["disc_lr"] = "0" })).ParamName);
        Assert.Contains("gamma=6.4", ModelRegistry.Get("factor-vae").DefaultOptionsText);
        Assert.Contains("Kim & Mnih", ModelRegistry.Get("factor-vae").Citation);
    }
}
