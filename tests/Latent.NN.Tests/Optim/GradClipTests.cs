using Latent.Core;
using Latent.NN.Optim;

namespace Latent.NN.Tests.Optim;

public class GradClipTests
{
    [Fact]
    public void ScalesToMaxNormAndReturnsTheNormBefore()
    {
        var a = Tensor.Zeros(2).RequireGrad();
        var b = Tensor.Zeros(1).RequireGrad();
        a.Grad = Tensor.FromArray([3f, 0f]);
        b.Grad = Tensor.FromArray([4f]);
        float norm = GradClip.ClipGradNorm([a, b], 1f);
        Assert.Equal(5f, norm);
        // PyTorch's coefficient: maxNorm / (norm + 1e-6).
        float coef = 1f / (5f + 1e-6f);
        Assert.Equal([3f * coef, 0f], a.Grad.ToArray());
        Assert.Equal([4f * coef], b.Grad.ToArray());
    }

    [Fact]
    public void LeavesSmallGradientsUnchanged()
    {
        var a = Tensor.Zeros(2).RequireGrad();
        a.Grad = Tensor.FromArray([0.3f, 0.4f]);
        Assert.Equal(0.5f, GradClip.ClipGradNorm([a], 1f), 6);
        Assert.Equal([0.3f, 0.4f], a.Grad.ToArray());
    }

    [Fact]
    public void GradientsSharingStorageAreEachScaledOnce()
    {
        // The backward of a + b hands the same gradient tensor to both inputs.
        var a = Tensor.Zeros(1).RequireGrad();
        var b = Tensor.Zeros(1).RequireGrad();
        ((a + b) * 4f).Sum().Backward();
        GradClip.ClipGradNorm([a, b], 1f);
        float expected = 4f / (MathF.Sqrt(32f) + 1e-6f);
        Assert.Equal(expected, a.Grad!.Item(), 5);
        Assert.Equal(expected, b.Grad!.Item(), 5);
    }

    [Fact]
    public void NoGradientsGiveZero()
    {
        Assert.Equal(0f, GradClip.ClipGradNorm([Tensor.Zeros(3).RequireGrad()], 1f));
        Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([Tensor.Zeros(3)], -1f));
    }
}
