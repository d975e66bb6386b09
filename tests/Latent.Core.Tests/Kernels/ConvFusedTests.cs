using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary><see cref="Conv2dKernel.ForwardAndWeightGrad"/> gives the bits of the separate Forward and WeightGrad calls.</summary>
public class ConvFusedTests
{
    [Theory]
    [InlineData(3, 2, 9, 9, 4, 3, 1, 1)]      // one chunk of several images
    [InlineData(2, 32, 14, 14, 64, 4, 2, 1)]  // the conv VAE's second layer
    [InlineData(1, 1, 5, 7, 2, 2, 1, 0)]      // one image: the direct path
    [InlineData(0, 2, 5, 5, 3, 3, 1, 1)]      // empty batch: dw = 0
    [InlineData(400, 4, 28, 28, 2, 3, 1, 1)]  // several chunks (column budget exceeded)
    public void MatchesSeparateCalls(int n, int c, int h, int w, int o, int k, int s, int p)
    {
        var g = new ConvGeometry(n, c, h, w, o, ConvGeometry.ConvOut(h, k, s, p, 1), ConvGeometry.ConvOut(w, k, s, p, 1), k, k, s, p, 1);
        var rng = new Random(n + c + o);
        var big = FusedKernelTests.Random(rng, n * c * h * w);
        var weight = FusedKernelTests.Random(rng, o * c * k * k);
        var smallIn = FusedKernelTests.Random(rng, n * o * g.SmallPlane);
        var small1 = new float[n * o * g.SmallPlane];
        var dw1 = new float[o * c * k * k];
        var small2 = new float[small1.Length];
        var dw2 = Enumerable.Repeat(float.NaN, dw1.Length).ToArray();
        Conv2dKernel.Forward(big, weight, default, g, small1);
        Conv2dKernel.WeightGrad(big, smallIn, g, dw1);
        Conv2dKernel.ForwardAndWeightGrad(big, weight, smallIn, g, small2, dw2);
        Assert.Equal(small1, small2);
        Assert.Equal(dw1, dw2);
    }
}
