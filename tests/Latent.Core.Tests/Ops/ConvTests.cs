using Latent.Core.Kernels;
using static Latent.Core.Tests.Ops.ConvTestUtil;

namespace Latent.Core.Tests.Ops;

public class ConvTests
{
    /// <summary>A valid random configuration; stride, padding and dilation cycle through 1..3, 0..2, 1..2 with <paramref name="i"/>.</summary>
    internal static (int N, int C, int O, int H, int W, int Kh, int Kw, int S, int P, int D) Config(Random rng, int i)
    {
        int s = i % 3 + 1, p = i / 3 % 3, d = i / 9 % 2 + 1;
        int kh = rng.Next(1, 6), kw = rng.Next(1, 6);
        int h = Math.Max(1, d * (kh - 1) + 1 - 2 * p) + rng.Next(0, 8);
        int w = Math.Max(1, d * (kw - 1) + 1 - 2 * p) + rng.Next(0, 8);
        return (rng.Next(1, 4), rng.Next(1, 8), rng.Next(1, 8), h, w, kh, kw, s, p, d);
    }

    [Fact]
    public void Conv2dMatchesDirectLoopsOnRandomShapes()
    {
        var rng = new Random(1);
        for (int i = 0; i < 72; i++)
        {
            var (n, c, o, h, w, kh, kw, s, p, d) = Config(rng, i);
            var x = Random(rng, n, c, h, w);
            var wt = Random(rng, o, c, kh, kw);
            var b = i % 2 == 0 ? Random(rng, o) : null;
            var y = Tensor.Conv2d(x, wt, b, s, p, d);
            var expected = ConvNaive.Conv2d(ToDouble(x), x.Shape, ToDouble(wt), wt.Shape, b is null ? null : ToDouble(b), s, p, d, out var ys);
            Assert.Equal(ys, y.Shape);
            AssertClose(expected, y.Span, 1e-4, 1e-4, $"Conv2d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} d{d}");
        }
    }

    [Fact]
    public void ConvTranspose2dMatchesDirectLoopsOnRandomShapes()
    {
        var rng = new Random(2);
        for (int i = 0; i < 72; i++)
        {
            var (n, cin, cout, h, w, kh, kw, s, p, d) = Config(rng, i);
            int op = rng.Next(0, Math.Max(s, d));
            while ((h - 1) * s - 2 * p + d * (kh - 1) + op + 1 <= 0) h++;
            while ((w - 1) * s - 2 * p + d * (kw - 1) + op + 1 <= 0) w++;
            var x = Random(rng, n, cin, h, w);
            var wt = Random(rng, cin, cout, kh, kw);
            var b = i % 2 == 1 ? Random(rng, cout) : null;
            var y = Tensor.ConvTranspose2d(x, wt, b, s, p, op, d);
            var expected = ConvNaive.ConvTranspose2d(ToDouble(x), x.Shape, ToDouble(wt), wt.Shape, b is null ? null : ToDouble(b), s, p, op, d, out var ys);
            Assert.Equal(ys, y.Shape);
            AssertClose(expected, y.Span, 1e-4, 1e-4, $"ConvTranspose2d config {i} x{Shapes.Format(x.Shape)} w{Shapes.Format(wt.Shape)} s{s} p{p} op{op} d{d}");
        }
    }

