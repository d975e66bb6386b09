using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// The AVX2 + FMA tiles of <see cref="DirectConv"/>, for machines without AVX-512: the same chain per output element, in
/// 6 rows × 16 channels (12 ymm accumulators of 16 registers; two more hold the weight vectors, one the broadcast input),
/// as <see cref="GemmKernelAvx2"/>, over weights packed 16 channels wide (<see cref="Width"/>); lane l of c{i}_{J} holds
/// row i, channel 8J + l of the block. The bits equal the AVX-512 tiles' and the scalar twins'.
/// </summary>
internal static unsafe partial class DirectConv
{
    /// <summary>Rows of one AVX2 tile.</summary>
    private const int MaxRows256 = 6;

    /// <summary>Channels of one AVX2 tile (half an AVX-512 block).</summary>
    private const int Half = Block / 2;

    private struct ForwardTile256 : ITileKernel<TileJob>
    {
        public static void Run<TRows>(ref TileJob job) where TRows : struct, IRows => Tile256<TRows>(ref job);
    }

    private struct GradientTile256 : ITileKernel<GradJob>
    {
        public static void Run<TRows>(ref GradJob job) where TRows : struct, IRows => GradTile256<TRows>(ref job);
    }

    /// <summary>
    /// One AVX2 tile of TRows.N rows × 16 channels: job.Weights is a 16-wide packed block (16 floats per (t, c)), job.Count
    /// its valid channels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256<TRows>(ref TileJob job) where TRows : struct, IRows
    {
        int n = TRows.N;
        if (n > MaxRows256) throw new ArgumentOutOfRangeException(nameof(TRows), n, "DirectConv: an AVX2 tile has 1 to 6 rows");
        Vector256<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default;
        Vector256<float> c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        float* input = job.Input;
        int* rowIn = job.RowIn;
        float* w = job.Weights;
        int channels = job.Channels;
        for (int t = 0; t < job.Taps; t++)
        {
            float* tap = input + job.TapOff[t];
            float* a0 = tap + rowIn[0];
            float* a1 = n > 1 ? tap + rowIn[1] : null;
            float* a2 = n > 2 ? tap + rowIn[2] : null;
            float* a3 = n > 3 ? tap + rowIn[3] : null;
            float* a4 = n > 4 ? tap + rowIn[4] : null;
            float* a5 = n > 5 ? tap + rowIn[5] : null;
            for (int c = 0; c < channels; c++, w += Half)
            {
                Vector256<float> b0 = Vector256.Load(w), b1 = Vector256.Load(w + 8);
                { Vector256<float> a = Vector256.Create(a0[c]); c0_0 = Fma.MultiplyAdd(a, b0, c0_0); c0_1 = Fma.MultiplyAdd(a, b1, c0_1); }
                if (n > 1) { Vector256<float> a = Vector256.Create(a1[c]); c1_0 = Fma.MultiplyAdd(a, b0, c1_0); c1_1 = Fma.MultiplyAdd(a, b1, c1_1); }
                if (n > 2) { Vector256<float> a = Vector256.Create(a2[c]); c2_0 = Fma.MultiplyAdd(a, b0, c2_0); c2_1 = Fma.MultiplyAdd(a, b1, c2_1); }
                if (n > 3) { Vector256<float> a = Vector256.Create(a3[c]); c3_0 = Fma.MultiplyAdd(a, b0, c3_0); c3_1 = Fma.MultiplyAdd(a, b1, c3_1); }
                if (n > 4) { Vector256<float> a = Vector256.Create(a4[c]); c4_0 = Fma.MultiplyAdd(a, b0, c4_0); c4_1 = Fma.MultiplyAdd(a, b1, c4_1); }
                if (n > 5) { Vector256<float> a = Vector256.Create(a5[c]); c5_0 = Fma.MultiplyAdd(a, b0, c5_0); c5_1 = Fma.MultiplyAdd(a, b1, c5_1); }
            }
        }
        Vector256<float> bias0 = Vector256.Load(job.Bias), bias1 = Vector256.Load(job.Bias + 8);
        Store256(ref job, 0, c0_0, c0_1, bias0, bias1);
        if (n > 1) Store256(ref job, 1, c1_0, c1_1, bias0, bias1);
        if (n > 2) Store256(ref job, 2, c2_0, c2_1, bias0, bias1);
        if (n > 3) Store256(ref job, 3, c3_0, c3_1, bias0, bias1);
        if (n > 4) Store256(ref job, 4, c4_0, c4_1, bias0, bias1);
        if (n > 5) Store256(ref job, 5, c5_0, c5_1, bias0, bias1);
    }

