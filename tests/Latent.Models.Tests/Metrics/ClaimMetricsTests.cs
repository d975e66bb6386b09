using Latent.Core;
using Latent.Data;
using Latent.Models.Autoencoder;
using Latent.Models.Contractive;
using Latent.Models.Denoising;
using Latent.Models.Metrics;
using Latent.Models.Sparse;

namespace Latent.Models.Tests.Metrics;

public class ClaimMetricsTests
{
    private static readonly Dataset Data = TestData.LowRankImages(37);

    [Fact]
    public void Mean_activations_and_non_zero_counts_match_the_codes()
    {
        var model = new KSparseAutoencoder(new KSparseOptions
        {
            Network = new AutoencoderOptions { Architecture = "16-9", Output = OutputDistribution.Gaussian }, K = 4, KStart = 4,
        }, [1, 4, 4], new Rng(1));
        var codes = model.Encode(Data.Batch(Enumerable.Range(0, 37).ToArray())).ToArray();
        var means = ClaimMetrics.MeanActivations(model, Data, batchSize: 10);
        for (int j = 0; j < 9; j++)
            Assert.Equal(Enumerable.Range(0, 37).Average(b => (double)codes[b * 9 + j]), means[j], 5);
        Assert.All(ClaimMetrics.NonZeroCounts(model, Data, batchSize: 10), c => Assert.Equal(4, c));
        Assert.True(model.Training); // restored after the evaluation-mode measurement
    }

    [Fact]
    public void Jacobian_norm_equals_the_closed_form_of_a_sigmoid_layer()
    {
        var model = new ContractiveAutoencoder(new ContractiveOptions { Network = new AutoencoderOptions { Architecture = "16-5", CodeActivation = "sigmoid" } },
            [1, 4, 4], new Rng(2));
        var x = Data.Batch(Enumerable.Range(0, 20).ToArray());
        double expected = model.JacobianPenalty(x).Mean().Item();
        Assert.Equal(expected, ClaimMetrics.JacobianFrobenius(model, Data, maxSamples: 20, batchSize: 7), 4);
        Assert.Throws<ArgumentException>(() => ClaimMetrics.JacobianFrobenius(model, Data, maxSamples: 0));
    }

    [Fact]
    public void Denoising_scores_compare_noisy_and_restored_images_with_the_clean_ones()
    {
        var model = TestData.SmallAe();
        var none = ClaimMetrics.DenoisingGain(model, Data, new Corruption(CorruptionKind.Gaussian, 0f));
        Assert.Equal(0, none.NoisySse);
        Assert.Equal(0, none.CorruptedFraction);
        Assert.Equal(none.CleanSse, none.RestoredSse, 6);
        Assert.Equal(Evaluation.Reconstruction(model, Data).SsePerImage, none.CleanSse, 4);
        var masked = ClaimMetrics.DenoisingGain(model, Data, new Corruption(CorruptionKind.Masking, 0.5f), seed: 3);
        Assert.InRange(masked.CorruptedFraction, 0.35, 0.65);
        Assert.Equal(masked.NoisySse, masked.NoisySseCorrupted, 6); // masking changes nothing else
        Assert.Equal(37, masked.Count);
        var wrong = Assert.Throws<ArgumentException>(() => ClaimMetrics.MeanActivations(model, new Dataset("flat", new float[32], [16])));
        Assert.Equal("data", wrong.ParamName);
    }
}