    [Fact]
    public void LargeBatchSpansSeveralGemmChunks()
    {
        // 20 images of 16 channels x 3x3 taps x 28x28 positions exceed one column budget, so the batch is
        // multiplied in chunks (18 + 2 images); every output is compared with the direct loops.
        var rng = new Random(3);
        var x = Random(rng, 20, 16, 28, 28);
        var wt = Random(rng, 3, 16, 3, 3);
        Assert.True(20L * 16 * 9 * 28 * 28 > Conv2dKernel.ColumnBudget);
        var y = Tensor.Conv2d(x, wt, null, 1, 1);
        var expected = ConvNaive.Conv2d(ToDouble(x), x.Shape, ToDouble(wt), wt.Shape, null, 1, 1, 1, out _);
        AssertClose(expected, y.Span, 1e-4, 1e-4, "Conv2d batch 20");
        var t = Tensor.ConvTranspose2d(y, wt, null, 1, 1);
        var expectedT = ConvNaive.ConvTranspose2d(ToDouble(y), y.Shape, ToDouble(wt), wt.Shape, null, 1, 1, 0, 1, out _);
        AssertClose(expectedT, t.Span, 1e-3, 1e-4, "ConvTranspose2d batch 20");
        // The weight gradient sums over both chunks: compare Σ_n with the direct definition at a few taps.
        var dw = Tensor.ConvWeightGrad(x, y, new ConvGeometry(20, 16, 28, 28, 3, 28, 28, 3, 3, 1, 1, 1));
        foreach (var (o, c, ki, kj) in new[] { (0, 0, 0, 0), (2, 15, 2, 2), (1, 7, 1, 0) })
        {
            double s = 0;
            for (int n = 0; n < 20; n++)
                for (int i = 0; i < 28; i++)
                    for (int j = 0; j < 28; j++)
                    {
                        int ih = i - 1 + ki, iw = j - 1 + kj;
                        if (ih >= 0 && ih < 28 && iw >= 0 && iw < 28) s += (double)y[n, o, i, j] * x[n, c, ih, iw];
                    }
            Assert.True(Math.Abs(dw[o, c, ki, kj] - s) <= 1e-3 * (1 + Math.Abs(s)), $"dW[{o},{c},{ki},{kj}] {dw[o, c, ki, kj]} vs {s}");
        }
    }

    [Theory]
    [InlineData(28, 28, 4, 2, 1, 1, 14, 14)]
    [InlineData(14, 14, 4, 2, 1, 1, 7, 7)]
    [InlineData(28, 20, 3, 1, 1, 1, 28, 20)]
    [InlineData(9, 10, 3, 3, 0, 2, 2, 2)]
    [InlineData(5, 5, 5, 1, 2, 1, 5, 5)]
    [InlineData(7, 8, 2, 3, 1, 2, 3, 3)]
    public void Conv2dOutputShapeFollowsPyTorchsFormula(int h, int w, int k, int s, int p, int d, int ho, int wo)
    {
        var y = Tensor.Conv2d(Tensor.Zeros(2, 3, h, w), Tensor.Zeros(5, 3, k, k), Tensor.Zeros(5), s, p, d);
        Assert.Equal([2, 5, ho, wo], y.Shape);
    }

    [Theory]
    [InlineData(7, 7, 4, 2, 1, 0, 1, 14, 14)]
    [InlineData(14, 14, 4, 2, 1, 0, 1, 28, 28)]
    [InlineData(7, 7, 3, 2, 1, 1, 1, 14, 14)]
    [InlineData(4, 5, 3, 3, 0, 2, 1, 14, 17)]
    [InlineData(3, 3, 3, 1, 0, 1, 2, 8, 8)]
    [InlineData(5, 6, 1, 1, 0, 0, 1, 5, 6)]
    public void ConvTranspose2dOutputShapeIncludesOutputPadding(int h, int w, int k, int s, int p, int op, int d, int ho, int wo)
    {
        var y = Tensor.ConvTranspose2d(Tensor.Zeros(2, 3, h, w), Tensor.Zeros(3, 4, k, k), Tensor.Zeros(4), s, p, op, d);
        Assert.Equal([2, 4, ho, wo], y.Shape);
    }

