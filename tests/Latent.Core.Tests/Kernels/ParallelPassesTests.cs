using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>
/// The elementwise and per-channel passes split between kernel threads (<see cref="ParallelRange"/>): ReLU forward and
/// backward, Adam, binary cross-entropy on logits, the conv bias gradient, the conv output scatter and the per-chunk convolution
/// kernels give the same bits for 1, 2 and 3 threads as their serial twins. In the threading collection (it changes MaxDegree).
/// </summary>
[Collection(nameof(GemmThreadingCollection))]
public class ParallelPassesTests
{
    private static readonly int[] Threads = [1, 2, 3];

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65_537)]
    [InlineData(200_003)]
    public void ReluForwardAndBackwardMatchSerialForAnyThreadCount(int n)
    {
        var rng = new Random(n + 5);
        var g = FusedKernelTests.Random(rng, n);
        var x = FusedKernelTests.Random(rng, n);
        if (n > 3) { x[0] = 0f; x[1] = -0f; x[2] = float.NaN; g[3] = float.NaN; x[3] = 1f; }
        var expectedY = new float[n];
        var expectedG = new float[n];
        System.Numerics.Tensors.TensorPrimitives.Max(x, 0f, expectedY);
        ReluBackward.Scalar(g, x, expectedG);
        ForEachThreadCount(() =>
        {
            var y = new float[n];
            var dx = new float[n];
            ReluBackward.ForwardParallel(x, y, n);
            ReluBackward.RunParallel(g, x, dx, n);
            Assert.Equal(FusedKernelTests.Bits(expectedY), FusedKernelTests.Bits(y));
            Assert.Equal(FusedKernelTests.Bits(expectedG), FusedKernelTests.Bits(dx));
        });
    }

    [Theory]
    [InlineData(13_107, 0f)]
    [InlineData(100_003, 0.01f)]
    public void AdamMatchesScalarForAnyThreadCount(int n, float l2)
    {
        var rng = new Random(n);
        var p0 = FusedKernelTests.Random(rng, n);
        var g = FusedKernelTests.Random(rng, n);
        var m0 = FusedKernelTests.Random(rng, n);
        var v0 = FusedKernelTests.Random(rng, n).Select(MathF.Abs).ToArray();
        var (p, m, v) = ((float[])p0.Clone(), (float[])m0.Clone(), (float[])v0.Clone());
        AdamKernel.Scalar(p, g, m, v, 0.9f, 0.999f, 1e-3f, 0.03f, 1e-8f, l2);
        ForEachThreadCount(() =>
        {
            var (p2, m2, v2) = ((float[])p0.Clone(), (float[])m0.Clone(), (float[])v0.Clone());
            AdamKernel.Run(p2, g, m2, v2, 0.9f, 0.999f, 1e-3f, 0.03f, 1e-8f, l2);
            Assert.Equal(FusedKernelTests.Bits(p), FusedKernelTests.Bits(p2));
            Assert.Equal(FusedKernelTests.Bits(m), FusedKernelTests.Bits(m2));
            Assert.Equal(FusedKernelTests.Bits(v), FusedKernelTests.Bits(v2));
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(511)]
    [InlineData(100_352)] // the conv VAE's batch of 128 images of 784 logits
    [InlineData(200_003)]
    public void BceLossSumAndGradientAreTheSameForAnyThreadCount(int n)
    {
        var rng = new Random(n + 9);
        var x = FusedKernelTests.Random(rng, n, 30f);
        var t = FusedKernelTests.Random(rng, n, 0.5f).Select(v => v + 0.5f).ToArray();
        var g = FusedKernelTests.Random(rng, n, 2f);
        // The first pass (one thread) is the reference; its sum is checked against the chunks' sums of its losses, added in order.
        int[]? loss = null, grad = null, gradPer = null;
        double sum = double.NaN;
        ForEachThreadCount(() =>
        {
            var y = new float[n];
            var dx = new float[n];
            var dxPer = new float[n];
            BceWithLogitsKernel.Loss(x, t, y);
            double s = BceWithLogitsKernel.Sum(x, t);
            BceWithLogitsKernel.Grad(x, t, 0.25f, dx);
            BceWithLogitsKernel.Grad(x, t, g, dxPer);
            if (loss is null)
            {
                double bySum = 0;
                for (int i = 0; i < n; i += BceWithLogitsKernel.Chunk)
                    bySum += System.Numerics.Tensors.TensorPrimitives.Sum(y.AsSpan(i, Math.Min(BceWithLogitsKernel.Chunk, n - i)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(bySum), BitConverter.DoubleToInt64Bits(s));
                (loss, grad, gradPer, sum) = (FusedKernelTests.Bits(y), FusedKernelTests.Bits(dx), FusedKernelTests.Bits(dxPer), s);
            }
            Assert.Equal(loss, FusedKernelTests.Bits(y));
            Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(s));
            Assert.Equal(grad, FusedKernelTests.Bits(dx));
            Assert.Equal(gradPer, FusedKernelTests.Bits(dxPer));
        });
    }

    [Theory]
    [InlineData(1, 512, 784)]
    [InlineData(1, 512, 20)]
    [InlineData(3, 37, 45)]
    [InlineData(2, 1, 7)]
    [InlineData(4, 0, 33)]
    [InlineData(2, 300, 1_031)]
    public void SumOverAMiddleAxisAddsEachColumnsRowsInOrderForAnyThreadCount(int outer, int r, int inner)
    {
        // A bias gradient's Sum([0]) over [rows, features], and the general [outer, r, inner] case.
        var rng = new Random(outer * 7 + r * 13 + inner);
        var data = FusedKernelTests.Random(rng, outer * r * inner);
        if (data.Length > 3) { data[0] = -0f; data[1] = float.NaN; data[2] = float.PositiveInfinity; }
        var expected = new float[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                float acc = 0f;
                for (int j = 0; j < r; j++) acc += data[(o * r + j) * inner + i];
                expected[o * inner + i] = acc;
            }
        ForEachThreadCount(() =>
        {
            var sum = new Tensor((float[])data.Clone(), outer, r, inner).Sum([1]);
            Assert.Equal([outer, inner], sum.Shape);
            Assert.Equal(FusedKernelTests.Bits(expected), FusedKernelTests.Bits(sum.ToArray()));
        });
    }

    [Theory]
    [InlineData(128, 32, 14, 14)]
    [InlineData(3, 5, 7, 9)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(0, 3, 2, 2)]
    [InlineData(4, 2, 0, 3)]
    [InlineData(5, 300, 3, 1)]
    public void ConvBiasGradEqualsSumOverBatchAndPlane(int n, int c, int h, int w)
    {
        var rng = new Random(n * 1000 + c);
        var data = FusedKernelTests.Random(rng, n * c * h * w);
        var expected = new Tensor((float[])data.Clone(), n, c, h, w).Sum([0, 2, 3]).ToArray();
        ForEachThreadCount(() =>
        {
            var db = new float[c];
            Conv2dKernel.BiasGrad(data, n, c, h, w, db);
            Assert.Equal(FusedKernelTests.Bits(expected), FusedKernelTests.Bits(db));
        });
    }

    [Fact]
    public void ConvWithBiasAndItsGradientsAreTheSameForAnyThreadCount()
    {
        var rng = new Random(3);
        var x0 = FusedKernelTests.Random(rng, 40 * 3 * 15 * 13, 1f);
        var w0 = FusedKernelTests.Random(rng, 32 * 3 * 4 * 4, 0.3f);
        var b0 = FusedKernelTests.Random(rng, 32, 0.3f);
        var wt0 = FusedKernelTests.Random(rng, 32 * 5 * 3 * 3, 0.3f);
        var bt0 = FusedKernelTests.Random(rng, 5, 0.3f);
        float[][]? reference = null;
        ForEachThreadCount(() =>
        {
            var x = new Tensor((float[])x0.Clone(), 40, 3, 15, 13) { RequiresGrad = true };
            var w = new Tensor((float[])w0.Clone(), 32, 3, 4, 4) { RequiresGrad = true };
            var b = new Tensor((float[])b0.Clone(), 32) { RequiresGrad = true };
            var wt = new Tensor((float[])wt0.Clone(), 32, 5, 3, 3) { RequiresGrad = true };
            var bt = new Tensor((float[])bt0.Clone(), 5) { RequiresGrad = true };
            var h = Tensor.Conv2d(x, w, b, stride: 2, padding: 1).Relu();
            var y = Tensor.ConvTranspose2d(h, wt, bt, stride: 2, padding: 1).Relu();
            y.Sum().Backward();
            float[][] results = [y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray(), wt.Grad!.ToArray(), bt.Grad!.ToArray()];
            if (reference is null) reference = results;
            else
                for (int i = 0; i < results.Length; i++)
                    Assert.Equal(FusedKernelTests.Bits(reference[i]), FusedKernelTests.Bits(results[i]));
        });
    }

    [Fact]
    public void ConvKernelsWithChunkGroupsAreTheSameForAnyThreadCountAndMatchTheNaiveSums()
    {
        // 16 channels x 3x3 taps over 28x28: two images fit a chunk, so 20 chunks on 1 and 2 threads and 21 on 3; the
        // weight gradient sums 8 groups of 5 images, each in 3 chunks.
        var g = new ConvGeometry(40, 16, 28, 28, 8, 28, 28, 3, 3, 1, 1, 1);
        Assert.Equal(2, Conv2dKernel.ImagesThatFit(g));
        Assert.Equal((20, 20, 21), (Conv2dKernel.ChunkCount(g, g.N, 1), Conv2dKernel.ChunkCount(g, g.N, 2), Conv2dKernel.ChunkCount(g, g.N, 3)));
        Assert.Equal(8, Conv2dKernel.WeightGradGroups(g));
        var rng = new Random(11);
        var big = FusedKernelTests.Random(rng, g.N * g.C * g.BigPlane, 1f);
        var small = FusedKernelTests.Random(rng, g.N * g.O * g.SmallPlane, 1f);
        var w = FusedKernelTests.Random(rng, g.O * g.K, 0.3f);
        var naiveDw = new double[g.O * g.K];
        var naiveY = new double[small.Length];
        for (int n = 0; n < g.N; n++)
            for (int c = 0; c < g.C; c++)
                for (int ki = 0; ki < 3; ki++)
                    for (int kj = 0; kj < 3; kj++)
                        for (int y = 0; y < g.Ho; y++)
                            for (int x = 0; x < g.Wo; x++)
                            {
                                int iy = y - 1 + ki, ix = x - 1 + kj;
                                if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
                                double v = big[((n * g.C + c) * g.H + iy) * g.W + ix];
                                for (int o = 0; o < g.O; o++)
                                {
                                    int tap = (c * 3 + ki) * 3 + kj, at = (n * g.O + o) * g.SmallPlane + y * g.Wo + x;
                                    naiveDw[o * g.K + tap] += small[at] * v;
                                    naiveY[at] += w[o * g.K + tap] * v;
                                }
                            }
        int[]? refDw = null, refY = null;
        ForEachThreadCount(() =>
        {
            var dw = new float[w.Length];
            var y = new float[small.Length];
            Conv2dKernel.WeightGrad(big, small, g, dw);
            Conv2dKernel.Forward(big, w, default, g, y);
            for (int i = 0; i < dw.Length; i++) Assert.True(Math.Abs(dw[i] - naiveDw[i]) <= 1e-3 * (1 + Math.Abs(naiveDw[i])), $"dw[{i}]");
            for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - naiveY[i]) <= 1e-4 * (1 + Math.Abs(naiveY[i])), $"y[{i}]");
            refDw ??= FusedKernelTests.Bits(dw);
            refY ??= FusedKernelTests.Bits(y);
            Assert.Equal(refDw, FusedKernelTests.Bits(dw));
            Assert.Equal(refY, FusedKernelTests.Bits(y));
        });
    }

    [Fact]
    public void OneChannelWeightGradientIsTheSameForAnyThreadCount()
    {
        // The conv VAE's first layer over 40 images: 8 groups of 5, each summed image after image.
        var g = new ConvGeometry(40, 1, 28, 28, 32, 14, 14, 4, 4, 2, 1, 1);
        var rng = new Random(17);
        var big = FusedKernelTests.Random(rng, g.N * g.BigPlane, 1f);
        var small = FusedKernelTests.Random(rng, g.N * g.O * g.SmallPlane, 1f);
        int[]? reference = null;
        ForEachThreadCount(() =>
        {
            var dw = Enumerable.Repeat(float.NaN, g.O * g.K).ToArray();
            Conv2dKernel.WeightGrad(big, small, g, dw);
            reference ??= FusedKernelTests.Bits(dw);
            Assert.Equal(reference, FusedKernelTests.Bits(dw));
        });
    }

    private static void ForEachThreadCount(Action check)
    {
        int saved = Parallelism.MaxDegree;
        try
        {
            foreach (int threads in Threads)
            {
                Parallelism.MaxDegree = threads;
                check();
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }
}
