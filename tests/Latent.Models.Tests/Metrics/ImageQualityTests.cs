using Latent.Core;
using Latent.Models.Metrics;

namespace Latent.Models.Tests.Metrics;

public class ImageQualityTests
{
    [Fact]
    public void Psnr_is_ten_log10_of_one_over_the_mse()
    {
        var x = Tensor.Full(0.5f, 2, 1, 4, 4);
        var y = Tensor.Full(0.6f, 2, 1, 4, 4); // MSE 0.01 → 20 dB
        Assert.Equal(20.0, ImageQuality.Psnr(x, y), 4);
        Assert.Equal(100.0, ImageQuality.Psnr(x, x), 10);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ImageQuality.Psnr(x, Tensor.Zeros(2, 1, 4, 5))).ParamName);
    }

    [Fact]
    public void Ssim_of_an_image_with_itself_is_one()
    {
        var x = new Rng(4).Uniform([3, 2, 9, 9]);
        Assert.Equal(1.0, ImageQuality.Ssim(x, x), 10);
        Assert.Equal(1.0, ImageQuality.Ssim(x, x, window: 7), 10);
    }

    [Fact]
    public void Ssim_of_two_constant_images_is_the_luminance_term()
    {
        // σx = σy = σxy = 0: SSIM = (2·μx·μy + C1)/(μx² + μy² + C1) · C2/C2 with C1 = 0.0001:
        // (2·0.5·0.25 + 0.0001)/(0.25 + 0.0625 + 0.0001) = 0.2501/0.3126.
        var x = Tensor.Full(0.5f, 1, 1, 8, 8);
        var y = Tensor.Full(0.25f, 1, 1, 8, 8);
        Assert.Equal(0.2501 / 0.3126, ImageQuality.Ssim(x, y), 6);
        // A contrast-reversed image has structure term −1 (σxy = −σx²), so SSIM is negative.
        var checker = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => ((i / 8 + i % 8) % 2) * 1f).ToArray(), 1, 1, 8, 8);
        var inverted = Tensor.FromArray(checker.ToArray().Select(v => 1 - v).ToArray(), 1, 1, 8, 8);
        Assert.True(ImageQuality.Ssim(checker, inverted) < -0.8);
        Assert.Equal("window", Assert.Throws<ArgumentException>(() => ImageQuality.Ssim(x, y, window: 11)).ParamName);
    }
}
