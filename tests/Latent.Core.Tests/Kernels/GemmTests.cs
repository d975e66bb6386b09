using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.Sgemm"/> against its scalar twin <see cref="GemmScalar.Sgemm"/>, on whichever micro-kernel
/// path this process takes (the kernel-check test re-runs a subset with AVX-512 and all intrinsics disabled).
/// </summary>
public class GemmTests
{
    private static readonly float[] Scales = [0f, 1f, -0.5f, 2f];

    /// <summary>
    /// Runs both implementations on random data and compares every element of C (and checks that the padding
    /// between rows of C is untouched). The tolerance is a rounding-error bound for a k-term float32 sum:
    /// (k + 2) * eps * |alpha| * sum_p |a_ip||b_pj| + 2 * eps * |beta * c_ij|, far below the size of any single
    /// wrong or missing term.
    /// </summary>
    internal static void Check(bool transA, bool transB, int m, int n, int k, float alpha = 1f, float beta = 0f,
        int padA = 0, int padB = 0, int padC = 0, int seed = 1, bool nanC = false, string? path = null)
    {
        var rng = new Random(seed * 7919 + m * 31 + n * 17 + k);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = Math.Max(1, aCols) + padA, ldb = Math.Max(1, bCols) + padB, ldc = Math.Max(1, n) + padC;
        var a = Random(rng, aRows * lda);
        var b = Random(rng, bRows * ldb);
        var c = nanC ? Enumerable.Repeat(float.NaN, m * ldc).ToArray() : Random(rng, m * ldc);
        var expected = (float[])c.Clone();
        var actual = (float[])c.Clone();

        GemmScalar.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        if (path is null) Gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc);
        else Assert.True(Gemm.SgemmOnPath(path, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc), $"path {path} unavailable");