    /// <summary>Row r's 16 sums plus the bias, clamped at 0 for ReLU as in <see cref="Store"/>; only the valid channels are stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(ref TileJob job, int r, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> bias0, Vector256<float> bias1)
    {
        Vector256<float> v0 = acc0 + bias0, v1 = acc1 + bias1;
        if (job.Relu)
        {
            v0 = Avx.Max(v0, Vector256<float>.Zero);
            v1 = Avx.Max(v1, Vector256<float>.Zero);
        }
        Store16(job.Output + job.RowOut[r], job.Count, v0, v1, job.Spill);
    }

    /// <summary>The first <paramref name="count"/> of the 16 floats v0, v1 to d (through <paramref name="spill"/> when fewer than 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(float* d, int count, Vector256<float> v0, Vector256<float> v1, float* spill)
    {
        if (count == Half)
        {
            Vector256.Store(v0, d);
            Vector256.Store(v1, d + 8);
            return;
        }
        Vector256.Store(v0, spill);
        Vector256.Store(v1, spill + 8);
        for (int j = 0; j < count; j++) d[j] = spill[j];
    }

    /// <summary>
    /// One AVX2 weight-gradient tile of TRows.N output channels × 16 input channels: <see cref="GradTile{TRows}"/>'s
    /// chain, q ascending, with b0, b1 the input's 16 channels at row q's window.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradTile256<TRows>(ref GradJob job) where TRows : struct, IRows
    {
        int n = TRows.N;
        if (n > MaxRows256) throw new ArgumentOutOfRangeException(nameof(TRows), n, "DirectConv: an AVX2 tile has 1 to 6 rows");
        Vector256<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default;
        Vector256<float> c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        if (job.Accumulate)
        {
            Load256(ref job, 0, out c0_0, out c0_1);
            if (n > 1) Load256(ref job, 1, out c1_0, out c1_1);
            if (n > 2) Load256(ref job, 2, out c2_0, out c2_1);
            if (n > 3) Load256(ref job, 3, out c3_0, out c3_1);
            if (n > 4) Load256(ref job, 4, out c4_0, out c4_1);
            if (n > 5) Load256(ref job, 5, out c5_0, out c5_1);
        }
        float* a = job.A;
        nint lda = job.Lda;
        float* input = job.Input;
        int* rowIn = job.RowIn;
        for (int q = 0; q < job.Rows; q++, a += lda)
        {
            float* b = input + rowIn[q];
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            { Vector256<float> v = Vector256.Create(a[0]); c0_0 = Fma.MultiplyAdd(v, b0, c0_0); c0_1 = Fma.MultiplyAdd(v, b1, c0_1); }
            if (n > 1) { Vector256<float> v = Vector256.Create(a[1]); c1_0 = Fma.MultiplyAdd(v, b0, c1_0); c1_1 = Fma.MultiplyAdd(v, b1, c1_1); }
            if (n > 2) { Vector256<float> v = Vector256.Create(a[2]); c2_0 = Fma.MultiplyAdd(v, b0, c2_0); c2_1 = Fma.MultiplyAdd(v, b1, c2_1); }
            if (n > 3) { Vector256<float> v = Vector256.Create(a[3]); c3_0 = Fma.MultiplyAdd(v, b0, c3_0); c3_1 = Fma.MultiplyAdd(v, b1, c3_1); }
            if (n > 4) { Vector256<float> v = Vector256.Create(a[4]); c4_0 = Fma.MultiplyAdd(v, b0, c4_0); c4_1 = Fma.MultiplyAdd(v, b1, c4_1); }
            if (n > 5) { Vector256<float> v = Vector256.Create(a[5]); c5_0 = Fma.MultiplyAdd(v, b0, c5_0); c5_1 = Fma.MultiplyAdd(v, b1, c5_1); }
        }
        Save256(ref job, 0, c0_0, c0_1);
        if (n > 1) Save256(ref job, 1, c1_0, c1_1);
        if (n > 2) Save256(ref job, 2, c2_0, c2_1);
        if (n > 3) Save256(ref job, 3, c3_0, c3_1);
        if (n > 4) Save256(ref job, 4, c4_0, c4_1);
        if (n > 5) Save256(ref job, 5, c5_0, c5_1);
    }

    /// <summary>Row r's 16 running sums from dst (zeros past the valid channels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load256(ref GradJob job, int r, out Vector256<float> acc0, out Vector256<float> acc1)
    {
        float* d = job.Dst + (long)r * job.Ldd;
        if (job.Count == Half)
        {
            acc0 = Vector256.Load(d);
            acc1 = Vector256.Load(d + 8);
            return;
        }
        float* tmp = job.Spill;
        for (int j = 0; j < Half; j++) tmp[j] = j < job.Count ? d[j] : 0f;
        acc0 = Vector256.Load(tmp);
        acc1 = Vector256.Load(tmp + 8);
    }

    /// <summary>Row r's 16 sums to dst, only the valid channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Save256(ref GradJob job, int r, Vector256<float> acc0, Vector256<float> acc1) =>
        Store16(job.Dst + (long)r * job.Ldd, job.Count, acc0, acc1, job.Spill);
}
