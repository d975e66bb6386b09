using Latent.Core;
using Latent.Core.Autograd;

namespace Latent.Core.Tests.Autograd;

public class BackpropTests
{
    [Fact]
    public void GradientOfPolynomialMatchesHandDerivative()
    {
        var x = Tensor.FromArray([1f, 2f, -3f]).RequireGrad();
        var y = (x * x * x + x * 2f).Sum(); // dy/dx = 3x² + 2
        y.Backward();
        Assert.Equal([5f, 14f, 29f], x.Grad!.ToArray());
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Tensor.FromArray([1f, 2f]).RequireGrad();
        (x * 3f).Sum().Backward();
        (x * 4f).Sum().Backward();
        Assert.Equal([7f, 7f], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = Tensor.FromArray([1f, 2f]).RequireGrad();
        Tensor y;
        using (Tensor.NoGrad()) y = x * 2f;
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
    }

    [Fact]
    public void DetachStopsTheGradient()
    {
        var x = Tensor.FromArray([3f]).RequireGrad();
        var y = (x * x.Detach()).Sum(); // d/dx = x (the detached factor is a constant)
        y.Backward();
        Assert.Equal(3f, x.Grad!.Item());
    }

    [Fact]
    public void SecondOrderGradientOfCube()
    {
        var x = Tensor.FromArray([2f]).RequireGrad();
        var y = (x * x * x).Sum();
        var dx = Gradients.Grad(y, [x], createGraph: true)[0]; // 3x² = 12
        Assert.Equal(12f, dx.Item());
        var d2 = Gradients.Grad(dx.Sum(), [x])[0]; // 6x = 12
        Assert.Equal(12f, d2.Item());
    }

    [Fact]
    public void BackwardOfNonScalarNeedsAGradient()
    {
        var x = Tensor.FromArray([1f, 2f]).RequireGrad();
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2f).Backward());
        Assert.Contains("non-scalar", ex.Message);
    }
}
