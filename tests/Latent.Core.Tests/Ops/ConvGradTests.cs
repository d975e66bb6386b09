using Latent.Core.Autograd;
using Latent.Core.Kernels;
using static Latent.Core.Tests.Ops.ConvTestUtil;

namespace Latent.Core.Tests.Ops;

public class ConvGradTests
{
    [Fact]
    public void Conv2dGradientsMatchFiniteDifferences()
    {
        var rng = new Random(10);
        for (int i = 0; i < 36; i++)
        {
            var (n, c, o, h, w, kh, kw, s, p, d) = ConvTests.Config(rng, i);
            var x = Random(rng, n, c, h, w);
            var wt = Random(rng, o, c, kh, kw);
            var b = Random(rng, o);
            CheckGradients(rng, [x, wt, b], t => Tensor.Conv2d(t[0], t[1], t[2], s, p, d),
                r => ConvNaive.Conv2d(r[0], x.Shape, r[1], wt.Shape, r[2], s, p, d, out _),
                $"Conv2d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} d{d}");
        }
    }

    [Fact]
    public void ConvTranspose2dGradientsMatchFiniteDifferences()
    {
        var rng = new Random(11);
        for (int i = 0; i < 36; i++)
        {
            var (n, cin, cout, h, w, kh, kw, s, p, d) = ConvTests.Config(rng, i);
            int op = rng.Next(0, Math.Max(s, d));
            while ((h - 1) * s - 2 * p + d * (kh - 1) + op + 1 <= 0) h++;
            while ((w - 1) * s - 2 * p + d * (kw - 1) + op + 1 <= 0) w++;
            var x = Random(rng, n, cin, h, w);
            var wt = Random(rng, cin, cout, kh, kw);
            var b = Random(rng, cout);
            CheckGradients(rng, [x, wt, b], t => Tensor.ConvTranspose2d(t[0], t[1], t[2], s, p, op, d),
                r => ConvNaive.ConvTranspose2d(r[0], x.Shape, r[1], wt.Shape, r[2], s, p, op, d, out _),
                $"ConvTranspose2d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} op{op} d{d}");
        }
    }

    [Fact]
    public void WeightGradientOpIsDifferentiableInBothInputs()
    {
        // conv_wgrad(a, b)[o,c,ki,kj] = Σ_{n,i,j} b[n,o,i,j] · a[n,c, i·s − p + ki·d, j·s − p + kj·d]: the op that
        // makes second-order gradients work. Its own gradients are checked against that definition.
        var rng = new Random(12);
        for (int i = 0; i < 18; i++)
        {
            var (n, c, o, h, w, kh, kw, s, p, d) = ConvTests.Config(rng, i);
            var g = new ConvGeometry(n, c, h, w, o, ConvGeometry.ConvOut(h, kh, s, p, d), ConvGeometry.ConvOut(w, kw, s, p, d), kh, kw, s, p, d);
            var a = Random(rng, n, c, h, w);
            var b = Random(rng, n, o, g.Ho, g.Wo);
            CheckGradients(rng, [a, b], t => Tensor.ConvWeightGrad(t[0], t[1], g), r => NaiveWeightGrad(r[0], r[1], g),
                $"conv_wgrad config {i} {g}");
        }
    }

    [Fact]
    public void SecondOrderGradientOfInputGradientNormMatchesFiniteDifferences()
    {
        // P = ||dL/dx||² + ||dL/dW1||² for L = Σ R · ConvT(tanh(Conv(x, W1, b1)), W2, b2): dP/dθ needs the backward
        // of every conv op (including the weight-gradient op) to be differentiable.
        var rng = new Random(13);
        var x = Random(rng, 2, 2, 7, 6).RequireGrad();
        var w1 = Random(rng, 3, 2, 3, 3).RequireGrad();
        var b1 = Random(rng, 3).RequireGrad();
        var w2 = Random(rng, 3, 2, 4, 4).RequireGrad();
        var b2 = Random(rng, 2).RequireGrad();
        Tensor[] parameters = [x, w1, b1, w2, b2];
        var rTarget = Random(rng, 2, 2, 8, 6);

        float Penalty(bool createGraph, out Tensor penalty)
        {
            var h = Tensor.Conv2d(x, w1, b1, stride: 2, padding: 1).Tanh(); // [2,3,4,3]
            var y = Tensor.ConvTranspose2d(h, w2, b2, stride: 2, padding: 1); // [2,2,8,6]
            var loss = (y * rTarget).Sum();
            var g = Gradients.Grad(loss, [x, w1], createGraph: createGraph);
            penalty = (g[0] * g[0]).Sum() + (g[1] * g[1]).Sum();
            return penalty.Item();
        }

        Penalty(true, out var p);
        var analytic = Gradients.Grad(p, parameters);
        const float step = 1e-2f;
        for (int k = 0; k < parameters.Length; k++)
        {
            var data = parameters[k].Span;
            for (int c = 0; c < 6; c++)
            {
                int i = rng.Next(data.Length);
                float old = data[i];
                data[i] = old + step; float plus = Penalty(false, out _);
                data[i] = old - step; float minus = Penalty(false, out _);
                data[i] = old;
                double fd = (plus - minus) / (2.0 * step);
                double got = analytic[k].Span[i];
                Assert.True(Math.Abs(got - fd) <= 2e-2 * (1 + Math.Abs(fd)),
                    $"dP/d parameter {k} [{i}]: finite difference {fd:G6}, autograd {got:G6}");
            }
        }
    }

    [Fact]
    public void BiasGradientIsTheSumOverBatchAndPositions()
    {
        var rng = new Random(14);
        var x = Random(rng, 3, 2, 5, 4);
        var b = Tensor.Zeros(4).RequireGrad();
        var y = Tensor.Conv2d(x, Random(rng, 4, 2, 2, 2), b, padding: 1);
        var r = Random(rng, y.Shape);
        (y * r).Sum().Backward();
        for (int o = 0; o < 4; o++)
        {
            double s = 0;
            for (int n = 0; n < 3; n++) for (int i = 0; i < y.Shape[2]; i++) for (int j = 0; j < y.Shape[3]; j++) s += r[n, o, i, j];
            Assert.Equal(s, b.Grad![o], 4);
        }
    }

    private static double[] NaiveWeightGrad(double[] a, double[] b, ConvGeometry g)
    {
        var dw = new double[g.O * g.C * g.Kh * g.Kw];
        for (int n = 0; n < g.N; n++)
            for (int o = 0; o < g.O; o++)
                for (int c = 0; c < g.C; c++)
                    for (int ki = 0; ki < g.Kh; ki++)
                        for (int kj = 0; kj < g.Kw; kj++)
                            for (int i = 0; i < g.Ho; i++)
                                for (int j = 0; j < g.Wo; j++)
                                {
                                    int ih = i * g.Stride - g.Pad + ki * g.Dilation, iw = j * g.Stride - g.Pad + kj * g.Dilation;
                                    if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                                    dw[((o * g.C + c) * g.Kh + ki) * g.Kw + kj] +=
                                        b[((n * g.O + o) * g.Ho + i) * g.Wo + j] * a[((n * g.C + c) * g.H + ih) * g.W + iw];
                                }
        return dw;
    }
}
