using Latent.Core.Kernels;
using static Latent.Core.Tests.Ops.ConvTestUtil;

namespace Latent.Core.Tests.Ops;

/// <summary>
/// Conv1d and ConvTranspose1d against direct loops (forward and finite-difference gradients), their single-row
/// im2col geometry against the scalar twin, and their argument errors. PyTorch's values are in ConvGoldenTests.
/// </summary>
public class Conv1dTests
{
    /// <summary>A valid random configuration; stride, padding and dilation cycle through 1..3, 0..2, 1..2 with <paramref name="i"/>.</summary>
    private static (int N, int C, int O, int L, int K, int S, int P, int D) Config(Random rng, int i)
    {
        int s = i % 3 + 1, p = i / 3 % 3, d = i / 9 % 2 + 1;
        int k = rng.Next(1, 7);
        int l = Math.Max(1, d * (k - 1) + 1 - 2 * p) + rng.Next(0, 20);
        return (rng.Next(1, 4), rng.Next(1, 8), rng.Next(1, 8), l, k, s, p, d);
    }

    /// <summary>y[n,o,j] = b[o] + Σ_{c,t} w[o,c,t] · x[n,c, j·s − p + t·d] (zero outside), in doubles.</summary>
    private static double[] NaiveConv1d(double[] x, int n, int c, int l, double[] w, int o, int k, double[]? b, int s, int p, int d, out int lo)
    {
        lo = (l + 2 * p - d * (k - 1) - 1) / s + 1;
        var y = new double[n * o * lo];
        for (int b0 = 0; b0 < n; b0++)
            for (int oc = 0; oc < o; oc++)
                for (int j = 0; j < lo; j++)
                {
                    double acc = b is null ? 0 : b[oc];
                    for (int ch = 0; ch < c; ch++)
                        for (int t = 0; t < k; t++)
                        {
                            int i = j * s - p + t * d;
                            if (i >= 0 && i < l) acc += w[(oc * c + ch) * k + t] * x[(b0 * c + ch) * l + i];
                        }
                    y[(b0 * o + oc) * lo + j] = acc;
                }
        return y;
    }

    /// <summary>y[n,o, i·s − p + t·d] += x[n,c,i] · w[c,o,t] for positions inside [0, Lo), plus b[o], in doubles.</summary>
    private static double[] NaiveConvTranspose1d(double[] x, int n, int c, int l, double[] w, int o, int k, double[]? b, int s, int p, int op, int d, out int lo)
    {
        lo = (l - 1) * s - 2 * p + d * (k - 1) + op + 1;
        var y = new double[n * o * lo];
        for (int b0 = 0; b0 < n; b0++)
            for (int oc = 0; oc < o; oc++)
            {
                for (int j = 0; j < lo; j++) y[(b0 * o + oc) * lo + j] = b is null ? 0 : b[oc];
                for (int ch = 0; ch < c; ch++)
                    for (int i = 0; i < l; i++)
                        for (int t = 0; t < k; t++)
                        {
                            int j = i * s - p + t * d;
                            if (j >= 0 && j < lo) y[(b0 * o + oc) * lo + j] += x[(b0 * c + ch) * l + i] * w[(ch * o + oc) * k + t];
                        }
            }
        return y;
    }

    [Fact]
    public void Conv1dMatchesDirectLoopsOnRandomShapes()
    {
        var rng = new Random(31);
        for (int i = 0; i < 72; i++)
        {
            var (n, c, o, l, k, s, p, d) = Config(rng, i);
            var x = Random(rng, n, c, l);
            var wt = Random(rng, o, c, k);
            var b = i % 2 == 0 ? Random(rng, o) : null;
            var y = Tensor.Conv1d(x, wt, b, s, p, d);
            var expected = NaiveConv1d(ToDouble(x), n, c, l, ToDouble(wt), o, k, b is null ? null : ToDouble(b), s, p, d, out int lo);
            Assert.Equal([n, o, lo], y.Shape);
            AssertClose(expected, y.Span, 1e-4, 1e-4, $"Conv1d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} d{d}");
        }
    }

    [Fact]
    public void ConvTranspose1dMatchesDirectLoopsOnRandomShapes()
    {
        var rng = new Random(32);
        for (int i = 0; i < 72; i++)
        {
            var (n, cin, cout, l, k, s, p, d) = Config(rng, i);
            int op = rng.Next(0, Math.Max(s, d));
            while ((l - 1) * s - 2 * p + d * (k - 1) + op + 1 <= 0) l++;
            var x = Random(rng, n, cin, l);
            var wt = Random(rng, cin, cout, k);
            var b = i % 2 == 0 ? Random(rng, cout) : null;
            var y = Tensor.ConvTranspose1d(x, wt, b, s, p, op, d);
            var expected = NaiveConvTranspose1d(ToDouble(x), n, cin, l, ToDouble(wt), cout, k, b is null ? null : ToDouble(b), s, p, op, d, out int lo);
            Assert.Equal([n, cout, lo], y.Shape);
            AssertClose(expected, y.Span, 1e-4, 1e-4, $"ConvTranspose1d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} op{op} d{d}");
        }
    }

