using System.Numerics;
using System.Runtime.CompilerServices;

namespace Latent.Core.Kernels;

/// <summary>
/// Portable micro-kernel on <see cref="Vector{T}"/> where it is hardware-accelerated but neither x86 kernel
/// applies (W = Vector&lt;float&gt;.Count lanes: 4 on NEON or SSE-only x86): a 4 x 2W tile of C in 8 vector accumulators.
/// </summary>
/// <remarks>
/// Per k step p: b0, b1 = packed B[p, 0..W-1], B[p, W..2W-1] (lane l of bJ is column J*W + l); for each row i,
/// ai = A[i, p] in every lane and c{i}_J += ai * bJ. Unlike the x86 kernels this is a separate multiply and add
/// (no portable fused form is guaranteed to be fast), so its results differ from theirs in the last bit;
/// it is still one fixed order per element, so thread counts do not change the bits. No tail: the driver
/// pads partial strips with zeros and routes edge tiles through a scratch tile.
/// </remarks>
internal readonly unsafe struct GemmKernelPortable : IGemmMicroKernel
{
    public static int MR => 4;
    public static int NR => 2 * Vector<float>.Count;
    public static int KC => 256;
    public static int MC => 64;
    public static int NC => 1024;
    public static string Name => "VectorT";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        Vector<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default;
        Vector<float> c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector<float> b0 = *(Vector<float>*)b, b1 = *(Vector<float>*)(b + w);
            Vector<float> ai = new(a[0]); c0_0 += ai * b0; c0_1 += ai * b1;
            ai = new(a[1]); c1_0 += ai * b0; c1_1 += ai * b1;
            ai = new(a[2]); c2_0 += ai * b0; c2_1 += ai * b1;
            ai = new(a[3]); c3_0 += ai * b0; c3_1 += ai * b1;
            a += 4;
            b += 2 * w;
        }
        Vector<float> va = new(alpha), vb = new(beta);
        Update(c, c0_0, va, vb, beta); Update(c + w, c0_1, va, vb, beta);
        Update(c + ldc, c1_0, va, vb, beta); Update(c + ldc + w, c1_1, va, vb, beta);
        Update(c + 2 * ldc, c2_0, va, vb, beta); Update(c + 2 * ldc + w, c2_1, va, vb, beta);
        Update(c + 3 * ldc, c3_0, va, vb, beta); Update(c + 3 * ldc + w, c3_1, va, vb, beta);
    }

    /// <summary>c[0..W-1] = acc*alpha (+ beta*c unless beta is 0): the write-back of <see cref="IGemmMicroKernel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector<float> acc, Vector<float> alpha, Vector<float> beta, float betaScalar)
    {
        Vector<float> v = acc * alpha;
        if (betaScalar != 0f) v += beta * *(Vector<float>*)c;
        *(Vector<float>*)c = v;
    }
}
