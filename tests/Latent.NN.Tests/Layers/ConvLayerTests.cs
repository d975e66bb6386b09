using Latent.Core;
using Latent.Core.Autograd;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

// Shapes, names, initialisation, validation, and the layers against PyTorch.
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

    [Fact]
    public void OneDimensionalLayersHavePyTorchShapesAndInitialisation()
    {
        // Conv1d: weight [O, C, k], fan_in C·k = 32·5; ConvTranspose1d: weight [C, O, k], fan_in O·k = 4·4.
        var conv = new Conv1d(32, 24, 5, new Rng(3), stride: 2, padding: 2);
        Assert.Equal([24, 32, 5], conv.Weight.Shape);
        Assert.Equal(1, conv.SpatialDims);
        InitAssert.Uniform(conv.Weight, 1f / MathF.Sqrt(160));
        Assert.All(conv.Bias!.ToArray(), v => Assert.InRange(MathF.Abs(v), 0f, 1f / MathF.Sqrt(160)));
        var deconv = new ConvTranspose1d(256, 4, 4, new Rng(4), stride: 2, padding: 1);
        Assert.Equal([256, 4, 4], deconv.Weight.Shape);
        InitAssert.Uniform(deconv.Weight, 1f / 4f);
        Assert.Equal(["weight", "bias"], deconv.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void OneDimensionalLayersCallTheOpsAndCheckTheirInput()
    {
        var rng = new Rng(5);
        var conv = new Conv1d(3, 4, 4, rng, stride: 2, padding: 1);
        var deconv = new ConvTranspose1d(4, 3, 4, rng, stride: 2, padding: 1);
        var x = rng.Normal([2, 3, 20]);
        var h = conv.Forward(x);
        Assert.Equal([2, 4, 10], h.Shape);
        Assert.Equal(Tensor.Conv1d(x, conv.Weight, conv.Bias, 2, 1).ToArray(), h.ToArray());
        var y = deconv.Forward(h);
        Assert.Equal([2, 3, 20], y.Shape);
        Assert.Equal(Tensor.ConvTranspose1d(h, deconv.Weight, deconv.Bias, 2, 1).ToArray(), y.ToArray());
        var ex = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros(2, 3, 1, 20)));
        Assert.Equal("Conv1d: input [2,3,1,20] is not [N,3,L] (weight [4,3,4]) (Parameter 'x')", ex.Message);
        Assert.Contains("ConvTranspose1d", Assert.Throws<ArgumentException>(() => deconv.Forward(Tensor.Zeros(2, 3, 10))).Message);
    }
}
