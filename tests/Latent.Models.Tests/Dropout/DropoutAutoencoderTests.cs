using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.Models.Dropout;
using Latent.Models.Tests.Autoencoder;

namespace Latent.Models.Tests.Dropout;

public class DropoutAutoencoderTests
{
    private static DropoutAutoencoder Model(ulong seed = 1, float rate = 0.5f, DropoutPlacement placement = DropoutPlacement.Both, string arch = "16-12-8-3") =>
        new(new DropoutOptions { Network = new AutoencoderOptions { Architecture = arch }, Rate = rate, Placement = placement }, [1, 4, 4], new Rng(seed));

    [Fact]
    public void Options_parse_and_placement_selects_the_layers()
    {
        Assert.Equal(0.5f, new DropoutOptions().Rate);
        ModelChecks.RegistryRoundTrip("dropout-ae", new() { ["arch"] = "16-8-3", ["rate"] = "0.2", ["placement"] = "decoder" }, [1, 4, 4]);
        Assert.Equal(4, Model().DropoutLayers);
        Assert.Equal(2, Model(placement: DropoutPlacement.Encoder).DropoutLayers);
        Assert.Equal(2, Model(placement: DropoutPlacement.Decoder).DropoutLayers);
        var none = Assert.Throws<ArgumentException>(() => Model(arch: "16-3"));
        Assert.Equal("Network", none.ParamName);
        Assert.Equal("Rate", Assert.Throws<ArgumentException>(() => Model(rate: 1f)).ParamName);
        Assert.Equal("Placement", Assert.Throws<ArgumentException>(() => DropoutOptions.Schema.Parse(new Dictionary<string, string> { ["placement"] = "input" })).ParamName);
    }

    [Fact]
    public void Dropout_acts_only_in_training_losses_and_draws_from_the_context_stream()
    {
        var model = Model();
        var x = TestData.LowRankImages(8).Batch([0, 1, 2, 3, 4, 5, 6, 7]);
        ModelChecks.ShapesAndFiniteLoss(model, x);
        float clean = new Bernoulli(model.Decoder.Forward(model.Encoder.Forward(x))).MeanNegativeLogLikelihood(x).Item();
        Assert.Equal(clean, model.Loss(x, TrainingContext.ForEvaluation(new Rng(1))).Total.Item());
        float a = model.Loss(x, new TrainingContext(new Rng(4))).Total.Item();
        float b = model.Loss(x, new TrainingContext(new Rng(4))).Total.Item();
        float c = model.Loss(x, new TrainingContext(new Rng(5))).Total.Item();
        Assert.Equal(a, b);      // same stream, same masks
        Assert.NotEqual(a, c);   // another stream, other masks
        Assert.NotEqual(clean, a);
        // Encode/Reconstruct stay deterministic even in training mode (the layers lend no stream outside Loss).
        Assert.True(model.Training);
        Assert.Equal(model.Reconstruct(x).ToArray(), model.Reconstruct(x).ToArray());
        // Rate 0 is the plain autoencoder.
        var plain = Model(rate: 0f);
        Assert.Equal(plain.Loss(x, TrainingContext.ForEvaluation(new Rng(1))).Total.Item(), plain.Loss(x, new TrainingContext(new Rng(4))).Total.Item());
    }

    [Fact]
    public void One_step_checkpoint_and_loss_falls()
    {
        var data = TestData.LowRankImages(128);
        ModelChecks.OneStepChangesEveryParameter(Model(), data.Batch([0, 1, 2, 3, 4, 5, 6, 7]));
        ModelChecks.CheckpointLoadsBitIdentically(s => Model(seed: s), data);
        ModelChecks.LossFalls(Model(seed: 5, rate: 0.2f), data, epochs: 12);
    }
}
