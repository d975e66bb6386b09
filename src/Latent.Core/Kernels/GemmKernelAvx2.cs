using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// AVX2 + FMA micro-kernel: a 6 x 16 tile of C in 12 ymm accumulators (of 16 ymm registers; 2 more hold the
/// B vectors and 1 the broadcast A value).
/// </summary>
/// <remarks>
/// Per k step p: b0, b1 = packed B[p, 0..7], B[p, 8..15] (lane l of bJ is column 8J + l); for each row i,
/// ai = A[i, p] in all 8 lanes and c{i}_J = fma(ai, bJ, c{i}_J), so lane l of c{i}_J accumulates C[i, 8J + l]
/// exactly as the scalar loop <c>acc = fma(a[p*6 + i], b[p*16 + j], acc)</c> on <see cref="IGemmMicroKernel"/>.
/// There is no tail: the driver pads partial strips with zeros and routes edge tiles through a scratch tile.
/// </remarks>
internal readonly unsafe struct GemmKernelAvx2 : IGemmMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;
    public static int KC => 256;
    public static int MC => 72;
    public static int NC => 1024;
    public static string Name => "Vector256";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        // The C tile's rows (each 64 bytes, maybe across two lines) are fetched while the loop runs: with C much larger
        // than L2 they come from L3, and loaded only at the write-back their misses would stall the core.
        for (int i = 0; i < MR; i++)
        {
            Sse.Prefetch0(c + i * ldc);
            Sse.Prefetch0(c + i * ldc + NR - 1);
        }
        Vector256<float> c0_0 = default; Vector256<float> c0_1 = default;
        Vector256<float> c1_0 = default; Vector256<float> c1_1 = default;
        Vector256<float> c2_0 = default; Vector256<float> c2_1 = default;
        Vector256<float> c3_0 = default; Vector256<float> c3_1 = default;
        Vector256<float> c4_0 = default; Vector256<float> c4_1 = default;
        Vector256<float> c5_0 = default; Vector256<float> c5_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.LoadAligned(b + 0); Vector256<float> b1 = Vector256.LoadAligned(b + 8);
            { Vector256<float> ai = Vector256.Create(a[0]); c0_0 = Fma.MultiplyAdd(ai, b0, c0_0); c0_1 = Fma.MultiplyAdd(ai, b1, c0_1); }
            { Vector256<float> ai = Vector256.Create(a[1]); c1_0 = Fma.MultiplyAdd(ai, b0, c1_0); c1_1 = Fma.MultiplyAdd(ai, b1, c1_1); }
            { Vector256<float> ai = Vector256.Create(a[2]); c2_0 = Fma.MultiplyAdd(ai, b0, c2_0); c2_1 = Fma.MultiplyAdd(ai, b1, c2_1); }
            { Vector256<float> ai = Vector256.Create(a[3]); c3_0 = Fma.MultiplyAdd(ai, b0, c3_0); c3_1 = Fma.MultiplyAdd(ai, b1, c3_1); }
            { Vector256<float> ai = Vector256.Create(a[4]); c4_0 = Fma.MultiplyAdd(ai, b0, c4_0); c4_1 = Fma.MultiplyAdd(ai, b1, c4_1); }
            { Vector256<float> ai = Vector256.Create(a[5]); c5_0 = Fma.MultiplyAdd(ai, b0, c5_0); c5_1 = Fma.MultiplyAdd(ai, b1, c5_1); }
            a += MR;
            b += NR;
        }
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        Update(c + 0 * ldc + 0, c0_0, va, vb, beta); Update(c + 0 * ldc + 8, c0_1, va, vb, beta);
        Update(c + 1 * ldc + 0, c1_0, va, vb, beta); Update(c + 1 * ldc + 8, c1_1, va, vb, beta);
        Update(c + 2 * ldc + 0, c2_0, va, vb, beta); Update(c + 2 * ldc + 8, c2_1, va, vb, beta);
        Update(c + 3 * ldc + 0, c3_0, va, vb, beta); Update(c + 3 * ldc + 8, c3_1, va, vb, beta);
        Update(c + 4 * ldc + 0, c4_0, va, vb, beta); Update(c + 4 * ldc + 8, c4_1, va, vb, beta);
        Update(c + 5 * ldc + 0, c5_0, va, vb, beta); Update(c + 5 * ldc + 8, c5_1, va, vb, beta);
    }

    /// <summary>c[0..7] = acc*alpha (+ beta*c unless beta is 0): the write-back of <see cref="IGemmMicroKernel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> acc, Vector256<float> alpha, Vector256<float> beta, float betaScalar)
    {
        Vector256<float> v = acc * alpha;
        if (betaScalar != 0f) v += beta * Vector256.Load(c);
        Vector256.Store(v, c);
    }
}
