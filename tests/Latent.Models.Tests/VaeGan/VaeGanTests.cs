using Latent.Core;
using Latent.Data.Generated;
using Latent.Models.Metrics;
using Latent.Models.Tests.Adversarial;
using Latent.Models.Training;
using Latent.Models.VaeGan;

namespace Latent.Models.Tests.VaeGan;

public class VaeGanTests
{
    internal static Latent.Models.VaeGan.VaeGan Small(ulong seed = 1, float gamma = 1f, float pixel = 1f) =>
        new(new VaeGanOptions { Architecture = "16-16-3", Discriminator = "16-8", Gamma = gamma, DiscriminatorLearningRate = 1e-3f, PixelWeight = pixel }, [1, 4, 4], new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    private static Dictionary<string, string> ToSettings(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    [Fact]
    public void Builds_encoder_decoder_discriminator_with_three_phases()
    {
        var model = Small();
        var shapes = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Shape);
        Assert.Equal([6, 16], shapes["encoder.3.weight"]);
        Assert.Equal([16, 3], shapes["decoder.0.weight"]);
        Assert.Equal([16, 16], shapes["discriminator.0.weight"]);
        Assert.Equal([8, 16], shapes["discriminator.2.weight"]);
        Assert.Equal([1, 8], shapes["discriminator_head.weight"]);
        Assert.Equal("vae-gan", model.Name);
        var phases = model.TrainingPhases();
        Assert.Equal(["encoder", "decoder", "discriminator"], phases.Select(p => p.Name));
        Assert.Equal(model.Encoder.Parameters(), phases[0].Parameters);
        Assert.Equal(model.Decoder.Parameters(), phases[1].Parameters);
        Assert.Equal(model.DiscriminatorParameters(), phases[2].Parameters);
        Assert.Equal(OptimizerSpec.Run, phases[0].Optimizer);
        Assert.Equal(OptimizerSpec.Run, phases[1].Optimizer);
        Assert.Equal(new OptimizerSpec { LearningRate = 1e-3f, Beta1 = 0.5f }, phases[2].Optimizer);
        Assert.Equal("discriminator", phases[2].Term);
        Assert.Throws<ArgumentException>(() => VaeGanOptions.Schema.Parse(new Dictionary<string, string> { ["disc"] = "0" }));
    }

    [Fact]
    public void Shapes_and_finite_terms()
    {
        var model = Small();
        var x = Batch(6);
        Assert.Equal([6, 3], model.Encode(x).Shape);
        Assert.Equal([6, 1, 4, 4], model.Reconstruct(x).Shape);
        Assert.Equal([6, 8], model.Features(x).Shape);
        Assert.Equal([5, 1, 4, 4], model.Sample(5, new Rng(2)).Shape);
        var t = model.Loss(x, new TrainingContext(new Rng(1))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(["total", "reconstruction", "regularisation", "kl", "feature", "pixel_nll", "generator", "discriminator"], t.Keys);
        Assert.All(t.Values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(t["reconstruction"] + t["regularisation"], t["total"], 3);
        Assert.Equal(t["kl"], t["regularisation"], 4);
        Assert.Equal(t["feature"] + t["pixel_nll"], t["reconstruction"], 3);
        Assert.True(t["feature"] > 0);
        // ρ = 0: Larsen et al.'s objective, the reconstruction error in Dis_l's features alone.
        var paper = Small(pixel: 0).Loss(x, new TrainingContext(new Rng(1))).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(paper["feature"], paper["reconstruction"], 6);
        Assert.Equal(t["pixel_nll"], paper["pixel_nll"], 6);
        Assert.InRange(t["discriminator"], 3 * Math.Log(2) - 0.6, 3 * Math.Log(2) + 0.6); // untrained D near chance
    }

    [Fact]
    public void Each_phase_changes_only_its_parameter_group()
    {
        PhaseModelChecks.EachPhaseChangesOnlyItsGroup(() => Small(), Batch(8));
        PhaseModelChecks.EachPhaseChangesOnlyItsGroup(() => Small(pixel: 0), Batch(8));
    }

    [Fact]
    public void Checkpoint_weights_load_bit_identically() =>
        PhaseModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed), TestData.LowRankImages(32), ["encoder", "decoder", "discriminator"]);

    /// <summary>
    /// After a short run on 16×16 sprites the pixel reconstruction error is far below the untrained model's and close to
    /// a VAE's with the same networks, data and steps; the discriminator's loss has left chance (3 log 2).
    /// </summary>
    [Fact]
    public void Reconstructs_sprites_about_as_well_as_the_vae_after_a_short_run()
    {
        var train = Sprites.Generate(256, seed: 1, size: 16);
        var eval = Sprites.Generate(128, seed: 2, size: 16);
        var training = new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 2e-3f, Seed = 3, CheckpointEvery = 0 };
        var vae = new Latent.Models.Vae.Vae(new Latent.Models.Vae.VaeOptions { Architecture = "256-64-4" }, [1, 16, 16], new Rng(5));
        Trainer.Fit(vae, train, null, training);
        var model = new Latent.Models.VaeGan.VaeGan(new VaeGanOptions { Architecture = "256-64-4", Discriminator = "64-32", DiscriminatorLearningRate = 1e-3f }, [1, 16, 16], new Rng(5));
        double untrained = Evaluation.Reconstruction(model, eval).Bce;
        var result = Trainer.Fit(model, train, null, training);
        double trained = Evaluation.Reconstruction(model, eval).Bce, reference = Evaluation.Reconstruction(vae, eval).Bce;
        Assert.True(trained < 0.5 * untrained, $"VAE-GAN reconstruction cross-entropy went {untrained} -> {trained}");
        Assert.True(trained < 1.15 * reference, $"VAE-GAN reconstruction cross-entropy {trained}, VAE {reference}");
        double first = result.History[0].TrainValue("discriminator"), last = result.History[^1].TrainValue("discriminator");
        Assert.True(last < 3 * Math.Log(2) - 0.1, $"discriminator loss went {first} -> {last}");
        Assert.All(result.History, e => Assert.True(double.IsFinite(e.TrainValue("total")) && double.IsFinite(e.TrainValue("generator"))));
    }

