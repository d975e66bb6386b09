using Latent.Core;
using Latent.Data;
using Latent.Data.Generated;
using Latent.Models.Autoencoder;
using Latent.Models.Denoising;
using Latent.NN.Layers;
using Ae = Latent.Models.Autoencoder.Autoencoder;

namespace Latent.Models.Tests.Autoencoder;

public class ConvNetworkTests
{
    private static Ae Conv(int[] shape, string arch, string network = "conv", ulong seed = 1) =>
        new(new AutoencoderOptions { Architecture = arch, Network = network }, shape, new Rng(seed));

    [Theory]
    [InlineData(1, 28, 2, 64 * 7 * 7)]
    [InlineData(3, 32, 2, 64 * 8 * 8)]
    [InlineData(1, 64, 3, 128 * 8 * 8)]
    public void Sizes_are_computed_for_28_32_and_64_pixel_images(int c, int side, int stages, int features)
    {
        var shape = new[] { c, side, side };
        var model = Conv(shape, $"{c * side * side}-12");
        var encoder = (Sequential)model.Encoder;
        Assert.Equal(stages, encoder.Layers.OfType<Latent.NN.Layers.Conv2d>().Count());
        Assert.Equal(features, encoder.Layers.OfType<Linear>().Single().InFeatures);
        Assert.Equal(stages, ((Sequential)model.Decoder).Layers.OfType<Latent.NN.Layers.ConvTranspose2d>().Count());
        var x = new Rng(2).Uniform([2, .. shape]);
        var z = model.Encode(x);
        Assert.Equal([2, 12], z.Shape);
        var r = model.Reconstruct(x);
        Assert.Equal(x.Shape, r.Shape);
        Assert.All(r.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Hidden_fully_connected_sizes_sit_between_the_convolutions_and_the_code()
    {
        var model = Conv([1, 28, 28], "784-100-10");
        var linears = ((Sequential)model.Encoder).Layers.OfType<Linear>().Select(l => (l.InFeatures, l.OutFeatures)).ToArray();
        Assert.Equal([(3136, 100), (100, 10)], linears);
        var decoderLinears = ((Sequential)model.Decoder).Layers.OfType<Linear>().Select(l => (l.InFeatures, l.OutFeatures)).ToArray();
        Assert.Equal([(10, 100), (100, 3136)], decoderLinears);
    }

    [Fact]
    public void Conv_bn_adds_batch_norm_after_hidden_convolutions_and_evaluates_deterministically()
    {
        var model = Conv([1, 28, 28], "784-8", "conv-bn");
        Assert.Equal(2, ((Sequential)model.Encoder).Layers.OfType<BatchNorm2d>().Count());
        Assert.Single(((Sequential)model.Decoder).Layers.OfType<BatchNorm2d>());
        Assert.Contains(model.StateDict(), p => p.Name.EndsWith("running_mean", StringComparison.Ordinal));
        model.Eval();
        var x = new Rng(3).Uniform([3, 1, 28, 28]);
        Assert.Equal(model.Reconstruct(x).ToArray(), model.Reconstruct(x).ToArray());
    }

    [Fact]
    public void Mlp_bn_puts_batch_norm_before_every_hidden_activation_only_and_trains()
    {
        var model = Conv([1, 28, 28], "784-64-32-8", "mlp-bn");
        var enc = ((Sequential)model.Encoder).Layers;
        var dec = ((Sequential)model.Decoder).Layers;
        Assert.Equal([64, 32], enc.OfType<BatchNorm1d>().Select(b => b.NumFeatures));
        Assert.Equal([32, 64], dec.OfType<BatchNorm1d>().Select(b => b.NumFeatures));
        Assert.IsType<Linear>(enc[^1]); // linear code: no batch norm after the code layer
        Assert.Equal(3, enc.OfType<Linear>().Count());
        model.Eval();
        var x = new Rng(3).Uniform([3, 1, 28, 28]);
        Assert.Equal(model.Reconstruct(x).ToArray(), model.Reconstruct(x).ToArray());

        var data = Sprites.Generate(48, seed: 4, size: 28);
        ModelChecks.OneStepChangesEveryParameter(Conv([1, 28, 28], "784-32-8", "mlp-bn", seed: 5), data.Batch([0, 1, 2, 3]));
        ModelChecks.LossFalls(Conv([1, 28, 28], "784-32-8", "mlp-bn", seed: 5), data, epochs: 4, ratio: 0.9, lr: 2e-3f);
        ModelChecks.CheckpointLoadsBitIdentically(s => Conv([1, 28, 28], "784-32-8", "mlp-bn", s), data);
    }

    [Fact]
    public void Inputs_it_cannot_handle_get_a_clear_error()
    {
        var flat = Assert.Throws<ArgumentException>(() => Conv([784], "784-8"));
        Assert.Contains("needs image samples [C,H,W], got [784]", flat.Message);
        var odd = Assert.Throws<ArgumentException>(() => Conv([1, 30, 30], "900-8"));
        Assert.Contains("multiples of 4", odd.Message);
        var big = Assert.Throws<ArgumentException>(() => Conv([1, 68, 68], "4624-8"));
        Assert.Contains("multiples of 8", big.Message);
        var size = Assert.Throws<ArgumentException>(() => Conv([1, 28, 28], "100-8"));
        Assert.Contains("784 elements", size.Message);
        var name = Assert.Throws<ArgumentException>(() => AutoencoderOptions.Schema.Parse(new Dictionary<string, string> { ["network"] = "resnet" }));
        Assert.Equal("Network", name.ParamName);
        Assert.Contains("mlp, mlp-bn, conv, conv-bn", name.Message);
    }

    [Fact]
    public void Conv_autoencoder_loss_falls_on_sprites_and_checkpoint_round_trips()
    {
        var data = Sprites.Generate(48, seed: 4, size: 28);
        var model = Conv([1, 28, 28], "784-16", seed: 5);
        ModelChecks.OneStepChangesEveryParameter(Conv([1, 28, 28], "784-16", seed: 5), data.Batch([0, 1, 2, 3]));
        ModelChecks.LossFalls(model, data, epochs: 4, ratio: 0.9, lr: 2e-3f);
        ModelChecks.CheckpointLoadsBitIdentically(s => Conv([1, 28, 28], "784-16", "conv-bn", s), data);
    }

    [Fact]
    public void Every_family_built_on_the_networks_can_be_convolutional()
    {
        var settings = new Dictionary<string, string> { ["network"] = "conv", ["arch"] = "784-8" };
        var x = new Rng(6).Uniform([2, 1, 28, 28]);
        foreach (var name in new[] { "dae", "sparse-ae", "k-sparse-ae", "dropout-ae" })
        {
            var s = new Dictionary<string, string>(settings);
            if (name == "k-sparse-ae") s["k"] = "3";
            var model = ModelRegistry.Create(name, s, [1, 28, 28], new Rng(1));
            Assert.Equal([2, 8], model.Encode(x).Shape);
            Assert.True(float.IsFinite(model.Loss(x, new TrainingContext(new Rng(1))).Total.Item()), name);
        }
        var stacked = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("stacked-ae", settings, [1, 28, 28], new Rng(1)));
        Assert.Contains("needs network=mlp", stacked.Message);
        Assert.IsType<DenoisingAutoencoder>(ModelRegistry.Create("dae", settings, [1, 28, 28], new Rng(1)));
    }

    /// <summary>Two-channel sequences of 32 steps: phase-shifted sines and their squares, 48 samples, values in [0, 1].</summary>
    private static Dataset Waves()
    {
        var rng = new Random(7);
        var x = new float[48 * 2 * 32];
        for (int n = 0; n < 48; n++)
        {
            double phase = rng.NextDouble() * 2 * Math.PI, freq = 0.2 + 0.3 * rng.NextDouble();
            for (int t = 0; t < 32; t++)
            {
                double v = Math.Sin(freq * t + phase);
                x[(n * 2 + 0) * 32 + t] = (float)(0.5 + 0.5 * v);
                x[(n * 2 + 1) * 32 + t] = (float)(v * v);
            }
        }
        return new Dataset("waves", x, [2, 32]);
    }

    [Fact]
    public void Conv1d_network_encodes_sequences_trains_and_round_trips()
    {
        var model = Conv([2, 32], "64-8", "conv1d");
        var enc = ((Sequential)model.Encoder).Layers;
        Assert.Equal([(2, 32), (32, 64)], enc.OfType<Latent.NN.Layers.Conv1d>().Select(c => (c.InChannels, c.OutChannels)));
        Assert.Equal(64 * 8, enc.OfType<Linear>().Single().InFeatures);
        Assert.Equal(2, ((Sequential)model.Decoder).Layers.OfType<Latent.NN.Layers.ConvTranspose1d>().Count());
        var x = new Rng(2).Uniform([3, 2, 32]);
        Assert.Equal([3, 8], model.Encode(x).Shape);
        Assert.Equal(x.Shape, model.Reconstruct(x).Shape);

        var data = Waves();
        ModelChecks.OneStepChangesEveryParameter(Conv([2, 32], "64-8", "conv1d", seed: 5), data.Batch([0, 1, 2, 3]));
        ModelChecks.LossFalls(Conv([2, 32], "64-8", "conv1d", seed: 5), data, epochs: 10, ratio: 0.9, lr: 1e-2f);
        ModelChecks.CheckpointLoadsBitIdentically(s => Conv([2, 32], "64-8", "conv1d", s), data);

        foreach (var name in new[] { "vae", "dae", "k-sparse-ae" })
        {
            var settings = new Dictionary<string, string> { ["network"] = "conv1d", ["arch"] = "64-8" };
            if (name == "k-sparse-ae") settings["k"] = "3";
            var family = ModelRegistry.Create(name, settings, [2, 32], new Rng(1));
            Assert.Equal([3, 8], family.Encode(x).Shape);
            Assert.True(float.IsFinite(family.Loss(x, new TrainingContext(new Rng(1))).Total.Item()), name);
        }

        Assert.Contains("needs sequence samples [C,L] with L a multiple of 4", Assert.Throws<ArgumentException>(() => Conv([2, 30], "60-8", "conv1d")).Message);
        Assert.Contains("needs sequence samples [C,L]", Assert.Throws<ArgumentException>(() => Conv([1, 28, 28], "784-8", "conv1d")).Message);
        Assert.Contains("64 elements", Assert.Throws<ArgumentException>(() => Conv([2, 32], "100-8", "conv1d")).Message);
    }
}
