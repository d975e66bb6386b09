using Latent.Core.Autograd;

namespace Latent.Core.Tests.Autograd;

public class GradModeTests
{
    [Fact]
    public void InnermostScopeWins()
    {
        var x = Tensor.FromArray([1f]).RequireGrad();
        using (GradMode.Enable())
        {
            using (Tensor.NoGrad())
            {
                Assert.False(GradMode.IsEnabled);
                Assert.False((x * 2f).RequiresGrad);
            }
            Assert.True(GradMode.IsEnabled);
        }
        using (Tensor.NoGrad())
        {
            using (GradMode.Enable()) Assert.True((x * 2f).RequiresGrad);
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void BackwardWithoutCreateGraphRecordsNothingEvenInsideAnEnableScope()
    {
        var x = Tensor.FromArray([2f]).RequireGrad();
        using (GradMode.Enable())
        {
            var g = Gradients.Grad((x * x).Sum(), [x])[0];
            Assert.False(g.RequiresGrad);
        }
    }

    [Fact]
    public void NoGradNestsAndRestores()
    {
        using (Tensor.NoGrad())
        {
            using (Tensor.NoGrad()) Assert.False(GradMode.IsEnabled);
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
    }
}
