using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.Models.Training;
using Latent.NN.Layers;
using Ae = Latent.Models.Autoencoder.Autoencoder;

namespace Latent.Models.Tests.Autoencoder;

/// <summary>output=tanh: a tanh output with squared error on targets in [−1, 1]; the model maps data in [0, 1] there and back.</summary>
public class TanhOutputTests
{
    private static Ae Model(string network = "mlp", string arch = "16-8-3") =>
        new(new AutoencoderOptions { Architecture = arch, Output = OutputDistribution.Tanh, Network = network }, [1, 4, 4], new Rng(1));

    [Fact]
    public void The_loss_is_the_squared_error_of_tanh_against_the_data_mapped_to_minus_one_one()
    {
        var model = Model();
        var x = TestData.LowRankImages(4).Batch([0, 1, 2, 3]);
        var terms = model.Loss(x, new TrainingContext(new Rng(1)));
        var t = model.Decoder.Forward(model.Encoder.Forward(x)).Tanh().ToArray();
        var xs = x.ToArray();
        double expected = 0;
        for (int i = 0; i < xs.Length; i++) expected += Math.Pow(t[i] - (2 * xs[i] - 1), 2);
        Assert.Equal(expected / 4, terms.Total.Item(), 4);
        Assert.Same(terms.Total, terms.Reconstruction);
    }

    [Fact]
    public void The_encoder_sees_two_x_minus_one_and_decode_maps_back_to_zero_one()
    {
        var model = Model();
        var x = TestData.LowRankImages(4).Batch([0, 1, 2, 3]);
        var first = ((Sequential)model.Encoder).Layers[0];
        Assert.Equal((x * 2f - 1f).ToArray(), first.Forward(x).ToArray());
        var z = model.Encode(x);
        var decoded = model.Decode(z).ToArray();
        var raw = model.Decoder.Forward(z).Tanh().ToArray();
        Assert.All(decoded, v => Assert.InRange(v, 0f, 1f));
        for (int i = 0; i < raw.Length; i++) Assert.Equal((raw[i] + 1) / 2, decoded[i], 6);
        Assert.Contains(raw, v => v < 0); // the network's output is on [−1, 1], the model's on [0, 1]
    }

    [Fact]
    public void Training_reconstructs_in_the_data_range_and_the_conv_network_maps_too()
    {
        var data = TestData.LowRankImages(64);
        var model = Model();
        ModelChecks.LossFalls(model, data, epochs: 20, ratio: 0.7);
        model.Eval();
        var x = data.Batch(Enumerable.Range(0, 16).ToArray());
        double mse = (model.Reconstruct(x) - x).Square().Sum().Item() / x.Size;
        double spread = (x - x.Mean()).Square().Sum().Item() / x.Size; // the mean image's error
        Assert.True(mse < 0.3 * spread, $"mse in [0,1] units {mse}, the mean image's {spread}");

        var conv = new Ae(new AutoencoderOptions { Architecture = "784-16", Output = OutputDistribution.Tanh, Network = "conv" }, [1, 28, 28], new Rng(2));
        Assert.IsNotType<Conv2d>(((Sequential)conv.Encoder).Layers[0]);
        Assert.All(conv.Reconstruct(new Rng(3).Uniform([2, 1, 28, 28])).ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void The_likelihood_mean_is_half_tanh_plus_half()
    {
        var a = Tensor.FromArray([-3f, 0f, 0.5f, 4f], 1, 4);
        var lik = new TanhSquaredError(a);
        var mean = lik.Mean.ToArray();
        var expectedMean = a.ToArray().Select(v => (MathF.Tanh(v) + 1) / 2).ToArray();
        for (int i = 0; i < mean.Length; i++) Assert.Equal(expectedMean[i], mean[i], 6);
        var x = Tensor.FromArray([0f, 0.5f, 1f, 1f], 1, 4);
        double expected = a.ToArray().Zip(x.ToArray(), (v, t) => Math.Pow(MathF.Tanh(v) - (2 * t - 1), 2)).Sum();
        Assert.Equal(expected, lik.NegativeLogLikelihood(x).Item(), 5);
    }

    [Theory]
    [InlineData("vae")]
    [InlineData("beta-vae")]
    [InlineData("cvae")]
    [InlineData("lstm-ae")]
    [InlineData("stacked-ae")]
    public void Families_without_a_tanh_output_refuse_it_by_name(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Get(name).Schema.Parse(new Dictionary<string, string> { ["output"] = "tanh" }));
        Assert.StartsWith($"{name}: option 'output' = tanh: ", Options.OptionSchemaTests.Message(e));
    }

    [Theory]
    [InlineData("dae")]
    [InlineData("aae")]
    [InlineData("rae")]
    public void Plain_network_families_accept_it(string name)
    {
        var model = ModelRegistry.Create(name, new Dictionary<string, string> { ["output"] = "tanh", ["arch"] = "16-8-3" }, [1, 4, 4], new Rng(1));
        var x = TestData.LowRankImages(4).Batch([0, 1, 2, 3]);
        ModelChecks.ShapesAndFiniteLoss(model, x);
        Assert.All(model.Reconstruct(x).ToArray(), v => Assert.InRange(v, 0f, 1f));
    }
}
