using System.Runtime.CompilerServices;

namespace Latent.Core.Kernels;

/// <summary>
/// Scalar micro-kernel, for when no vector hardware is usable (e.g. <c>DOTNET_EnableHWIntrinsic=0</c>, where
/// <see cref="System.Numerics.Vector{T}"/> is emulated in software and far slower than plain floats): a
/// 4 x 4 tile of C in 16 float accumulators.
/// </summary>
/// <remarks>
/// Per k step p: b0..b3 = packed B[p, 0..3], a0..a3 = packed A[0..3, p], and c{i}_{j} += a{i} * b{j} (multiply,
/// then add: unfused, like <see cref="GemmKernelPortable"/>). No tail: the driver pads partial strips with
/// zeros and routes edge tiles through a scratch tile.
/// </remarks>
internal readonly unsafe struct GemmKernelScalar : IGemmMicroKernel
{
    public static int MR => 4;
    public static int NR => 4;
    public static int KC => 256;
    public static int MC => 64;
    public static int NC => 512;
    public static string Name => "fallback";

    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c0_0 = 0f, c0_1 = 0f, c0_2 = 0f, c0_3 = 0f;
        float c1_0 = 0f, c1_1 = 0f, c1_2 = 0f, c1_3 = 0f;
        float c2_0 = 0f, c2_1 = 0f, c2_2 = 0f, c2_3 = 0f;
        float c3_0 = 0f, c3_1 = 0f, c3_2 = 0f, c3_3 = 0f;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0]; c0_0 += a0 * b0; c0_1 += a0 * b1; c0_2 += a0 * b2; c0_3 += a0 * b3;
            float a1 = a[1]; c1_0 += a1 * b0; c1_1 += a1 * b1; c1_2 += a1 * b2; c1_3 += a1 * b3;
            float a2 = a[2]; c2_0 += a2 * b0; c2_1 += a2 * b1; c2_2 += a2 * b2; c2_3 += a2 * b3;
            float a3 = a[3]; c3_0 += a3 * b0; c3_1 += a3 * b1; c3_2 += a3 * b2; c3_3 += a3 * b3;
            a += 4;
            b += 4;
        }
        Update(c + 0 * ldc + 0, c0_0, alpha, beta); Update(c + 0 * ldc + 1, c0_1, alpha, beta); Update(c + 0 * ldc + 2, c0_2, alpha, beta); Update(c + 0 * ldc + 3, c0_3, alpha, beta);
        Update(c + 1 * ldc + 0, c1_0, alpha, beta); Update(c + 1 * ldc + 1, c1_1, alpha, beta); Update(c + 1 * ldc + 2, c1_2, alpha, beta); Update(c + 1 * ldc + 3, c1_3, alpha, beta);
        Update(c + 2 * ldc + 0, c2_0, alpha, beta); Update(c + 2 * ldc + 1, c2_1, alpha, beta); Update(c + 2 * ldc + 2, c2_2, alpha, beta); Update(c + 2 * ldc + 3, c2_3, alpha, beta);
        Update(c + 3 * ldc + 0, c3_0, alpha, beta); Update(c + 3 * ldc + 1, c3_1, alpha, beta); Update(c + 3 * ldc + 2, c3_2, alpha, beta); Update(c + 3 * ldc + 3, c3_3, alpha, beta);
    }

    /// <summary>c = acc*alpha (+ beta*c unless beta is 0): the write-back of <see cref="IGemmMicroKernel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, float acc, float alpha, float beta)
    {
        float v = acc * alpha;
        if (beta != 0f) v += beta * *c;
        *c = v;
    }
}