        const float eps = 1.2e-7f;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += Math.Abs((double)av * bv);
                }
                double prev = beta == 0f ? 0 : Math.Abs(beta * c[i * ldc + j]);
                double tol = (k + 2) * eps * Math.Abs(alpha) * s + 2 * eps * prev + 1e-30;
                float e = expected[i * ldc + j], g = actual[i * ldc + j];
                if (!(Math.Abs(e - g) <= tol))
                    Assert.Fail($"Sgemm[{path ?? Gemm.PathName}] tA={transA} tB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} " +
                        $"lda={lda} ldb={ldb} ldc={ldc}: C[{i},{j}] = {g}, scalar {e}, tolerance {tol:G3}");
            }
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                Assert.True(BitConverter.SingleToInt32Bits(c[i * ldc + j]) == BitConverter.SingleToInt32Bits(actual[i * ldc + j]),
                    $"Sgemm m={m} n={n} k={k} ldc={ldc}: padding C[{i},{j}] was written");
        }
    }

    internal static float[] Random(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    [Fact]
    public void EveryNFrom0To256()
    {
        for (int n = 0; n <= 256; n++)
            foreach (int m in (int[])[1, 3, 17])
                foreach (int k in (int[])[1, 7, 33])
                    Check(n % 2 == 1, n % 4 >= 2, m, n, k);
    }

    [Fact]
    public void EveryMFrom0To256()
    {
        for (int m = 0; m <= 256; m++)
            foreach (int n in (int[])[1, 5, 33])
                foreach (int k in (int[])[2, 19])
                    Check(m % 2 == 1, m % 4 >= 2, m, n, k);
    }

    [Fact]
    public void EveryKFrom0To256()
    {
        for (int k = 0; k <= 256; k++)
            foreach (int m in (int[])[3, 15])
                foreach (int n in (int[])[17, 33])
                    Check(k % 2 == 1, k % 4 >= 2, m, n, k, alpha: 1f, beta: k % 3 == 0 ? 0f : 1f);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(513)]
    [InlineData(1000)]
    public void KLongerThanOneBlockAccumulatesAcrossBlocks(int k)
    {
        for (int combo = 0; combo < 4; combo++)
            Check(combo % 2 == 1, combo >= 2, 29, 45, k, alpha: -0.5f, beta: 2f);
    }

    [Fact]
    public void RandomShapesUpTo300WithAllTransposesStridesAndScales()
    {
        var rng = new Random(42);
        for (int t = 0; t < 48; t++)
        {
            int m = rng.Next(1, 301), n = rng.Next(1, 301), k = rng.Next(1, 301);
            Check(t % 2 == 1, (t / 2) % 2 == 1, m, n, k,
                alpha: Scales[rng.Next(4)], beta: Scales[rng.Next(4)],
                padA: rng.Next(3) * 5, padB: rng.Next(3) * 3, padC: rng.Next(3) * 7, seed: t);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void StridesLargerThanTheRowLength(bool transA, bool transB)
    {
        Check(transA, transB, 37, 41, 43, padA: 13, padB: 29, padC: 64);
        Check(transA, transB, 1, 1, 1, padA: 3, padB: 3, padC: 3);
        Check(transA, transB, 200, 70, 300, alpha: 2f, beta: -0.5f, padA: 1, padB: 1, padC: 1);
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0f, 1f)]
    [InlineData(0f, -0.5f)]
    [InlineData(1f, 0f)]
    [InlineData(1f, 1f)]
    [InlineData(-0.5f, 2f)]
    [InlineData(2f, -0.5f)]
    [InlineData(2f, 0f)]
    public void AlphaAndBeta(float alpha, float beta)
    {
        for (int combo = 0; combo < 4; combo++)
        {
            Check(combo % 2 == 1, combo >= 2, 33, 70, 45, alpha, beta);
            Check(combo % 2 == 1, combo >= 2, 14, 32, 300, alpha, beta);
        }
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    public void BetaZeroIgnoresNaNInC(float alpha)
    {
        for (int combo = 0; combo < 4; combo++)
        {
            Check(combo % 2 == 1, combo >= 2, 30, 50, 20, alpha, 0f, padC: 3, nanC: true);
            Check(combo % 2 == 1, combo >= 2, 3, 5, 0, alpha, 0f, nanC: true);
            Check(combo % 2 == 1, combo >= 2, 40, 70, 300, alpha, 0f, nanC: true);
        }
    }

    /// <summary>
    /// Every micro-kernel this CPU can run, forced in turn (the public entry takes only the best one): edges
    /// on both sides of each tile size, k across a block boundary, transposes, strides, scales and NaN in C.
    /// </summary>
    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("VectorT")]
    [InlineData("fallback")]
    public void EachMicroKernelPathMatchesTheScalarTwin(string path)
    {
        bool available = path switch
        {
            "Vector512" => System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            "Vector256" => System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported,
            "VectorT" => System.Numerics.Vector.IsHardwareAccelerated,
            _ => true,
        };
        if (!available) return; // this CPU cannot run it; the kernel-check test covers what it can
        for (int s = 0; s <= 70; s++)
        {
            Check(s % 2 == 1, s % 4 >= 2, 1 + s % 17, s, 1 + s % 9, path: path);
            Check(s % 4 >= 2, s % 2 == 1, s, 1 + s % 35, 3, path: path);
            Check(s % 2 == 0, s % 3 == 0, 5, 7, s * 4, alpha: Scales[s % 4], beta: Scales[(s / 4) % 4], path: path);
        }
        Check(false, false, 100, 90, 300, alpha: 2f, beta: -0.5f, padA: 3, padB: 5, padC: 7, path: path);
        Check(true, true, 90, 100, 270, alpha: -0.5f, beta: 0f, nanC: true, path: path);
        Check(true, false, 77, 150, 513, beta: 1f, path: path);
    }

    [Fact]
    public void ZeroAlphaScalesCWithoutReadingAOrB()
    {
        float[] a = [float.NaN, float.NaN, float.NaN, float.NaN];
        float[] c = [1f, 2f, 3f, 4f];
        Gemm.Sgemm(false, false, 2, 2, 2, 0f, a, 2, a, 2, -0.5f, c, 2);
        Assert.Equal([-0.5f, -1f, -1.5f, -2f], c);
    }

    [Fact]
    public void BuffersTooShortThrow()
    {
        var a = new float[6]; var b = new float[12]; var c = new float[8];
        Assert.Throws<ArgumentException>("a", () => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a.AsSpan(0, 5), 3, b, 4, 0f, c, 4));
        Assert.Throws<ArgumentException>("b", () => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b.AsSpan(0, 11), 4, 0f, c, 4));
        Assert.Throws<ArgumentException>("c", () => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c.AsSpan(0, 7), 4));
        // Transposed: A is [k=3, m=2] so lda >= 2 and it needs (3-1)*lda + 2 elements.
        Assert.Throws<ArgumentException>("a", () => Gemm.Sgemm(true, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4));
        Assert.Throws<ArgumentException>("b", () => Gemm.Sgemm(false, true, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4));
        // Padded strides need the longer buffer too.
        Assert.Throws<ArgumentException>("c", () => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 5));
    }

    [Fact]
    public void BadStridesAndSizesThrow()
    {
        var a = new float[64]; var b = new float[64]; var c = new float[64];
        Assert.Throws<ArgumentException>("lda", () => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 2, b, 4, 0f, c, 4));
        Assert.Throws<ArgumentException>("lda", () => Gemm.Sgemm(true, false, 2, 4, 3, 1f, a, 1, b, 4, 0f, c, 4));
        Assert.Throws<ArgumentException>("ldb", () => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b, 3, 0f, c, 4));
        Assert.Throws<ArgumentException>("ldb", () => Gemm.Sgemm(false, true, 2, 4, 3, 1f, a, 3, b, 2, 0f, c, 4));
        Assert.Throws<ArgumentException>("ldc", () => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 3));
        Assert.Throws<ArgumentException>("ldc", () => Gemm.Sgemm(false, false, 0, 0, 0, 1f, a, 1, b, 1, 0f, c, 0));
        var e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, -1, 4, 3, 1f, a, 3, b, 4, 0f, c, 4));
        Assert.Contains("Sgemm", e.Message);
    }

    [Fact]
    public void EmptyProductsLeaveOrScaleC()
    {
        var c = new float[] { 1f, 2f, 3f };
        Gemm.Sgemm(false, false, 0, 3, 5, 1f, [], 5, new float[15], 3, 0f, c, 3);
        Assert.Equal([1f, 2f, 3f], c);
        Gemm.Sgemm(false, false, 1, 3, 0, 1f, [], 1, [], 3, 2f, c, 3);
        Assert.Equal([2f, 4f, 6f], c);
        Gemm.Sgemm(false, false, 1, 3, 0, 1f, [], 1, [], 3, 0f, c, 3);
        Assert.Equal([0f, 0f, 0f], c);
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(-0.5f, 2f)]
    public void EdgeTilesGiveTheBitsOfFullTiles(float alpha, float beta)
    {
        // C rows and columns that sit in a full tile of a 64 x 64 product sit in edge tiles (through the scratch tile and
        // the scalar/vector write-back) of the products of its first r rows and c columns; each element's bits must agree.
        var rng = new Random(5);
        const int m = 64, n = 64, k = 300;
        var a = FusedKernelTests.Random(rng, m * k);
        var b = FusedKernelTests.Random(rng, k * n);
        var c0 = FusedKernelTests.Random(rng, m * n);
        var full = (float[])c0.Clone();
        Gemm.Sgemm(false, false, m, n, k, alpha, a, k, b, n, beta, full, n);
        foreach (int r in new[] { 1, 7, 9, 15, 17, 30 })
            foreach (int cols in new[] { 1, 8, 9, 17, 31, 33, 47 })
            {
                var part = (float[])c0.Clone();
                Gemm.Sgemm(false, false, r, cols, k, alpha, a, k, b, n, beta, part, n);
                for (int i = 0; i < r; i++)
                    for (int j = 0; j < cols; j++)
                        Assert.Equal(BitConverter.SingleToInt32Bits(full[i * n + j]), BitConverter.SingleToInt32Bits(part[i * n + j]));
            }
    }
}
