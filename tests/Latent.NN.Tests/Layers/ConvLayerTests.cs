using Latent.Core;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

// Forward tests wait for the Conv2d/ConvTranspose2d kernels; these cover shapes, names, initialisation and validation.
public class ConvLayerTests
{
    [Fact]
    public void Conv2dWeightIsUniformWithinOneOverRootFanIn()
    {
        var conv = new Conv2d(16, 32, 3, new Rng(1));
        Assert.Equal([32, 16, 3, 3], conv.Weight.Shape);
        Assert.Equal([32], conv.Bias!.Shape);
        float bound = 1f / MathF.Sqrt(16 * 9);
        InitAssert.Uniform(conv.Weight, bound);
        Assert.All(conv.Bias.ToArray(), v => Assert.InRange(MathF.Abs(v), 0f, bound));
    }

    [Fact]
    public void ConvTranspose2dFanInUsesWeightDimensionOne()
    {
        // Weight [in, out, k, k]; PyTorch's fan_in is out·k·k = 4·9, so the bound is 1/6 (not 1/√(16·9) = 1/12).
        var deconv = new ConvTranspose2d(16, 4, 3, new Rng(2), stride: 2, padding: 1, outputPadding: 1);
        Assert.Equal([16, 4, 3, 3], deconv.Weight.Shape);
        Assert.Equal([4], deconv.Bias!.Shape);
        InitAssert.Uniform(deconv.Weight, 1f / 6f);
        Assert.All(deconv.Bias.ToArray(), v => Assert.InRange(MathF.Abs(v), 0f, 1f / 6f));
    }

    [Fact]
    public void BiasCanBeOmitted()
    {
        Assert.Equal(["weight"], new Conv2d(1, 2, 3, new Rng(1), bias: false).NamedParameters().Select(p => p.Name));
        Assert.Equal(["weight"], new ConvTranspose2d(1, 2, 3, new Rng(1), bias: false).NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void InvalidArgumentsAndInputsThrowNamingTheLayer()
    {
        Assert.Contains("Conv2d", Assert.Throws<ArgumentException>(() => new Conv2d(0, 2, 3, new Rng(1))).Message);
        Assert.Contains("output padding", Assert.Throws<ArgumentException>(() => new ConvTranspose2d(1, 2, 3, new Rng(1), stride: 2, outputPadding: 2)).Message);
        var conv = new Conv2d(3, 4, 3, new Rng(1));
        var ex = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros(2, 5, 8, 8)));
        Assert.Contains("Conv2d", ex.Message);
        Assert.Contains("[2,5,8,8]", ex.Message);
        Assert.Throws<ArgumentException>(() => new ConvTranspose2d(3, 4, 3, new Rng(1)).Forward(Tensor.Zeros(3, 8, 8)));
    }
}
