using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// AVX-512 micro-kernel: a 14 x 32 tile of C in 28 zmm accumulators (of 32 zmm registers; 2 more hold the
/// B vectors and 1 the broadcast A value). Measured on Zen 5 against 6 x 48, 8 x 48 and 12 x 32 tiles at
/// 2048^3: 14 x 32 was fastest (docs/BENCHMARKS.md).
/// </summary>
/// <remarks>
/// Per k step p: b0, b1 = packed B[p, 0..15], B[p, 16..31] (lane l of bJ is column 16J + l); for each row i,
/// ai = A[i, p] broadcast to all 16 lanes and c{i}_J = fma(ai, bJ, c{i}_J), so lane l of c{i}_J accumulates
/// C[i, 16J + l] exactly as the scalar loop <c>acc = fma(a[p*14 + i], b[p*32 + j], acc)</c> on
/// <see cref="IGemmMicroKernel"/>. 28 independent FMA chains hide the 4-cycle FMA latency on two FMA pipes.
/// There is no tail: the driver pads partial strips with zeros and routes edge tiles through a scratch tile.
/// Block sizes: a 256 x 32 B strip (32 KiB) stays in L1 across the row loop, a 168 x 256 A block (168 KiB)
/// in L2, a 256 x 1024 B panel (1 MiB) in L2/L3.
/// </remarks>
internal readonly unsafe struct GemmKernelAvx512 : IGemmMicroKernel
{
    public static int MR => 14;
    public static int NR => 32;
    public static int KC => 256;
    public static int MC => 168;
    public static int NC => 1024;
    public static string Name => "Vector512";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        Vector512<float> c4_0 = default; Vector512<float> c4_1 = default;
        Vector512<float> c5_0 = default; Vector512<float> c5_1 = default;
        Vector512<float> c6_0 = default; Vector512<float> c6_1 = default;
        Vector512<float> c7_0 = default; Vector512<float> c7_1 = default;
        Vector512<float> c8_0 = default; Vector512<float> c8_1 = default;
        Vector512<float> c9_0 = default; Vector512<float> c9_1 = default;
        Vector512<float> c10_0 = default; Vector512<float> c10_1 = default;
        Vector512<float> c11_0 = default; Vector512<float> c11_1 = default;
        Vector512<float> c12_0 = default; Vector512<float> c12_1 = default;
        Vector512<float> c13_0 = default; Vector512<float> c13_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b + 0); Vector512<float> b1 = Vector512.LoadAligned(b + 16);
            { Vector512<float> ai = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(ai, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(ai, b1, c0_1); }
            { Vector512<float> ai = Vector512.Create(a[1]); c1_0 = Avx512F.FusedMultiplyAdd(ai, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(ai, b1, c1_1); }
            { Vector512<float> ai = Vector512.Create(a[2]); c2_0 = Avx512F.FusedMultiplyAdd(ai, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(ai, b1, c2_1); }
            { Vector512<float> ai = Vector512.Create(a[3]); c3_0 = Avx512F.FusedMultiplyAdd(ai, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(ai, b1, c3_1); }
            { Vector512<float> ai = Vector512.Create(a[4]); c4_0 = Avx512F.FusedMultiplyAdd(ai, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(ai, b1, c4_1); }
            { Vector512<float> ai = Vector512.Create(a[5]); c5_0 = Avx512F.FusedMultiplyAdd(ai, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(ai, b1, c5_1); }
            { Vector512<float> ai = Vector512.Create(a[6]); c6_0 = Avx512F.FusedMultiplyAdd(ai, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(ai, b1, c6_1); }
            { Vector512<float> ai = Vector512.Create(a[7]); c7_0 = Avx512F.FusedMultiplyAdd(ai, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(ai, b1, c7_1); }
            { Vector512<float> ai = Vector512.Create(a[8]); c8_0 = Avx512F.FusedMultiplyAdd(ai, b0, c8_0); c8_1 = Avx512F.FusedMultiplyAdd(ai, b1, c8_1); }
            { Vector512<float> ai = Vector512.Create(a[9]); c9_0 = Avx512F.FusedMultiplyAdd(ai, b0, c9_0); c9_1 = Avx512F.FusedMultiplyAdd(ai, b1, c9_1); }
            { Vector512<float> ai = Vector512.Create(a[10]); c10_0 = Avx512F.FusedMultiplyAdd(ai, b0, c10_0); c10_1 = Avx512F.FusedMultiplyAdd(ai, b1, c10_1); }
            { Vector512<float> ai = Vector512.Create(a[11]); c11_0 = Avx512F.FusedMultiplyAdd(ai, b0, c11_0); c11_1 = Avx512F.FusedMultiplyAdd(ai, b1, c11_1); }
            { Vector512<float> ai = Vector512.Create(a[12]); c12_0 = Avx512F.FusedMultiplyAdd(ai, b0, c12_0); c12_1 = Avx512F.FusedMultiplyAdd(ai, b1, c12_1); }
            { Vector512<float> ai = Vector512.Create(a[13]); c13_0 = Avx512F.FusedMultiplyAdd(ai, b0, c13_0); c13_1 = Avx512F.FusedMultiplyAdd(ai, b1, c13_1); }
            a += MR;
            b += NR;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        Update(c + 0 * ldc + 0, c0_0, va, vb, beta); Update(c + 0 * ldc + 16, c0_1, va, vb, beta);
        Update(c + 1 * ldc + 0, c1_0, va, vb, beta); Update(c + 1 * ldc + 16, c1_1, va, vb, beta);
        Update(c + 2 * ldc + 0, c2_0, va, vb, beta); Update(c + 2 * ldc + 16, c2_1, va, vb, beta);
        Update(c + 3 * ldc + 0, c3_0, va, vb, beta); Update(c + 3 * ldc + 16, c3_1, va, vb, beta);
        Update(c + 4 * ldc + 0, c4_0, va, vb, beta); Update(c + 4 * ldc + 16, c4_1, va, vb, beta);
        Update(c + 5 * ldc + 0, c5_0, va, vb, beta); Update(c + 5 * ldc + 16, c5_1, va, vb, beta);
        Update(c + 6 * ldc + 0, c6_0, va, vb, beta); Update(c + 6 * ldc + 16, c6_1, va, vb, beta);
        Update(c + 7 * ldc + 0, c7_0, va, vb, beta); Update(c + 7 * ldc + 16, c7_1, va, vb, beta);
        Update(c + 8 * ldc + 0, c8_0, va, vb, beta); Update(c + 8 * ldc + 16, c8_1, va, vb, beta);
        Update(c + 9 * ldc + 0, c9_0, va, vb, beta); Update(c + 9 * ldc + 16, c9_1, va, vb, beta);
        Update(c + 10 * ldc + 0, c10_0, va, vb, beta); Update(c + 10 * ldc + 16, c10_1, va, vb, beta);
        Update(c + 11 * ldc + 0, c11_0, va, vb, beta); Update(c + 11 * ldc + 16, c11_1, va, vb, beta);
        Update(c + 12 * ldc + 0, c12_0, va, vb, beta); Update(c + 12 * ldc + 16, c12_1, va, vb, beta);
        Update(c + 13 * ldc + 0, c13_0, va, vb, beta); Update(c + 13 * ldc + 16, c13_1, va, vb, beta);
    }

    /// <summary>
    /// The raw sums (alpha 1, beta 0) of only the first <paramref name="rows"/> rows of a tile, at most 8, into
    /// <paramref name="tile"/> [rows, NR] (row stride NR): for an edge strip with few valid rows (a batch of one
    /// image, the last 4 of 32 output channels), where the full kernel would spend most of its FMAs on the strip's
    /// zero padding. Each lane runs the same chain <c>acc = fma(a[p*MR + i], b[p*NR + j], acc)</c> from 0, p ascending,
    /// as <see cref="Run"/>, so the tile holds the same bits; the caller writes it back like any edge tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRows(int rows, int kc, float* a, float* b, float* tile)
    {
        if (rows <= 4) RunRows4(kc, a, b, tile);
        else RunRows8(kc, a, b, tile);
    }

    /// <summary>Raw sums of rows 0..3 (rows past the strip's valid ones are its zero padding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRows4(int kc, float* a, float* b, float* tile)
    {
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b + 0); Vector512<float> b1 = Vector512.LoadAligned(b + 16);
            { Vector512<float> ai = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(ai, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(ai, b1, c0_1); }
            { Vector512<float> ai = Vector512.Create(a[1]); c1_0 = Avx512F.FusedMultiplyAdd(ai, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(ai, b1, c1_1); }
            { Vector512<float> ai = Vector512.Create(a[2]); c2_0 = Avx512F.FusedMultiplyAdd(ai, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(ai, b1, c2_1); }
            { Vector512<float> ai = Vector512.Create(a[3]); c3_0 = Avx512F.FusedMultiplyAdd(ai, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(ai, b1, c3_1); }
            a += MR;
            b += NR;
        }
        Vector512.Store(c0_0, tile + 0 * NR); Vector512.Store(c0_1, tile + 0 * NR + 16);
        Vector512.Store(c1_0, tile + 1 * NR); Vector512.Store(c1_1, tile + 1 * NR + 16);
        Vector512.Store(c2_0, tile + 2 * NR); Vector512.Store(c2_1, tile + 2 * NR + 16);
        Vector512.Store(c3_0, tile + 3 * NR); Vector512.Store(c3_1, tile + 3 * NR + 16);
    }

    /// <summary>Raw sums of rows 0..7 (rows past the strip's valid ones are its zero padding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRows8(int kc, float* a, float* b, float* tile)
    {
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        Vector512<float> c4_0 = default; Vector512<float> c4_1 = default;
        Vector512<float> c5_0 = default; Vector512<float> c5_1 = default;
        Vector512<float> c6_0 = default; Vector512<float> c6_1 = default;
        Vector512<float> c7_0 = default; Vector512<float> c7_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b + 0); Vector512<float> b1 = Vector512.LoadAligned(b + 16);
            { Vector512<float> ai = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(ai, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(ai, b1, c0_1); }
            { Vector512<float> ai = Vector512.Create(a[1]); c1_0 = Avx512F.FusedMultiplyAdd(ai, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(ai, b1, c1_1); }
            { Vector512<float> ai = Vector512.Create(a[2]); c2_0 = Avx512F.FusedMultiplyAdd(ai, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(ai, b1, c2_1); }
            { Vector512<float> ai = Vector512.Create(a[3]); c3_0 = Avx512F.FusedMultiplyAdd(ai, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(ai, b1, c3_1); }
            { Vector512<float> ai = Vector512.Create(a[4]); c4_0 = Avx512F.FusedMultiplyAdd(ai, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(ai, b1, c4_1); }
            { Vector512<float> ai = Vector512.Create(a[5]); c5_0 = Avx512F.FusedMultiplyAdd(ai, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(ai, b1, c5_1); }
            { Vector512<float> ai = Vector512.Create(a[6]); c6_0 = Avx512F.FusedMultiplyAdd(ai, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(ai, b1, c6_1); }
            { Vector512<float> ai = Vector512.Create(a[7]); c7_0 = Avx512F.FusedMultiplyAdd(ai, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(ai, b1, c7_1); }
            a += MR;
            b += NR;
        }
        Vector512.Store(c0_0, tile + 0 * NR); Vector512.Store(c0_1, tile + 0 * NR + 16);
        Vector512.Store(c1_0, tile + 1 * NR); Vector512.Store(c1_1, tile + 1 * NR + 16);
        Vector512.Store(c2_0, tile + 2 * NR); Vector512.Store(c2_1, tile + 2 * NR + 16);
        Vector512.Store(c3_0, tile + 3 * NR); Vector512.Store(c3_1, tile + 3 * NR + 16);
        Vector512.Store(c4_0, tile + 4 * NR); Vector512.Store(c4_1, tile + 4 * NR + 16);
        Vector512.Store(c5_0, tile + 5 * NR); Vector512.Store(c5_1, tile + 5 * NR + 16);
        Vector512.Store(c6_0, tile + 6 * NR); Vector512.Store(c6_1, tile + 6 * NR + 16);
        Vector512.Store(c7_0, tile + 7 * NR); Vector512.Store(c7_1, tile + 7 * NR + 16);
    }

    /// <summary>c[0..15] = acc*alpha (+ beta*c unless beta is 0): the write-back of <see cref="IGemmMicroKernel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> acc, Vector512<float> alpha, Vector512<float> beta, float betaScalar)
    {
        Vector512<float> v = acc * alpha;
        if (betaScalar != 0f) v += beta * Vector512.Load(c);
        Vector512.Store(v, c);
    }
}
