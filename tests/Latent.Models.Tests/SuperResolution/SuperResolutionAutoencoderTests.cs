using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;
using Latent.Models.SuperResolution;
using Latent.Models.Tests.Autoencoder;

namespace Latent.Models.Tests.SuperResolution;

public class SuperResolutionAutoencoderTests
{
    private static SuperResolutionAutoencoder Sr(ulong seed = 1, int factor = 2) =>
        new(new SuperResolutionOptions { Factor = factor, Channels = 8, Layers = 2 }, [1, 4, 4], new Rng(seed));

    [Fact]
    public void Builds_from_the_registry_with_its_options()
    {
        var model = (SuperResolutionAutoencoder)ModelChecks.RegistryRoundTrip("sr-ae", new() { ["factor"] = "2", ["channels"] = "4" }, [1, 8, 8]);
        Assert.Equal(2, model.Factor);
        Assert.Equal(4 * 4 * 4, model.CodeSize);
        Assert.Equal([3, 1, 8, 8], model.Upscale(Tensor.Zeros(3, 1, 4, 4)).Shape);
        var three = Assert.Throws<ArgumentException>(() => SuperResolutionOptions.Schema.Parse(new Dictionary<string, string> { ["factor"] = "3" }));
        Assert.Contains("sr-ae: option 'factor' = 3: must be 2 or 4", three.Message);
        var shape = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("sr-ae", null, [1, 6, 6], new Rng(1)));
        Assert.Equal("inputShape", shape.ParamName);
        Assert.Equal("low", Assert.Throws<ArgumentException>(() => model.Upscale(Tensor.Zeros(1, 1, 8, 8))).ParamName);
    }

    [Fact]
    public void Loss_is_the_squared_error_of_the_upscaled_box_average()
    {
        var model = Sr();
        var x = TestData.LowRankImages(6).Batch([0, 1, 2, 3, 4, 5]);
        var terms = ModelChecks.ShapesAndFiniteLoss(model, x);
        var low = Resampling.Downsample(x, 2);
        Assert.Equal([6, 1, 2, 2], low.Shape);
        var output = model.Upscale(low).ToArray();
        var target = x.ToArray();
        double sse = output.Zip(target, (a, b) => (double)(a - b) * (a - b)).Sum() / 6;
        Assert.Equal(sse, terms.Total.Item(), 4);
        // Reconstruct(x) is the super-resolution of D_f(x), not an identity map through a full-resolution code.
        Assert.Equal(output, model.Reconstruct(x).ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void One_step_and_checkpoint(int factor)
    {
        var data = TestData.LowRankImages(128);
        ModelChecks.OneStepChangesEveryParameter(Sr(factor: factor), data.Batch([0, 1, 2, 3, 4, 5, 6, 7]));
        ModelChecks.CheckpointLoadsBitIdentically(s => Sr(s, factor), data);
    }

    [Fact]
    public void Loss_falls_on_tiny_data()
    {
        // ×2 on 4×4 images: the 2×2 input still carries the three latent factors (×4 leaves one pixel, the mean).
        ModelChecks.LossFalls(Sr(5), TestData.LowRankImages(128), epochs: 12);
    }

    [Fact]
    public void Beats_bicubic_on_held_out_images_after_training()
    {
        var all = TestData.LowRankImages(512, seed: 11);
        var train = all.Subset(Enumerable.Range(0, 448).ToArray());
        var test = all.Batch(Enumerable.Range(448, 64).ToArray());
        var model = ModelChecks.Fit(Sr(3), train, epochs: 20);
        model.Eval();
        var low = Resampling.Downsample(test, 2);
        double bicubic = ImageQuality.Psnr(Resampling.Bicubic(low, 2), test);
        double learned = ImageQuality.Psnr(model.Upscale(low), test);
        Assert.True(learned > bicubic + 1, $"model {learned:F2} dB vs bicubic {bicubic:F2} dB");
    }

    [Fact]
    public void Baseline_scores_match_the_resampler_and_bicubic_matches_the_model_evaluation()
    {
        // 12×12 images (SSIM's 7×7 window must fit), uniform noise in (0, 1).
        var values = new Rng(4).Uniform([40 * 144], 0f, 1f).ToArray();
        var data = new Dataset("noise", values, [1, 12, 12]);
        var x = data.Batch(Enumerable.Range(0, 40).ToArray());
        var low = Resampling.Downsample(x, 2);
        var (psnr, ssim) = SuperResolutionEvaluation.EvaluateBaseline(data, 2, "bilinear", batchSize: 16);
        var bilinear = Resampling.Bilinear(low, 2).Clamp(0f, 1f);
        Assert.Equal(ImageQuality.Psnr(bilinear, x), psnr, 9);
        Assert.Equal(ImageQuality.Ssim(bilinear, x), ssim, 9);
        var model = new SuperResolutionAutoencoder(new SuperResolutionOptions { Factor = 2, Channels = 4, Layers = 1 }, [1, 12, 12], new Rng(2));
        var scores = SuperResolutionEvaluation.Evaluate(model, data, batchSize: 16);
        var (bicubicPsnr, bicubicSsim) = SuperResolutionEvaluation.EvaluateBaseline(data, 2, "bicubic", batchSize: 7);
        Assert.Equal(scores.BicubicPsnr, bicubicPsnr, 9);
        Assert.Equal(scores.BicubicSsim, bicubicSsim, 9);
        Assert.NotEqual(psnr, SuperResolutionEvaluation.EvaluateBaseline(data, 2, "nearest").Psnr, 6);
        var e = Assert.Throws<ArgumentException>(() => SuperResolutionEvaluation.EvaluateBaseline(data, 2, "lanczos"));
        Assert.Contains("lanczos", e.Message, StringComparison.Ordinal);
    }
}
