using Latent.Core.Autograd;
using static Latent.Core.Tests.Ops.ConvTestUtil;

namespace Latent.Core.Tests.Ops;

public class PoolTests
{
    private static (int N, int C, int H, int W, int K, int S, int P) Config(Random rng, int i)
    {
        int k = i % 4 + 1, s = i / 4 % 3 + 1, p = Math.Min(k / 2, i / 12 % 3);
        return (rng.Next(1, 4), rng.Next(1, 5), k + rng.Next(0, 8), k + rng.Next(0, 8), k, s, p);
    }

    [Fact]
    public void MaxPool2dMatchesDirectLoops()
    {
        var rng = new Random(20);
        for (int i = 0; i < 48; i++)
        {
            var (n, c, h, w, k, s, p) = Config(rng, i);
            var x = Random(rng, n, c, h, w);
            var y = x.MaxPool2d(k, s, p);
            var expected = ConvNaive.MaxPool2d(ToDouble(x), x.Shape, k, s, p, out var ys);
            Assert.Equal(ys, y.Shape);
            AssertClose(expected, y.Span, 0, 0, $"MaxPool2d config {i} k{k} s{s} p{p}");
        }
    }

    [Fact]
    public void AvgPool2dMatchesDirectLoopsCountingPadding()
    {
        var rng = new Random(21);
        for (int i = 0; i < 48; i++)
        {
            var (n, c, h, w, k, s, p) = Config(rng, i);
            var x = Random(rng, n, c, h, w);
            var y = x.AvgPool2d(k, s, p);
            var expected = ConvNaive.AvgPool2d(ToDouble(x), x.Shape, k, s, p, out var ys);
            Assert.Equal(ys, y.Shape);
            AssertClose(expected, y.Span, 1e-6, 1e-5, $"AvgPool2d config {i} k{k} s{s} p{p}");
        }
    }

    [Fact]
    public void StrideDefaultsToKernel()
    {
        var x = Tensor.Arange(2 * 3 * 8 * 6).Reshape(2, 3, 8, 6);
        Assert.Equal([2, 3, 4, 3], x.MaxPool2d(2).Shape);
        Assert.Equal(x.MaxPool2d(2, 2).ToArray(), x.MaxPool2d(2).ToArray());
        Assert.Equal(x.AvgPool2d(3, 3, 1).ToArray(), x.AvgPool2d(3, 0, 1).ToArray());
        Assert.Equal([2, 3, 3, 2], x.AvgPool2d(3, 0, 1).Shape);
    }

    [Fact]
    public void PoolingGradientsMatchFiniteDifferences()
    {
        var rng = new Random(22);
        for (int i = 0; i < 36; i++)
        {
            var (n, c, h, w, k, s, p) = Config(rng, i);
            var x = Random(rng, n, c, h, w);
            // Max pooling is piecewise linear; a small step keeps every window's argmax in place.
            CheckGradients(rng, [x], t => t[0].MaxPool2d(k, s, p), r => ConvNaive.MaxPool2d(r[0], x.Shape, k, s, p, out _),
                $"MaxPool2d config {i}", h: 1e-6);
            CheckGradients(rng, [x.Detach()], t => t[0].AvgPool2d(k, s, p), r => ConvNaive.AvgPool2d(r[0], x.Shape, k, s, p, out _),
                $"AvgPool2d config {i}");
        }
    }

    [Fact]
    public void MaxPoolGradientGoesToTheFirstMaximumOfTheWindow()
    {
        var x = Tensor.Ones(1, 1, 2, 4).RequireGrad();
        var y = x.MaxPool2d(2); // two windows of four equal values
        y.Sum().Backward();
        Assert.Equal([1f, 0, 1f, 0, 0, 0, 0, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void PoolingBackwardIsDifferentiable()
    {
        // d/dx of ||d(Σ R·pool(x)²)/dx||²: the backward of both pools is recorded and differentiated again.
        var rng = new Random(23);
        foreach (bool max in new[] { true, false })
        {
            var x = Random(rng, 2, 2, 6, 5).RequireGrad();
            var r = Random(rng, 2, 2, 3, 3);
            Tensor Pool(Tensor t) => max ? t.MaxPool2d(3, 2, 1) : t.AvgPool2d(3, 2, 1);
            var g = Gradients.Grad((Pool(x).Square() * r).Sum(), [x], createGraph: true)[0];
            var d2 = Gradients.Grad((g * g).Sum(), [x])[0];
            // Reference: with the argmax fixed, pool is linear (P), g = Pᵀ(2 R ⊙ Px), ||g||² is quadratic in x, and its
            // gradient is computed by the same formula from central differences in double.
            var xd = ToDouble(x);
            var rd = ToDouble(r);
            double Penalty(double[] v)
            {
                var px = max ? ConvNaive.MaxPool2d(v, x.Shape, 3, 2, 1, out _) : ConvNaive.AvgPool2d(v, x.Shape, 3, 2, 1, out _);
                // g_j = Σ_i 2 r_i px_i ∂px_i/∂x_j, evaluated by differencing the pool at each j.
                var gg = new double[v.Length];
                for (int j = 0; j < v.Length; j++)
                {
                    double old = v[j];
                    v[j] = old + 1e-7;
                    var up = max ? ConvNaive.MaxPool2d(v, x.Shape, 3, 2, 1, out _) : ConvNaive.AvgPool2d(v, x.Shape, 3, 2, 1, out _);
                    v[j] = old;
                    for (int i = 0; i < px.Length; i++) gg[j] += 2 * rd[i] * px[i] * (up[i] - px[i]) / 1e-7;
                }
                return gg.Sum(z => z * z);
            }
            for (int c = 0; c < 8; c++)
            {
                int j = rng.Next(xd.Length);
                double old = xd[j];
                xd[j] = old + 1e-4; double plus = Penalty(xd);
                xd[j] = old - 1e-4; double minus = Penalty(xd);
                xd[j] = old;
                double fd = (plus - minus) / 2e-4;
                Assert.True(Math.Abs(d2.Span[j] - fd) <= 1e-3 * (1 + Math.Abs(fd)), $"{(max ? "max" : "avg")} [{j}]: fd {fd}, autograd {d2.Span[j]}");
            }
        }
    }

    [Fact]
    public void PoolingShapeErrorsNameTheOpAndShape()
    {
        var x = Tensor.Zeros(2, 3, 5, 5);
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 5, 5).MaxPool2d(2));
        Assert.Contains("MaxPool2d: input [3,5,5]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => x.AvgPool2d(0));
        Assert.Contains("AvgPool2d: input [2,3,5,5]: kernel 0", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => x.MaxPool2d(2, -1));
        Assert.Contains("MaxPool2d: input [2,3,5,5]: stride -1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => x.MaxPool2d(2, 2, 2));
        Assert.Contains("padding 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => x.AvgPool2d(7, 1, 0));
        Assert.Contains("AvgPool2d: input [2,3,5,5]: kernel 7 is larger than the padded input", ex.Message);
    }
}
