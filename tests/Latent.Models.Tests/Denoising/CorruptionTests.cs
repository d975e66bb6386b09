using Latent.Core;
using Latent.Models.Denoising;

namespace Latent.Models.Tests.Denoising;

public class CorruptionTests
{
    private static Tensor Half(int n) => Tensor.Full(0.5f, n);

    [Fact]
    public void GaussianNoiseHasTheRequestedSpread()
    {
        var x = Half(20000);
        var y = Corruption.Parse("gaussian:0.3").Apply(x, new Rng(1));
        var d = (y - x).ToArray();
        double mean = d.Average(), std = Math.Sqrt(d.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.29, 0.31);
        Assert.Equal(0.5f, x.Span[0]); // the input is not modified
    }

    [Fact]
    public void MaskingZeroesTheRequestedFraction()
    {
        var y = Corruption.Parse("masking:0.25").Apply(Half(20000), new Rng(2)).ToArray();
        Assert.InRange(y.Count(v => v == 0f) / 20000.0, 0.235, 0.265);
        Assert.All(y, v => Assert.True(v == 0f || v == 0.5f));
    }

    [Fact]
    public void SaltAndPepperSetsHalfToZeroHalfToOne()
    {
        var y = Corruption.Parse("salt-and-pepper:0.2").Apply(Half(20000), new Rng(3)).ToArray();
        int zeros = y.Count(v => v == 0f), ones = y.Count(v => v == 1f);
        Assert.InRange((zeros + ones) / 20000.0, 0.19, 0.21);
        Assert.InRange(zeros / (double)(zeros + ones), 0.45, 0.55);
    }

    [Fact]
    public void BlockClearsOneSquarePerImage()
    {
        var x = Tensor.Ones(3, 1, 10, 10);
        var y = Corruption.Parse("block:0.4").Apply(x, new Rng(4)).ToArray();
        for (int n = 0; n < 3; n++) Assert.Equal(16, y.Skip(n * 100).Take(100).Count(v => v == 0f));
    }

    [Fact]
    public void SameSeedSameNoise()
    {
        var c = Corruption.Parse("gaussian:1");
        Assert.Equal(c.Apply(Half(50), new Rng(9)).ToArray(), c.Apply(Half(50), new Rng(9)).ToArray());
    }

    [Theory]
    [InlineData("speckle:0.1", "unknown kind")]
    [InlineData("masking", "missing or non-numeric level")]
    [InlineData("masking:1.5", "out of range")]
    [InlineData("gaussian:-1", "out of range")]
    public void BadSpecsAreRejectedWithTheReason(string text, string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => Corruption.Parse(text));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void ParseAndToStringRoundTrip() =>
        Assert.Equal("salt-and-pepper:0.1", Corruption.Parse("sp:0.1").ToString());
}