    [Fact]
    public void Conv1dGradientsMatchFiniteDifferences()
    {
        var rng = new Random(33);
        for (int i = 0; i < 36; i++)
        {
            var (n, c, o, l, k, s, p, d) = Config(rng, i);
            var x = Random(rng, n, c, l);
            var wt = Random(rng, o, c, k);
            var b = Random(rng, o);
            CheckGradients(rng, [x, wt, b], t => Tensor.Conv1d(t[0], t[1], t[2], s, p, d),
                r => NaiveConv1d(r[0], n, c, l, r[1], o, k, r[2], s, p, d, out _),
                $"Conv1d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} d{d}");
        }
    }

    [Fact]
    public void ConvTranspose1dGradientsMatchFiniteDifferences()
    {
        var rng = new Random(34);
        for (int i = 0; i < 36; i++)
        {
            var (n, cin, cout, l, k, s, p, d) = Config(rng, i);
            int op = rng.Next(0, Math.Max(s, d));
            while ((l - 1) * s - 2 * p + d * (k - 1) + op + 1 <= 0) l++;
            var x = Random(rng, n, cin, l);
            var wt = Random(rng, cin, cout, k);
            var b = Random(rng, cout);
            CheckGradients(rng, [x, wt, b], t => Tensor.ConvTranspose1d(t[0], t[1], t[2], s, p, op, d),
                r => NaiveConvTranspose1d(r[0], n, cin, l, r[1], cout, k, r[2], s, p, op, d, out _),
                $"ConvTranspose1d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} op{op} d{d}");
        }
    }

    [Fact]
    public void Conv1dEqualsConv2dOnOneRowWithoutPadding()
    {
        // Without padding a 1-D convolution is the 2-D one on [N, C, 1, L] with a [O, C, 1, k] kernel, bit for bit.
        var rng = new Random(35);
        var x = Random(rng, 3, 4, 37);
        var w = Random(rng, 5, 4, 4);
        var b = Random(rng, 5);
        var y1 = Tensor.Conv1d(x, w, b, stride: 2, dilation: 2);
        var y2 = Tensor.Conv2d(x.Reshape(3, 4, 1, 37), w.Reshape(5, 4, 1, 4), b, stride: 2, dilation: 2);
        Assert.Equal(y2.ToArray(), y1.ToArray());
    }

    [Fact]
    public void SingleRowIm2ColMatchesItsScalarTwin()
    {
        // The 1-D geometry pads only the ends of the row (PadH = 0) while the stride and dilation act along it.
        var rng = new Random(36);
        var cases = new List<ConvGeometry> { ConvGeometry.OneD(1, 1, 140, 1, 70, 4, 2, 1, 1), ConvGeometry.OneD(1, 3, 1, 1, 3, 3, 1, 2, 1) };
        for (int i = 0; i < 60; i++)
        {
            int k = rng.Next(1, 6), s = rng.Next(1, 5), d = rng.Next(1, 3), p = rng.Next(0, 3), l = rng.Next(1, 40);
            int lo = ConvGeometry.ConvOut(l, k, s, p, d);
            if (lo <= 0) continue;
            if (rng.Next(3) == 0) lo = Math.Max(1, lo - 1);
            cases.Add(ConvGeometry.OneD(1, rng.Next(1, 4), l, 1, lo, k, s, p, d));
        }
        foreach (var g in cases) ConvTests.CheckIm2Col(rng, g);
    }

    [Fact]
    public void ErrorsNameTheOpAndShapes()
    {
        var x = Tensor.Zeros(2, 3, 10);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Conv1d(x, Tensor.Zeros(4, 2, 3)));
        Assert.Equal("Conv1d: input [2,3,10] x weight [4,2,3]: channels 3 != 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Conv1d(Tensor.Zeros(2, 3, 1, 10), Tensor.Zeros(4, 3, 3)));
        Assert.Contains("both need rank 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Conv1d(x, Tensor.Zeros(4, 3, 6), dilation: 2));
        Assert.Contains("kernel (dilated 11) is longer than the padded input 10", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose1d(x, Tensor.Zeros(3, 2, 3), stride: 2, outputPadding: 2));
        Assert.Equal("outputPadding", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose1d(x, Tensor.Zeros(3, 2, 3), Tensor.Zeros(3)));
        Assert.Contains("bias must be [2]", e.Message);
    }
}
