using System.Numerics;

namespace Latent.Core.Kernels;

/// <summary>
/// Single-precision matrix multiply on row-major matrices:
/// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, where op(X) is X or its transpose.
/// </summary>
/// <remarks>
/// A is [m,k] (or [k,m] when <c>transA</c>) with row stride <c>lda</c>; B is [k,n] (or [n,k] when <c>transB</c>)
/// with row stride <c>ldb</c>; C is [m,n] with row stride <c>ldc</c>. This is the one entry point every matmul,
/// linear layer and convolution goes through; <see cref="GemmScalar"/> is its plain twin for tests.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes C = alpha * op(A) op(B) + beta * C.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        ScaleC(m, n, beta, c, ldc);
        if (k == 0 || alpha == 0f) return;

        // Bring both operands to the plain [m,k] x [k,n] layout; the row loop below then streams B's rows.
        float[] aBuf = Pack(transA, m, k, a, lda, out int aStride);
        float[] bBuf = Pack(transB, k, n, b, ldb, out int bStride);
        ReadOnlySpan<float> aP = transA ? aBuf : a;
        ReadOnlySpan<float> bP = transB ? bBuf : b;
        if (!transA) aStride = lda;
        if (!transB) bStride = ldb;

        unsafe
        {
            fixed (float* pa = aP, pb = bP, pc = c)
            {
                nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
                int sa = aStride, sb = bStride;
                long work = (long)m * n * k;
                int threads = work < 1 << 18 ? 1 : Math.Min(Environment.ProcessorCount, m);
                if (threads <= 1)
                {
                    Rows(0, m, n, k, alpha, (float*)ia, sa, (float*)ib, sb, (float*)ic, ldc);
                }
                else
                {
                    int chunk = (m + threads - 1) / threads;
                    Parallel.For(0, threads, t =>
                    {
                        int r0 = t * chunk, r1 = Math.Min(m, r0 + chunk);
                        if (r0 < r1) Rows(r0, r1, n, k, alpha, (float*)ia, sa, (float*)ib, sb, (float*)ic, ldc);
                    });
                }
            }
        }
    }

    private static unsafe void Rows(int r0, int r1, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        // i-k-j order: each C row accumulates alpha*A[i,p] times B's row p, vectorised over j.
        int vw = Vector<float>.Count;
        for (int i = r0; i < r1; i++)
        {
            float* ci = c + (long)i * ldc;
            for (int p = 0; p < k; p++)
            {
                float av = alpha * a[(long)i * lda + p];
                if (av == 0f) continue;
                float* bp = b + (long)p * ldb;
                var vav = new Vector<float>(av);
                int j = 0;
                for (; j <= n - vw; j += vw)
                {
                    var cv = *(Vector<float>*)(ci + j);
                    *(Vector<float>*)(ci + j) = cv + vav * *(Vector<float>*)(bp + j);
                }
                for (; j < n; j++) ci[j] += av * bp[j];
            }
        }
    }

    private static float[] Pack(bool trans, int rows, int cols, ReadOnlySpan<float> src, int ld, out int stride)
    {
        stride = cols;
        if (!trans) return [];
        // src is [cols, rows] with stride ld; write its transpose [rows, cols].
        var buf = GC.AllocateUninitializedArray<float>(rows * cols);
        for (int r = 0; r < cols; r++)
        {
            var row = src.Slice(r * ld, rows);
            for (int q = 0; q < rows; q++) buf[q * cols + r] = row[q];
        }
        return buf;
    }

    internal static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>Checks dimensions and buffer lengths; throws ArgumentException naming what is wrong.</summary>
    internal static void Validate(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Sgemm: negative size m={m} n={n} k={k}");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (lda < Math.Max(1, aCols)) throw new ArgumentException($"Sgemm: lda={lda} < {aCols}", nameof(lda));
        if (ldb < Math.Max(1, bCols)) throw new ArgumentException($"Sgemm: ldb={ldb} < {bCols}", nameof(ldb));
        if (ldc < Math.Max(1, n)) throw new ArgumentException($"Sgemm: ldc={ldc} < {n}", nameof(ldc));
        if (aRows > 0 && aCols > 0 && aLen < (long)(aRows - 1) * lda + aCols) throw new ArgumentException($"Sgemm: A has {aLen} elements, needs {(long)(aRows - 1) * lda + aCols}", "a");
        if (bRows > 0 && bCols > 0 && bLen < (long)(bRows - 1) * ldb + bCols) throw new ArgumentException($"Sgemm: B has {bLen} elements, needs {(long)(bRows - 1) * ldb + bCols}", "b");
        if (m > 0 && n > 0 && cLen < (long)(m - 1) * ldc + n) throw new ArgumentException($"Sgemm: C has {cLen} elements, needs {(long)(m - 1) * ldc + n}", "c");
    }
}
