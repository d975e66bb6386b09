using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>
/// The weight gradient computed as its transpose (cols · sᵀ, when that needs fewer GEMM tiles) gives the bits of the
/// direct product s · colsᵀ, for 1, 2 and 3 threads, alone and fused with the forward product. In the threading
/// collection (it changes MaxDegree).
/// </summary>
[Collection(nameof(GemmThreadingCollection))]
public class ConvWeightGradTransposeTests
{
    [Theory]
    [InlineData(128, 1, 28, 28, 32, 4, 2, 1)]  // the conv VAE's first layer: K = 16, O = 32
    [InlineData(37, 1, 9, 11, 64, 2, 1, 0)]    // K = 4, O = 64: transposed on every vector path
    [InlineData(300, 1, 12, 12, 33, 3, 1, 1)]  // K = 9, O = 33, several chunks (beta chaining over chunks)
    [InlineData(5, 3, 7, 5, 45, 1, 1, 0)]      // 1 x 1 kernel, K = 3
    [InlineData(1, 1, 5, 7, 40, 2, 1, 0)]      // one image: the direct path
    [InlineData(0, 1, 5, 5, 40, 2, 1, 1)]      // empty batch: dw = 0
    [InlineData(6, 32, 14, 14, 64, 4, 2, 1)]   // the second layer: not transposed (same call, same bits)
    public void MatchesDirectProduct(int n, int c, int h, int w, int o, int k, int s, int p)
    {
        var g = new ConvGeometry(n, c, h, w, o, ConvGeometry.ConvOut(h, k, s, p, 1), ConvGeometry.ConvOut(w, k, s, p, 1), k, k, s, p, 1);
        var rng = new Random(n * 31 + c * 7 + o);
        var big = FusedKernelTests.Random(rng, n * c * h * w);
        var weight = FusedKernelTests.Random(rng, o * g.K);
        var smallIn = FusedKernelTests.Random(rng, n * o * g.SmallPlane);
        int saved = Parallelism.MaxDegree;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxDegree = threads;
                var expected = Enumerable.Repeat(float.NaN, weight.Length).ToArray();
                Conv2dKernel.WeightGrad(big, smallIn, g, expected, allowTranspose: false);
                var actual = Enumerable.Repeat(float.NaN, weight.Length).ToArray();
                Conv2dKernel.WeightGrad(big, smallIn, g, actual, allowTranspose: true);
                Assert.Equal(FusedKernelTests.Bits(expected), FusedKernelTests.Bits(actual));

                var smallDirect = new float[n * o * g.SmallPlane];
                var dwDirect = Enumerable.Repeat(float.NaN, weight.Length).ToArray();
                Conv2dKernel.ForwardAndWeightGrad(big, weight, smallIn, g, smallDirect, dwDirect, allowTranspose: false);
                var small2 = new float[smallDirect.Length];
                var dw2 = Enumerable.Repeat(float.NaN, weight.Length).ToArray();
                Conv2dKernel.ForwardAndWeightGrad(big, weight, smallIn, g, small2, dw2, allowTranspose: true);
                Assert.Equal(FusedKernelTests.Bits(smallDirect), FusedKernelTests.Bits(small2));
                Assert.Equal(FusedKernelTests.Bits(expected), FusedKernelTests.Bits(dw2));
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    [Fact]
    public void SmallKernelsAreTransposedOnVectorPaths()
    {
        // K = 4 against O = 64 is 1 row strip against 64 / NR column strips, whatever the vector kernel.
        if (Gemm.PathName != "fallback") Assert.True(Conv2dKernel.TransposeWeightGrad(4, 64));
        Assert.False(Conv2dKernel.TransposeWeightGrad(512, 64));
    }
}
