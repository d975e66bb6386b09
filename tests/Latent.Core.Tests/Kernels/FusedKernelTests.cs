using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>
/// The fused elementwise kernels (<see cref="ReluBackward"/>, <see cref="AdamKernel"/>, <see cref="BceWithLogitsKernel"/>)
/// against their scalar twins for every length 0..256 and a few long odd ones, in place, and with bad lengths.
/// The kernel-check test re-runs the first two with AVX-512 and all intrinsics off.
/// </summary>
public class FusedKernelTests
{
    private static readonly int[] Lengths = [.. Enumerable.Range(0, 257), 1000, 4099];

    internal static float[] Random(Random rng, int n, float scale = 4f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return a;
    }

    [Fact]
    public void ReluBackwardMatchesScalarBitForBit()
    {
        var rng = new Random(1);
        foreach (int n in Lengths)
        {
            var g = Random(rng, n);
            var x = Random(rng, n);
            if (n > 3) { x[0] = 0f; x[1] = -0f; x[2] = float.NaN; g[3] = float.NaN; x[3] = 1f; }
            var expected = new float[n];
            var actual = new float[n];
            ReluBackward.Scalar(g, x, expected);
            ReluBackward.Run(g, x, actual);
            Assert.Equal(Bits(expected), Bits(actual));
            ReluBackward.Run(g, x, g); // in place over g
            Assert.Equal(Bits(expected), Bits(g));
        }
    }

    [Fact]
    public void ReluBackwardRejectsMismatchedLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReluBackward.Run(new float[3], new float[3], new float[2]));
        Assert.Contains("ReluBackward", ex.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    public void AdamMatchesScalarBitForBit(float l2)
    {
        var rng = new Random(2);
        foreach (int n in Lengths)
        {
            var p = Random(rng, n);
            var g = Random(rng, n);
            var m = Random(rng, n, 0.1f);
            var v = Random(rng, n, 0.1f).Select(MathF.Abs).ToArray();
            var (p2, m2, v2) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone());
            for (int step = 0; step < 3; step++)
            {
                AdamKernel.Scalar(p, g, m, v, 0.9f, 0.999f, 1e-3f, 0.03f, 1e-8f, l2);
                AdamKernel.Run(p2, g, m2, v2, 0.9f, 0.999f, 1e-3f, 0.03f, 1e-8f, l2);
            }
            Assert.Equal(Bits(p), Bits(p2));
            Assert.Equal(Bits(m), Bits(m2));
            Assert.Equal(Bits(v), Bits(v2));
        }
    }

    [Fact]
    public void AdamRejectsMismatchedLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            AdamKernel.Run(new float[4], new float[4], new float[3], new float[4], 0.9f, 0.999f, 1e-3f, 1f, 1e-8f, 0f));
        Assert.Contains("AdamKernel", ex.Message);
    }

    [Fact]
    public void BceLossAndSumMatchScalar()
    {
        var rng = new Random(3);
        foreach (int n in Lengths)
        {
            var x = Random(rng, n, 30f);
            var t = Random(rng, n, 0.5f).Select(v => v + 0.5f).ToArray();
            if (n > 2) { x[0] = 0f; x[1] = 100f; x[2] = -100f; }
            var expected = new float[n];
            var actual = new float[n];
            BceWithLogitsKernel.LossScalar(x, t, expected);
            BceWithLogitsKernel.Loss(x, t, actual);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                // exp and log may differ from MathF's in the last bits: a few ulps of the larger terms.
                float tol = 4e-7f * (MathF.Abs(x[i]) + 1f);
                Assert.True(MathF.Abs(expected[i] - actual[i]) <= tol, $"n={n} i={i}: {actual[i]} vs {expected[i]}");
                sum += expected[i];
            }
            Assert.Equal(sum, BceWithLogitsKernel.Sum(x, t), 1e-6 * (n * 30 + 1));
            BceWithLogitsKernel.Loss(x, t, x); // in place over x
            Assert.Equal(Bits(actual), Bits(x));
        }
    }

    [Fact]
    public void BceGradMatchesScalar()
    {
        var rng = new Random(4);
        foreach (int n in Lengths)
        {
            var x = Random(rng, n, 30f);
            var t = Random(rng, n, 0.5f).Select(v => v + 0.5f).ToArray();
            var g = Random(rng, n, 2f);
            var expected = new float[n];
            var actual = new float[n];
            BceWithLogitsKernel.GradScalar(x, t, 0.25f, expected);
            BceWithLogitsKernel.Grad(x, t, 0.25f, actual);
            for (int i = 0; i < n; i++) Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-7f, $"n={n} i={i}");
            BceWithLogitsKernel.Grad(x, t, g, actual);
            for (int i = 0; i < n; i++)
            {
                float e = g[i] * (1f / (1f + MathF.Exp(-x[i])) - t[i]);
                Assert.True(MathF.Abs(e - actual[i]) <= 4e-7f, $"n={n} i={i}: {actual[i]} vs {e}");
            }
        }
    }

    [Fact]
    public void BceRejectsMismatchedLengths()
    {
        Assert.Throws<ArgumentException>(() => BceWithLogitsKernel.Loss(new float[3], new float[2], new float[3]));
        Assert.Throws<ArgumentException>(() => BceWithLogitsKernel.Grad(new float[3], new float[3], new float[2], new float[3]));
    }

    internal static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();
}
