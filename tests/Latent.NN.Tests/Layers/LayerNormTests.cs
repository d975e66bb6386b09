using Latent.Core;
using Latent.Core.Autograd;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

public class LayerNormTests
{
    [Theory]
    [InlineData("layernorm_last")]
    [InlineData("layernorm_two")]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var g = Golden.Case(name);
        var ln = new LayerNorm(g.GetProperty("normalized_shape").Ints());
        ln.Weight!.CopyFrom(g.T("weight"));
        ln.Bias!.CopyFrom(g.T("bias"));
        var x = g.T("x").RequireGrad();
        var y = ln.Forward(x);
        var grads = Gradients.Grad((y * g.T("g")).Sum(), [x, ln.Weight!, ln.Bias!]);
        Check.Close(g.T("y"), y, 1e-4f, 1e-5f, "y");
        Check.Close(g.T("gx"), grads[0], 1e-4f, 1e-5f, "dx");
        Check.Close(g.T("gw"), grads[1], 1e-4f, 1e-5f, "dweight");
        Check.Close(g.T("gb"), grads[2], 1e-4f, 1e-5f, "dbias");
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Rng(5);
        var x = rng.Normal([3, 4]).RequireGrad();
        var w = rng.Normal([4], 1f, 0.5f).RequireGrad();
        var b = rng.Normal([4]).RequireGrad();
        Check.Gradients(() => Check.Project(F.LayerNorm(x, [4], w, b)), [x, w, b]);
    }

    [Fact]
    public void SecondOrderGradientMatchesFiniteDifferencesOfTheFirst()
    {
        // The layer is built from differentiable primitives, so d/dx of a gradient-norm penalty works.
        var rng = new Rng(6);
        var x = rng.Normal([2, 3]).RequireGrad();
        Tensor Penalty()
        {
            var y = Check.Project(F.LayerNorm(x, [3]));
            var gx = Gradients.Grad(y, [x], createGraph: true)[0];
            return gx.Square().Sum();
        }
        Check.Gradients(Penalty, [x]);
    }

    [Fact]
    public void MismatchedTrailingShapeThrows()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LayerNorm(5).Forward(Tensor.Zeros(2, 4)));
        Assert.Contains("LayerNorm", ex.Message);
        Assert.Contains("[2,4]", ex.Message);
    }
}