    [Fact]
    public void EmptyBatchGivesEmptyOutputAndZeroWeightGradient()
    {
        var x = Tensor.Zeros(0, 3, 6, 6);
        var w = Tensor.Ones(4, 3, 3, 3).RequireGrad();
        var y = Tensor.Conv2d(x, w, null, 2, 1);
        Assert.Equal([0, 4, 3, 3], y.Shape);
        Assert.Equal([0, 3, 6, 6], Tensor.ConvTranspose2d(y, w, null, 2, 1, 1).Shape);
        var gw = Latent.Core.Autograd.Gradients.Grad(y, [w], Tensor.Zeros(0, 4, 3, 3))[0];
        Assert.All(gw.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Im2ColMatchesItsScalarTwin()
    {
        var rng = new Random(4);
        for (int i = 0; i < 54; i++)
        {
            var (_, c, _, h, w, kh, kw, s, p, d) = Config(rng, i);
            var g = new ConvGeometry(1, c, h, w, 1, ConvGeometry.ConvOut(h, kh, s, p, d), ConvGeometry.ConvOut(w, kw, s, p, d), kh, kw, s, p, d);
            CheckIm2Col(rng, g);
        }
    }

    [Fact]
    public void Im2ColMatchesItsScalarTwinOnStridedAndTransposedGeometries()
    {
        // The VAE's shapes (k4 s2 p1 on 28x28 and 14x14), odd sizes, strides larger than the kernel (phases no tap
        // reads), and transposed-convolution geometries with output padding (big pixels past the last tap's reach).
        var rng = new Random(5);
        var cases = new List<ConvGeometry>
        {
            new(1, 1, 28, 28, 1, 14, 14, 4, 4, 2, 1, 1),
            new(1, 3, 14, 14, 1, 7, 7, 4, 4, 2, 1, 1),
            new(1, 2, 13, 11, 1, 6, 5, 3, 3, 2, 0, 1),
            new(1, 2, 9, 10, 1, 3, 4, 2, 2, 3, 0, 1),
            new(1, 2, 12, 12, 1, 4, 4, 3, 3, 3, 1, 2),
            new(1, 2, 8, 8, 1, 3, 3, 2, 2, 2, 0, 1), // H = 8 but taps reach only rows 0..5
            new(1, 1, 17, 19, 1, 17, 19, 3, 5, 1, 1, 1),
            new(1, 2, 7, 7, 1, 1, 1, 7, 7, 1, 0, 1),
            new(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1),
            new(1, 1, 6, 40, 1, 2, 19, 3, 4, 2, 0, 1),
        };
        for (int i = 0; i < 40; i++)
        {
            int k = rng.Next(1, 6), st = rng.Next(1, 5), dil = rng.Next(1, 3), pad = rng.Next(0, 3);
            int h = rng.Next(1, 24), w = rng.Next(1, 24);
            int ho = ConvGeometry.ConvOut(h, k, st, pad, dil), wo = ConvGeometry.ConvOut(w, k, st, pad, dil);
            if (ho <= 0 || wo <= 0) continue;
            // Sometimes a smaller small image than the formula gives (as a transposed convolution's output padding does).
            if (rng.Next(3) == 0) { ho = Math.Max(1, ho - 1); wo = Math.Max(1, wo - 1); }
            cases.Add(new ConvGeometry(1, rng.Next(1, 4), h, w, 1, ho, wo, k, k, st, pad, dil));
        }
        foreach (var g in cases) CheckIm2Col(rng, g);
    }

    internal static void CheckIm2Col(Random rng, ConvGeometry g)
    {
        var img = Random(rng, g.C, g.H, g.W).ToArray();
        img[0] = -0f;
        int ld = g.SmallPlane * 2 + 3, off = g.SmallPlane + 1; // a second image's columns, and a gap
        var fast = Enumerable.Repeat(7f, g.K * ld).ToArray();
        var slow = Enumerable.Repeat(7f, g.K * ld).ToArray();
        Im2Col.Pack(img, g, fast, ld, off);
        Im2ColScalar.Pack(img, g, slow, ld, off);
        AssertSameBits(slow, fast, $"pack {g}"); // columns outside [off, off + Ho·Wo) keep their 7s in both

        var cols = Random(rng, g.K * ld).ToArray();
        cols[off] = -0f;
        var fastImg = Random(rng, g.C, g.H, g.W).ToArray();
        var slowImg = (float[])fastImg.Clone();
        Im2Col.Unpack(cols, ld, off, g, fastImg);
        Im2ColScalar.Unpack(cols, ld, off, g, slowImg);
        AssertSameBits(slowImg, fastImg, $"unpack {g}");

        // overwrite: the same bits as unpacking into a cleared image, whatever the image held.
        var over = Enumerable.Repeat(float.NaN, fastImg.Length).ToArray();
        Array.Clear(slowImg);
        Im2Col.Unpack(cols, ld, off, g, over, overwrite: true);
        Im2ColScalar.Unpack(cols, ld, off, g, slowImg);
        AssertSameBits(slowImg, over, $"unpack overwrite {g}");

        // Pack again after the unpacks (which leave junk in the phase planes' padding) and after a pack of another
        // geometry: Pack must not rely on stale scratch.
        var again = Enumerable.Repeat(7f, g.K * ld).ToArray();
        Im2Col.Pack(img, g, again, ld, off);
        AssertSameBits(slow, again, $"pack after unpack {g}");
        var other = g with { Pad = g.Pad + 1, Ho = g.Ho + 1, Wo = g.Wo + 1 };
        Im2Col.Pack(Random(rng, g.C, g.H, g.W).ToArray(), other, new float[other.K * other.SmallPlane], other.SmallPlane, 0);
        Array.Fill(again, 7f);
        Im2Col.Pack(img, g, again, ld, off);
        AssertSameBits(slow, again, $"pack after another geometry {g}");
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
            if (BitConverter.SingleToInt32Bits(expected[j]) != BitConverter.SingleToInt32Bits(actual[j]))
                Assert.Fail($"{what}: element {j}: expected {expected[j]}, got {actual[j]}");
    }

    [Fact]
    public void ShapeErrorsNameTheOpAndBothShapes()
    {
        var x = Tensor.Zeros(8, 3, 28, 28);
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Tensor.Zeros(16, 1, 3, 3)));
        Assert.Contains("Conv2d: input [8,3,28,28] x weight [16,1,3,3]: channels 3 != 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros(3, 28, 28), Tensor.Zeros(16, 3, 3, 3)));
        Assert.Contains("Conv2d: input [3,28,28] x weight [16,3,3,3]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros(1, 3, 4, 4), Tensor.Zeros(2, 3, 5, 5), padding: 0));
        Assert.Contains("Conv2d: input [1,3,4,4] x weight [2,3,5,5]", ex.Message);
        Assert.Contains("larger than the padded input", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros(1, 3, 4, 4), Tensor.Zeros(2, 3, 3, 3), dilation: 2));
        Assert.Contains("larger than the padded input", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Tensor.Zeros(16, 3, 3, 3), stride: 0));
        Assert.Contains("Conv2d: input [8,3,28,28] x weight [16,3,3,3]: stride 0", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Tensor.Zeros(16, 3, 3, 3), padding: -1));
        Assert.Contains("padding -1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Tensor.Zeros(16, 3, 3, 3), Tensor.Zeros(15)));
        Assert.Contains("Conv2d: weight [16,3,3,3] x bias [15]", ex.Message);

        var z = Tensor.Zeros(2, 4, 7, 7);
        ex = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose2d(z, Tensor.Zeros(3, 4, 3, 3)));
        Assert.Contains("ConvTranspose2d: input [2,4,7,7] x weight [3,4,3,3]: channels 4 != 3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose2d(z, Tensor.Zeros(4, 2, 3, 3), stride: -2));
        Assert.Contains("ConvTranspose2d: input [2,4,7,7] x weight [4,2,3,3]: stride -2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose2d(z, Tensor.Zeros(4, 2, 3, 3), stride: 2, outputPadding: 2));
        Assert.Contains("outputPadding 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose2d(Tensor.Zeros(1, 4, 1, 1), Tensor.Zeros(4, 2, 1, 1), padding: 1));
        Assert.Contains("ConvTranspose2d: input [1,4,1,1] x weight [4,2,1,1]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose2d(z, Tensor.Zeros(4, 2, 3, 3), Tensor.Zeros(4)));
        Assert.Contains("bias [4]", ex.Message);
    }
}
