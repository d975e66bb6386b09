using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.Models.Denoising;
using Latent.Models.Metrics;
using Latent.Models.Tests.Autoencoder;

namespace Latent.Models.Tests.Denoising;

public class DenoisingAutoencoderTests
{
    private static DenoisingAutoencoder Dae(string noise = "masking:0.25", ulong seed = 1, string arch = "16-12-6") =>
        new(new DenoisingOptions
        {
            Network = new AutoencoderOptions { Architecture = arch, CodeActivation = "sigmoid" },
            Noise = Corruption.Parse(noise),
        }, [1, 4, 4], new Rng(seed));

    [Fact]
    public void Defaults_are_the_papers_and_parse_back()
    {
        var o = new DenoisingOptions();
        Assert.Equal(new Corruption(CorruptionKind.Masking, 0.25f), o.Noise);
        Assert.Equal("sigmoid", o.Network.CodeActivation);
        var model = ModelChecks.RegistryRoundTrip("dae", new() { ["arch"] = "16-5", ["noise"] = "gaussian:0.3" }, [1, 4, 4]);
        Assert.Equal(new Corruption(CorruptionKind.Gaussian, 0.3f), ((DenoisingAutoencoder)model).Noise);
        var bad = Assert.Throws<ArgumentException>(() => DenoisingOptions.Schema.Parse(new Dictionary<string, string> { ["noise"] = "speckle:0.1" }));
        Assert.Equal("Noise", bad.ParamName);
        Assert.Contains("dae:", bad.Message);
    }

    [Fact]
    public void Training_loss_reconstructs_the_clean_input_from_the_corrupted_one()
    {
        var model = Dae();
        var x = TestData.LowRankImages(6).Batch([0, 1, 2, 3, 4, 5]);
        var terms = ModelChecks.ShapesAndFiniteLoss(model, x);
        Assert.Null(terms.Regularisation);
        // Same stream → same x̃: the loss is BCE(g(f(x̃)), x), not against x̃ and not of g(f(x)).
        var noisy = model.Noise.Apply(x, new Rng(9));
        var expected = new Bernoulli(model.Decoder.Forward(model.Encoder.Forward(noisy))).MeanNegativeLogLikelihood(x).Item();
        Assert.Equal(expected, model.Loss(x, new TrainingContext(new Rng(9))).Total.Item(), 5);
        var againstNoisy = new Bernoulli(model.Decoder.Forward(model.Encoder.Forward(noisy))).MeanNegativeLogLikelihood(noisy).Item();
        Assert.NotEqual(againstNoisy, expected, 3);
        // Not training: no corruption.
        var clean = new Bernoulli(model.Decoder.Forward(model.Encoder.Forward(x))).MeanNegativeLogLikelihood(x).Item();
        Assert.Equal(clean, model.Loss(x, TrainingContext.ForEvaluation(new Rng(9))).Total.Item(), 5);
    }

    [Fact]
    public void One_step_checkpoint_and_loss_falls()
    {
        var data = TestData.LowRankImages(128);
        ModelChecks.OneStepChangesEveryParameter(Dae(), data.Batch([0, 1, 2, 3, 4, 5, 6, 7]));
        ModelChecks.CheckpointLoadsBitIdentically(s => Dae(seed: s), data);
        ModelChecks.LossFalls(Dae(seed: 5), data, epochs: 12);
    }

    [Theory]
    [InlineData("masking:0.25")]
    [InlineData("gaussian:0.3")]
    [InlineData("salt-and-pepper:0.2")]
    public void Denoises_each_noise_type(string noise)
    {
        var (train, test) = Split();
        var model = ModelChecks.Fit(Dae(noise, seed: 3), train, epochs: 25);
        var scores = ClaimMetrics.DenoisingGain(model, test, Corruption.Parse(noise), seed: 4);
        Assert.True(scores.RestoredSse < 0.5 * scores.NoisySse, $"{noise}: restored SSE {scores.RestoredSse:F4} vs noisy {scores.NoisySse:F4}");
        Assert.True(scores.Gain > 2, $"gain {scores.Gain:F2}");
    }

    [Fact]
    public void Inpaints_a_masked_block()
    {
        var (train, test) = Split();
        var model = ModelChecks.Fit(Dae("block:0.5", seed: 3), train, epochs: 25);
        var scores = ClaimMetrics.DenoisingGain(model, test, Corruption.Parse("block:0.5"), seed: 4);
        // The 2x2 hole: the restored pixels are far closer to the truth than the zeros were.
        Assert.True(scores.RestoredSseCorrupted < 0.3 * scores.NoisySseCorrupted,
            $"hole SSE restored {scores.RestoredSseCorrupted:F4} vs zeros {scores.NoisySseCorrupted:F4}");
        Assert.InRange(scores.CorruptedFraction, 0.2, 0.25); // 4 of 16 pixels (minus pixels already 0)
    }

    /// <summary>512 training and 200 held-out images of the same low-rank distribution.</summary>
    private static (Latent.Data.Dataset Train, Latent.Data.Dataset Test) Split()
    {
        var all = TestData.LowRankImages(712);
        return (all.Subset(Enumerable.Range(0, 512).ToArray()), all.Subset(Enumerable.Range(512, 200).ToArray()));
    }
}