    [Fact]
    public void Resume_through_three_phases_is_bit_exact() => PhaseModelChecks.ResumeIsBitExact(seed => Small(seed), TestData.LowRankImages(40));

    [Fact]
    public void Options_parse_round_trip()
    {
        var o = VaeGanOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "16-4", ["gamma"] = "0.5", ["disc"] = "8-8", ["disc_lr"] = "0.001" });
        Assert.Equal(0.5f, o.Gamma);
        Assert.Equal([8, 8], o.DiscriminatorSizes());
        Assert.Equal(o, VaeGanOptions.Schema.Parse(ToSettings(o.ToText())));
        Assert.Equal("Gamma", Assert.Throws<ArgumentException>(() => VaeGanOptions.Schema.Parse(new Dictionary<string, string> { ["gamma"] = "-1" })).ParamName);
        Assert.Equal("DiscriminatorLearningRate", Assert.Throws<ArgumentException>(() => VaeGanOptions.Schema.Parse(new Dictionary<string, string> { ["disc_lr"] = "0" })).ParamName);
        Assert.Contains("disc=512-256", ModelRegistry.Get("vae-gan").DefaultOptionsText);
        Assert.Equal(0f, VaeGanOptions.Schema.Parse(new Dictionary<string, string> { ["pixel"] = "0" }).PixelWeight);
        Assert.Equal("PixelWeight", Assert.Throws<ArgumentException>(() => VaeGanOptions.Schema.Parse(new Dictionary<string, string> { ["pixel"] = "-1" })).ParamName);
        Assert.Contains("Larsen", ModelRegistry.Get("vae-gan").Citation);
    }
}
