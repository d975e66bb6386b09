using Latent.Core;
using Latent.Core.Autograd;
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

    [Theory]
    [InlineData("conv2d_layer")]
    [InlineData("conv2d_layer_dilated")]
    [InlineData("conv_transpose2d_layer")]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var g = Golden.Case(name);
        var w = g.T("weight");
        int stride = g.GetProperty("stride").GetInt32(), padding = g.GetProperty("padding").GetInt32();
        int dilation = g.GetProperty("dilation").GetInt32(), outputPadding = g.GetProperty("output_padding").GetInt32();
        Layer layer;
        Tensor weight, bias;
        if (name.StartsWith("conv_transpose", StringComparison.Ordinal))
        {
            var l = new ConvTranspose2d(w.Shape[0], w.Shape[1], w.Shape[2], new Rng(1), stride, padding, outputPadding, dilation);
            (layer, weight, bias) = (l, l.Weight, l.Bias!);
        }
        else
        {
            var l = new Conv2d(w.Shape[1], w.Shape[0], w.Shape[2], new Rng(1), stride, padding, dilation);
            (layer, weight, bias) = (l, l.Weight, l.Bias!);
        }
        weight.CopyFrom(w);
        bias.CopyFrom(g.T("bias"));
        var x = g.T("x").RequireGrad();
        var y = layer.Forward(x);
        Check.Close(g.T("y"), y, 1e-4f, 1e-5f, $"{name} y");
        var grads = Gradients.Grad((y * g.T("g")).Sum(), [x, weight, bias]);
        Check.Close(g.T("gx"), grads[0], 1e-4f, 1e-5f, $"{name} dx");
        Check.Close(g.T("gw"), grads[1], 1e-4f, 1e-4f, $"{name} dweight");
        Check.Close(g.T("gb"), grads[2], 1e-4f, 1e-4f, $"{name} dbias");
    }
}
