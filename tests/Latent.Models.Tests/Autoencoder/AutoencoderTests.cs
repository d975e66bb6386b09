using Latent.Core;
using Latent.Models.Autoencoder;
using Ae = Latent.Models.Autoencoder.Autoencoder;
using Latent.Models.Training;
using Latent.NN.Losses;
using Latent.NN.Optim;

namespace Latent.Models.Tests.Autoencoder;

public class AutoencoderTests
{
    [Fact]
    public void Builds_with_mirrored_layers_and_named_keys()
    {
        var model = TestData.SmallAe(arch: "16-8-3");
        var keys = model.StateDict().Select(p => p.Name).ToArray();
        Assert.Equal(["encoder.1.weight", "encoder.1.bias", "encoder.3.weight", "encoder.3.bias",
                      "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"], keys);
        Assert.Equal(3, model.CodeSize);
        Assert.Equal("ae", model.Name);
        Assert.Equal([8, 16], model.StateDict().First(p => p.Name == "encoder.1.weight").Tensor.Shape);
        Assert.Equal([16, 8], model.StateDict().First(p => p.Name == "decoder.2.weight").Tensor.Shape);
    }

    [Fact]
    public void Encode_decode_reconstruct_shapes_and_range()
    {
        var model = TestData.SmallAe();
        var x = TestData.LowRankImages(5).Batch([0, 1, 2, 3, 4]);
        var z = model.Encode(x);
        Assert.Equal([5, 3], z.Shape);
        var r = model.Decode(z);
        Assert.Equal([5, 1, 4, 4], r.Shape);
        Assert.All(r.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(r.ToArray(), model.Reconstruct(x).ToArray());
    }

    [Fact]
    public void Bernoulli_loss_is_bce_with_logits_summed_per_sample()
    {
        var model = TestData.SmallAe();
        var x = TestData.LowRankImages(4).Batch([0, 1, 2, 3]);
        var terms = model.Loss(x, new TrainingContext(new Rng(1)));
        var logits = model.Decoder.Forward(model.Encoder.Forward(x));
        float expected = Loss.BceWithLogits(logits, x, Reduction.Sum).Item() / 4;
        Assert.Equal(expected, terms.Total.Item(), 5);
        Assert.Equal(terms.Total.Item(), terms.Reconstruction.Item());
        Assert.Null(terms.Regularisation);
        Assert.True(float.IsFinite(terms.Total.Item()));
    }

    [Fact]
    public void Gaussian_output_is_linear_with_squared_error()
    {
        var model = new Ae(
            new AutoencoderOptions { Architecture = "16-4", Output = OutputDistribution.Gaussian }, [16], new Rng(3));
        var x = new Rng(4).Normal([6, 16], std: 3f);
        var decoded = model.Reconstruct(x);
        Assert.Contains(decoded.ToArray(), v => v is < 0f or > 1f); // not squashed by a sigmoid
        float expected = (x - decoded).Square().Sum().Item() / 6;
        Assert.Equal(expected, model.Loss(x, new TrainingContext(new Rng(1))).Total.Item(), 3);
    }

    [Fact]
    public void Over_complete_code_is_allowed()
    {
        var model = TestData.SmallAe(arch: "16-32-40");
        Assert.Equal(40, model.CodeSize);
        Assert.Equal([2, 40], model.Encode(TestData.LowRankImages(2).Batch([0, 1])).Shape);
    }

    [Theory]
    [InlineData("16-x-3", "'x'")]
    [InlineData("16", "at least")]
    [InlineData("16--3", "entry 2")]
    [InlineData("16-0-3", "'0'")]
    [InlineData("", "empty")]
    public void Bad_architecture_names_the_option(string arch, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => AutoencoderOptions.ParseArchitecture(arch));
        Assert.Equal("Architecture", e.ParamName);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Architecture_must_match_the_input_size()
    {
        var e = Assert.Throws<ArgumentException>(() => new Ae(new AutoencoderOptions { Architecture = "784-20" }, [1, 4, 4], new Rng(1)));
        Assert.Contains("16 elements", e.Message);
    }

    [Fact]
    public void Parse_reads_settings_and_rejects_unknown_ones()
    {
        var o = AutoencoderOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "16-4", ["hidden"] = "tanh", ["output"] = "mse" });
        Assert.Equal("16-4", o.Architecture);
        Assert.Equal("tanh", o.HiddenActivation);
        Assert.Equal(OutputDistribution.Gaussian, o.Output);
        Assert.Equal(o, AutoencoderOptions.Schema.Parse(o.ToText().Split(' ').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1])));
        Assert.Throws<ArgumentException>(() => AutoencoderOptions.Schema.Parse(new Dictionary<string, string> { ["depth"] = "3" }));
        var bad = Assert.Throws<ArgumentException>(() => AutoencoderOptions.Schema.Parse(new Dictionary<string, string> { ["hidden"] = "swish" }));
        Assert.Equal("HiddenActivation", bad.ParamName);
        var badOut = Assert.Throws<ArgumentException>(() => AutoencoderOptions.Schema.Parse(new Dictionary<string, string> { ["output"] = "poisson" }));
        Assert.Equal("Output", badOut.ParamName);
    }

    [Fact]
    public void Wrong_input_shape_names_the_op_and_shapes()
    {
        var model = TestData.SmallAe();
        var e = Assert.Throws<ArgumentException>(() => model.Encode(Tensor.Zeros(2, 16)));
        Assert.Contains("ae.Encode: input [2,16] is not [B,1,4,4]", e.Message);
        Assert.Throws<ArgumentException>(() => model.Decode(Tensor.Zeros(2, 5)));
    }

    [Fact]
    public void One_step_changes_every_parameter()
    {
        var model = TestData.SmallAe();
        var before = model.Parameters().Select(p => p.ToArray()).ToList();
        var opt = new Adam(model.Parameters(), 1e-2f);
        model.Loss(TestData.LowRankImages(8).Batch([0, 1, 2, 3, 4, 5, 6, 7]), new TrainingContext(new Rng(1))).Total.Backward();
        opt.Step();
        var after = model.Parameters().Select(p => p.ToArray()).ToList();
        for (int i = 0; i < before.Count; i++) Assert.NotEqual(before[i], after[i]);
    }

    [Fact]
    public void Loss_falls_on_a_tiny_dataset_with_a_fixed_seed()
    {
        var model = TestData.SmallAe(seed: 5);
        var result = Trainer.Fit(model, TestData.LowRankImages(128), null,
            new TrainingOptions { Epochs = 15, BatchSize = 16, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0 });
        double first = result.History[0].TrainValue("total"), last = result.History[^1].TrainValue("total");
        Assert.True(last < 0.97 * first, $"loss went {first} -> {last}");
        // The floor is the data's own entropy; the gap to it must shrink a lot.
        Assert.True(result.History.Zip(result.History.Skip(1)).Count(p => p.Second.TrainValue("total") < p.First.TrainValue("total")) >= 10);
    }

    [Fact]
    public void Checkpoint_weights_load_bit_identically()
    {
        var dir = TestData.TempDir();
        var model = TestData.SmallAe(seed: 1);
        var data = TestData.LowRankImages(32);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 2, BatchSize = 8, OutputDirectory = dir });
        var ckpt = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName));
        var copy = TestData.SmallAe(seed: 99);
        Assert.NotEqual(TestData.Weights(model), TestData.Weights(copy));
        copy.LoadStateDict(ckpt.Weights.ToDictionary(p => p.Name, p => p.Tensor));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
        var x = data.Batch([0, 1, 2]);
        Assert.Equal(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
        Assert.Equal(model.Options.ToText(), ckpt.ModelOptions);
    }
}
