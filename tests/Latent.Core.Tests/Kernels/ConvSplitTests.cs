using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>
/// The convolution products as they run (one fork-join per call, GEMMs in the orientation with fewer tiles) give the
/// bits of their twins, the in-chunk <c>…Chunked</c> path, for 1, 2 and 3 threads (twin on one thread). In the
/// threading collection (it changes MaxDegree).
/// </summary>
[Collection(nameof(GemmThreadingCollection))]
public class ConvSplitTests
{
    [Theory]
    [InlineData(3, 2, 9, 9, 4, 3, 1, 1)]       // small: one thread, one chunk
    [InlineData(128, 1, 28, 28, 32, 4, 2, 1)]  // the conv VAE's first layer (one input channel: inner split)
    [InlineData(37, 32, 14, 14, 64, 4, 2, 1)]  // its second layer, an odd batch (chunks of 10, then 7)
    [InlineData(1, 1, 5, 7, 2, 2, 1, 0)]       // one image
    [InlineData(0, 2, 5, 5, 3, 3, 1, 1)]       // empty batch
    [InlineData(400, 4, 28, 28, 2, 3, 1, 1)]   // several chunks, O = 2 (transposed products)
    [InlineData(60, 3, 25, 23, 45, 3, 2, 0)]   // odd sizes, C = 3 split between 2 or 3 threads
    [InlineData(5, 7, 11, 11, 33, 5, 1, 2)]    // O = 33: one column past a strip
    public void MatchesChunkedTwin(int n, int c, int h, int w, int o, int k, int s, int p)
    {
        var g = new ConvGeometry(n, c, h, w, o, ConvGeometry.ConvOut(h, k, s, p, 1), ConvGeometry.ConvOut(w, k, s, p, 1), k, k, s, p, 1);
        var rng = new Random(n * 31 + c * 7 + o);
        var big = FusedKernelTests.Random(rng, n * c * h * w);
        var weight = FusedKernelTests.Random(rng, o * g.K);
        var smallIn = FusedKernelTests.Random(rng, n * o * g.SmallPlane);
        var biasO = FusedKernelTests.Random(rng, o);
        var biasC = FusedKernelTests.Random(rng, c);

        int saved = Parallelism.MaxDegree;
        try
        {
            Parallelism.MaxDegree = 1;
            var small0 = new float[n * o * g.SmallPlane];
            var big0 = new float[big.Length];
            var dw0 = new float[weight.Length];
            var small0b = new float[small0.Length];
            Conv2dKernel.ForwardChunked(big, weight, biasO, g, small0);
            Conv2dKernel.BackwardDataChunked(smallIn, weight, biasC, g, big0);
            Conv2dKernel.WeightGradChunked(big, smallIn, g, dw0);
            Conv2dKernel.ForwardChunked(big, weight, default, g, small0b);
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxDegree = threads;
                var small1 = Enumerable.Repeat(float.NaN, small0.Length).ToArray();
                var big1 = Enumerable.Repeat(float.NaN, big0.Length).ToArray();
                var dw1 = Enumerable.Repeat(float.NaN, dw0.Length).ToArray();
                Conv2dKernel.Forward(big, weight, biasO, g, small1);
                Conv2dKernel.BackwardData(smallIn, weight, biasC, g, big1);
                Conv2dKernel.WeightGrad(big, smallIn, g, dw1);
                Assert.Equal(FusedKernelTests.Bits(small0), FusedKernelTests.Bits(small1));
                Assert.Equal(FusedKernelTests.Bits(big0), FusedKernelTests.Bits(big1));
                Assert.Equal(FusedKernelTests.Bits(dw0), FusedKernelTests.Bits(dw1));

                var small2 = Enumerable.Repeat(float.NaN, small0.Length).ToArray();
                var dw2 = Enumerable.Repeat(float.NaN, dw0.Length).ToArray();
                Conv2dKernel.ForwardAndWeightGrad(big, weight, smallIn, g, small2, dw2);
                Assert.Equal(FusedKernelTests.Bits(small0b), FusedKernelTests.Bits(small2));
                Assert.Equal(FusedKernelTests.Bits(dw0), FusedKernelTests.Bits(dw2));
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }
}
