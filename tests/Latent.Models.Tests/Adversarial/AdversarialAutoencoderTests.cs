using Latent.Core;
using Latent.Models.Adversarial;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Models.Tests.Adversarial;

public class AdversarialAutoencoderTests
{
    internal static AdversarialAutoencoder Small(ulong seed = 1, AaePrior prior = AaePrior.Gaussian, string arch = "16-16-2", float lr = 1e-3f) =>
        new(new AaeOptions { Architecture = arch, Discriminator = "16-16", Prior = prior, AdversarialLearningRate = lr }, [1, 4, 4], new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Builds_encoder_decoder_and_discriminator()
    {
        var model = Small();
        var shapes = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Shape);
        Assert.Equal([2, 16], shapes["encoder.3.weight"]);
        Assert.Equal([16, 2], shapes["decoder.0.weight"]);
        Assert.Equal([16, 2], shapes["discriminator.0.weight"]);
        Assert.Equal([1, 16], shapes["discriminator.4.weight"]);
        Assert.Equal("aae", model.Name);
        var phases = model.TrainingPhases();
        Assert.Equal(["reconstruction", "discriminator", "generator"], phases.Select(p => p.Name));
        Assert.Equal(model.Encoder.Parameters().Concat(model.Decoder.Parameters()), phases[0].Parameters);
        Assert.Equal(model.Discriminator.Parameters(), phases[1].Parameters);
        Assert.Equal(model.Encoder.Parameters(), phases[2].Parameters);
        Assert.Equal(OptimizerSpec.Run, phases[0].Optimizer);
        Assert.All(phases.Skip(1), p => Assert.Equal(new OptimizerSpec { LearningRate = 1e-3f, Beta1 = 0.5f }, p.Optimizer));
        Assert.Equal("regularisation", phases[2].Term);
    }

    [Fact]
    public void Shapes_and_finite_terms()
    {
        var model = Small();
        var x = Batch(6);
        Assert.Equal([6, 2], model.Encode(x).Shape);
        Assert.Equal([6, 1, 4, 4], model.Reconstruct(x).Shape);
        var s = model.Sample(5, new Rng(2));
        Assert.Equal([5, 1, 4, 4], s.Shape);
        Assert.All(s.ToArray(), v => Assert.InRange(v, 0f, 1f));
        var t = model.Loss(x, new TrainingContext(new Rng(1))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.All(t.Values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(t["reconstruction"] + t["regularisation"], t["total"], 4);
        // An untrained D is near chance: each BCE near log 2.
        Assert.InRange(t["discriminator"], 2 * Math.Log(2) - 0.5, 2 * Math.Log(2) + 0.5);
    }

    [Fact]
    public void One_training_step_updates_all_three_networks_with_their_optimizers()
    {
        var model = Small();
        var before = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        var dir = TestData.TempDir();
        var reports = new List<TrainingProgress>();
        Trainer.Fit(model, TestData.LowRankImages(8), null, new TrainingOptions { Epochs = 1, BatchSize = 8, OutputDirectory = dir },
            new TestData.SyncProgress<TrainingProgress>(reports.Add));
        Assert.Equal(["total", "reconstruction", "regularisation", "discriminator"], reports[0].Terms.Select(t => t.Key));
        Assert.All(reports[0].Terms, v => Assert.True(double.IsFinite(v.Value)));
        foreach (var (name, t) in model.StateDict()) Assert.NotEqual(before[name], t.ToArray());
        var ckpt = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName));
        Assert.Equal(["reconstruction", "discriminator", "generator"], ckpt.Optimizers.Select(o => o.Phase));
        Assert.All(ckpt.Optimizers, o => Assert.Equal(1, o.StepCount));
        Assert.All(model.Discriminator.Parameters(), p => Assert.Null(p.Grad)); // generator phase leaves no gradient on D
    }

    [Fact]
    public void Mixture_prior_lies_on_a_ring_of_ten_components()
    {
        var model = Small(prior: AaePrior.Mixture, arch: "16-16-3");
        var z = model.SamplePrior(2000, new Rng(4)).ToArray();
        var seen = new HashSet<int>();
        for (int b = 0; b < 2000; b++)
        {
            double x = z[b * 3], y = z[b * 3 + 1];
            Assert.InRange(Math.Sqrt(x * x + y * y), 4 - 2.5, 4 + 2.5);
            seen.Add((int)Math.Round(Math.Atan2(y, x) / (2 * Math.PI / 10) + 10) % 10);
        }
        Assert.Equal(10, seen.Count);
        Assert.Throws<ArgumentException>(() => Small(prior: AaePrior.Mixture, arch: "16-1"));
    }

    [Fact]
    public void Each_phase_changes_only_its_parameter_group() => PhaseModelChecks.EachPhaseChangesOnlyItsGroup(() => Small(), Batch(8));

    [Fact]
    public void Checkpoint_weights_load_bit_identically() =>
        PhaseModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed), TestData.LowRankImages(32), ["reconstruction", "discriminator", "generator"]);

    [Fact]
    public void Resume_restores_the_model_optimizers_bit_for_bit() => PhaseModelChecks.ResumeIsBitExact(seed => Small(seed), TestData.LowRankImages(40));

    [Fact]
    public void Gradient_clipping_applies_to_each_phase_on_its_own_parameters()
    {
        var model = Small();
        var clipped = new List<int>();
        Trainer.Fit(model, TestData.LowRankImages(20), null, new TrainingOptions { Epochs = 1, BatchSize = 10, GradientClip = 1f },
            services: TrainerServices.Default with { ClipGradNorm = (ps, _) => { clipped.Add(ps.Count); return 0f; } });
        int ae = model.Encoder.Parameters().Count() + model.Decoder.Parameters().Count(), d = model.Discriminator.Parameters().Count(), g = model.Encoder.Parameters().Count();
        Assert.Equal([ae, d, g, ae, d, g], clipped);
    }

    [Fact]
    public void The_run_optimizer_reaches_every_phase_and_the_adversarial_rate_stays()
    {
        var dir = TestData.TempDir();
        Trainer.Fit(Small(lr: 3e-4f), TestData.LowRankImages(20), null, new TrainingOptions { Epochs = 1, BatchSize = 10, Optimizer = "sgd", LearningRate = 0.01f, OutputDirectory = dir });
        var optimizers = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName)).Optimizers;
        Assert.All(optimizers, o => Assert.Equal("sgd", o.Kind));
        Assert.Equal([0.01f, 3e-4f, 3e-4f], optimizers.Select(o => o.LearningRate));
    }

    [Fact]
    public void Options_parse_round_trip()
    {
        var o = AaeOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "16-2", ["prior"] = "mixture", ["components"] = "6", ["disc"] = "8-8", ["adv_lr"] = "0.001" });
        Assert.Equal(AaePrior.Mixture, o.Prior);
        Assert.Equal(6, o.Components);
        Assert.Equal([8, 8], o.DiscriminatorSizes());
        Assert.Equal(o, AaeOptions.Schema.Parse(o.ToText().Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1])));
        Assert.Equal("Prior", Assert.Throws<ArgumentException>(() => AaeOptions.Schema.Parse(new Dictionary<string, string> { ["prior"] = "laplace" })).ParamName);
        Assert.Equal("Discriminator", Assert.Throws<ArgumentException>(() => AaeOptions.Schema.Parse(new Dictionary<string, string> { ["disc"] = "8-x" })).ParamName);
        Assert.Contains("arch=784-1000-1000-8", ModelRegistry.Get("aae").DefaultOptionsText);
        Assert.Contains("Makhzani", ModelRegistry.Get("aae").Citation);
    }
}
