using Latent.Core;
using Latent.Core.Kernels;

namespace Latent.KernelCheck;

/// <summary>
/// <see cref="Gemm.Sgemm"/> vs <see cref="GemmScalar.Sgemm"/>: tile edges (0, 1, and either side of every
/// micro-kernel's MR and NR), k across a 256 block, all transposes, padded strides, alpha/beta in
/// {0, 1, -0.5, 2}, NaN in C with beta 0, and 1 vs 2 threads bit for bit. Tolerance: the rounding bound
/// (k + 2) eps |alpha| sum|a||b| + 2 eps |beta c|.
/// </summary>
public sealed class SgemmCheck : IKernelCheck
{
    private static readonly int[] Edges = [0, 1, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 31, 32, 33, 47, 48, 49, 65];
    private static readonly float[] Scales = [0f, 1f, -0.5f, 2f];

    /// <inheritdoc/>
    public string Name => "sgemm";

    /// <inheritdoc/>
    public string Path => Gemm.PathName;

    /// <inheritdoc/>
    public (int Cases, int Mismatches) Run(TextWriter log)
    {
        int cases = 0, bad = 0;
        var rng = new Random(5);
        void One(bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, bool nan)
        {
            cases++;
            if (!Compare(rng, ta, tb, m, n, k, alpha, beta, pad, nan, log)) bad++;
        }

        for (int t = 0; t < Edges.Length; t++)
        {
            int e = Edges[t];
            bool ta = t % 2 == 1, tb = t % 4 >= 2;
            One(ta, tb, e, 33, 9, 1f, 0f, 0, false);
            One(tb, ta, 15, e, 9, 1f, 1f, 1, false);
            One(ta, !tb, 7, 17, e, -0.5f, 2f, 0, false);
        }
        foreach (int k in (int[])[255, 256, 257, 600])
            for (int combo = 0; combo < 4; combo++)
                One(combo % 2 == 1, combo >= 2, 29, 50, k, Scales[combo], Scales[3 - combo], combo, false);
        for (int combo = 0; combo < 4; combo++)
            One(combo % 2 == 1, combo >= 2, 40, 37, 20, Scales[combo], 0f, 2, true);
        for (int t = 0; t < 8; t++)
            One(t % 2 == 1, t / 2 % 2 == 1, rng.Next(1, 160), rng.Next(1, 160), rng.Next(1, 300), Scales[t % 4], Scales[t / 2 % 4], t % 3, false);

        cases++;
        if (!ThreadInvariant(log)) bad++;
        return (cases, bad);
    }

    private static bool Compare(Random rng, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, bool nanC, TextWriter log)
    {
        int lda = Math.Max(1, ta ? m : k) + pad, ldb = Math.Max(1, tb ? k : n) + pad, ldc = Math.Max(1, n) + pad;
        var a = Fill(rng, (ta ? k : m) * lda);
        var b = Fill(rng, (tb ? n : k) * ldb);
        var c = nanC ? Enumerable.Repeat(float.NaN, m * ldc).ToArray() : Fill(rng, m * ldc);
        var want = (float[])c.Clone();
        var got = (float[])c.Clone();
        GemmScalar.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc);
        Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += Math.Abs((double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]));
                double prev = beta == 0f ? 0 : Math.Abs(beta * c[i * ldc + j]);
                double tol = (k + 2) * 1.2e-7 * Math.Abs(alpha) * s + 2.4e-7 * prev + 1e-30;
                if (!(Math.Abs(want[i * ldc + j] - got[i * ldc + j]) <= tol))
                {
                    log.WriteLine($"sgemm MISMATCH tA={ta} tB={tb} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}: " +
                        $"C[{i},{j}] = {got[i * ldc + j]}, scalar {want[i * ldc + j]}, tolerance {tol:G3}");
                    return false;
                }
            }
        return true;
    }

    private static bool ThreadInvariant(TextWriter log)
    {
        var rng = new Random(9);
        int m = 150, n = 170, k = 400;
        var a = Fill(rng, m * k);
        var b = Fill(rng, k * n);
        int saved = Parallelism.MaxDegree;
        try
        {
            Parallelism.MaxDegree = 1;
            var one = new float[m * n];
            Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, one, n);
            Parallelism.MaxDegree = 2;
            var two = new float[m * n];
            Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, two, n);
            for (int i = 0; i < one.Length; i++)
                if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(two[i]))
                {
                    log.WriteLine($"sgemm MISMATCH 1 vs 2 threads at C[{i / n},{i % n}]: {one[i]:R} vs {two[i]:R}");
                    return false;
                }
            return true;
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    private static float[] Fill(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
