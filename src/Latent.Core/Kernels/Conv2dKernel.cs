using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Core.Kernels;

/// <summary>
/// The three convolution products over a batch, each as im2col/col2im plus one GEMM per chunk of images:
/// <list type="bullet">
/// <item><see cref="Forward"/>: small[n,o,·] = W[o,:] · cols(big[n])           (Conv2d)</item>
/// <item><see cref="BackwardData"/>: big[n] = col2im(Wᵀ · small[n])              (ConvTranspose2d, dX of Conv2d)</item>
/// <item><see cref="WeightGrad"/>: dW[o,:] = Σ_n small[n,o,·] · cols(big[n])ᵀ   (dW of both)</item>
/// </list>
/// </summary>
/// <remarks>
/// Small images (28×28 and below) make per-image GEMMs too thin to be efficient, so a chunk of images is
/// laid side by side in one column matrix [C·Kh·Kw, nb·Ho·Wo] and multiplied at once; the chunk is sized
/// so the column matrix stays near <see cref="ColumnBudget"/> floats. im2col/col2im of the images of a
/// chunk run in parallel (each image owns its columns and its output plane). Buffers come from
/// <see cref="ArrayPool{T}.Shared"/>, so a training step allocates only its output tensors.
/// </remarks>
internal static class Conv2dKernel
{
    /// <summary>
    /// Target size of one chunk's column matrix, in floats (1 MiB, about one core's L2): the columns are written by
    /// im2col and read back by the GEMM's packing while still in cache. On the conv VAE's 32x14x14 -> 64x7x7 layer
    /// (10 images a chunk) this cut the forward, input-gradient and weight-gradient kernels from 4.4/3.5/4.1 ms to
    /// 3.5/3.3/3.3 ms of CPU a batch against 8 MiB chunks, and much more in wall time on a busy machine
    /// (bench/Latent.Bench convops). The weight gradient sums chunk by chunk, so this constant is part of its bits.
    /// </summary>
    internal const int ColumnBudget = 1 << 18;

    /// <summary>small [N,O,Ho,Wo] = conv(big [N,C,H,W], w [O,C,Kh,Kw]) + bias [O] (bias may be empty).</summary>
    public static void Forward(float[] big, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] small)
    {
        int k = g.K, p = g.SmallPlane, o = g.O;
        int nb = ChunkImages(g);
        float[] cols = ArrayPool<float>.Shared.Rent(k * nb * p);
        float[] tmp = ArrayPool<float>.Shared.Rent(o * nb * p);
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int cnt = Math.Min(nb, g.N - n0), ld = cnt * p;
                PackChunk(big, g, n0, cnt, cols, ld);
                if (cnt == 1)
                {
                    // One image: the GEMM's [O, Ho·Wo] result is already the output's layout.
                    Gemm.Sgemm(false, false, o, p, k, 1f, w.AsSpan(0, o * k), k, cols.AsSpan(0, k * ld), ld,
                        0f, small.AsSpan(n0 * o * p, o * p), p);
                    if (!bias.IsEmpty)
                        for (int oc = 0; oc < o; oc++)
                        {
                            var row = small.AsSpan((n0 * o + oc) * p, p);
                            TensorPrimitives.Add(row, bias[oc], row);
                        }
                    continue;
                }
                Gemm.Sgemm(false, false, o, ld, k, 1f, w.AsSpan(0, o * k), k, cols.AsSpan(0, k * ld), ld,
                    0f, tmp.AsSpan(0, o * ld), ld);
                // [O, cnt·P] -> [cnt, O, P], adding the bias on the way.
                for (int b = 0; b < cnt; b++)
                    for (int oc = 0; oc < o; oc++)
                    {
                        var src = tmp.AsSpan(oc * ld + b * p, p);
                        var dst = small.AsSpan(((n0 + b) * o + oc) * p, p);
                        if (bias.IsEmpty) src.CopyTo(dst);
                        else TensorPrimitives.Add(src, bias[oc], dst);
                    }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(tmp);
        }
    }

    /// <summary>
    /// big [N,C,H,W] = col2im(wᵀ · small) + bias [C] (bias may be empty): the adjoint of <see cref="Forward"/>
    /// in its input, i.e. a transposed convolution with weight [O,C,Kh,Kw]. <paramref name="big"/> is overwritten.
    /// </summary>
    public static void BackwardData(float[] small, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] big)
    {
        int k = g.K, p = g.SmallPlane, o = g.O, bigSize = g.C * g.BigPlane;
        int nb = ChunkImages(g);
        float[] cols = ArrayPool<float>.Shared.Rent(k * nb * p);
        float[] a = ArrayPool<float>.Shared.Rent(o * nb * p);
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int cnt = Math.Min(nb, g.N - n0), ld = cnt * p;
                ReadOnlySpan<float> aSpan;
                if (cnt == 1) aSpan = small.AsSpan(n0 * o * p, o * p);
                else
                {
                    GatherChannels(small, n0, cnt, o, p, a);
                    aSpan = a.AsSpan(0, o * ld);
                }
                Gemm.Sgemm(true, false, k, ld, o, 1f, w.AsSpan(0, o * k), k, aSpan, ld, 0f, cols.AsSpan(0, k * ld), ld);
                UnpackChunk(cols, ld, g, n0, cnt, big);
            }
            if (!bias.IsEmpty)
                for (int n = 0; n < g.N; n++)
                    for (int c = 0; c < g.C; c++)
                    {
                        var plane = big.AsSpan((n * g.C + c) * g.BigPlane, g.BigPlane);
                        TensorPrimitives.Add(plane, bias[c], plane);
                    }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(a);
        }
    }

    /// <summary>dw [O,C,Kh,Kw] = Σ_n small[n] [O, Ho·Wo] · cols(big[n])ᵀ; <paramref name="dw"/> is overwritten.</summary>
    public static void WeightGrad(float[] big, float[] small, in ConvGeometry g, float[] dw)
    {
        int k = g.K, p = g.SmallPlane, o = g.O;
        int nb = ChunkImages(g);
        float[] cols = ArrayPool<float>.Shared.Rent(k * nb * p);
        float[] a = ArrayPool<float>.Shared.Rent(o * nb * p);
        try
        {
            if (g.N == 0) dw.AsSpan(0, o * k).Clear();
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int cnt = Math.Min(nb, g.N - n0), ld = cnt * p;
                PackChunk(big, g, n0, cnt, cols, ld);
                ReadOnlySpan<float> aSpan;
                if (cnt == 1) aSpan = small.AsSpan(n0 * o * p, o * p);
                else
                {
                    GatherChannels(small, n0, cnt, o, p, a);
                    aSpan = a.AsSpan(0, o * ld);
                }
                Gemm.Sgemm(false, true, o, k, ld, 1f, aSpan, ld, cols.AsSpan(0, k * ld), ld,
                    n0 == 0 ? 0f : 1f, dw.AsSpan(0, o * k), k);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(a);
        }
    }

    /// <summary>
    /// <see cref="Forward"/> (no bias) and <see cref="WeightGrad"/> of the same big tensor in one sweep, packing each
    /// chunk's columns once: small [N,O,Ho,Wo] = conv(big, w) and dw [O,C,Kh,Kw] = Σ_n smallIn[n] · cols(big[n])ᵀ.
    /// The backward of a transposed convolution needs exactly this pair (big is its output gradient). Each result
    /// is the same sequence of operations as the separate calls, so the bits agree with them.
    /// </summary>
    public static void ForwardAndWeightGrad(float[] big, float[] w, float[] smallIn, in ConvGeometry g, float[] small, float[] dw)
    {
        int k = g.K, p = g.SmallPlane, o = g.O;
        int nb = ChunkImages(g);
        float[] cols = ArrayPool<float>.Shared.Rent(k * nb * p);
        float[] tmp = ArrayPool<float>.Shared.Rent(o * nb * p);
        try
        {
            if (g.N == 0) dw.AsSpan(0, o * k).Clear();
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int cnt = Math.Min(nb, g.N - n0), ld = cnt * p;
                PackChunk(big, g, n0, cnt, cols, ld);
                // Forward: [O, cnt·P] = w · cols, then scattered to [cnt, O, P] (as Forward without bias).
                Gemm.Sgemm(false, false, o, ld, k, 1f, w.AsSpan(0, o * k), k, cols.AsSpan(0, k * ld), ld,
                    0f, tmp.AsSpan(0, o * ld), ld);
                for (int b = 0; b < cnt; b++)
                    for (int oc = 0; oc < o; oc++)
                        tmp.AsSpan(oc * ld + b * p, p).CopyTo(small.AsSpan(((n0 + b) * o + oc) * p, p));
                // Weight gradient: gather smallIn to [O, cnt·P] (reusing tmp) and accumulate into dw.
                ReadOnlySpan<float> aSpan;
                if (cnt == 1) aSpan = smallIn.AsSpan(n0 * o * p, o * p);
                else
                {
                    GatherChannels(smallIn, n0, cnt, o, p, tmp);
                    aSpan = tmp.AsSpan(0, o * ld);
                }
                Gemm.Sgemm(false, true, o, k, ld, 1f, aSpan, ld, cols.AsSpan(0, k * ld), ld,
                    n0 == 0 ? 0f : 1f, dw.AsSpan(0, o * k), k);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(tmp);
        }
    }

    /// <summary>Images per chunk: as many as fit the column budget, at least one.</summary>
    private static int ChunkImages(in ConvGeometry g)
    {
        long perImage = Math.Max(1L, (long)g.K * g.SmallPlane);
        return (int)Math.Clamp(ColumnBudget / perImage, 1, Math.Max(1, g.N));
    }

    /// <summary>dst [O, cnt·P] with dst[o, b·P + q] = src[n0 + b, o, q].</summary>
    private static void GatherChannels(float[] src, int n0, int cnt, int o, int p, float[] dst)
    {
        int ld = cnt * p;
        for (int b = 0; b < cnt; b++)
            for (int oc = 0; oc < o; oc++)
                src.AsSpan(((n0 + b) * o + oc) * p, p).CopyTo(dst.AsSpan(oc * ld + b * p, p));
    }

    private static void PackChunk(float[] big, ConvGeometry g, int n0, int cnt, float[] cols, int ld) =>
        RunChunk(big, g, n0, cnt, cols, ld, unpack: false);

    private static void UnpackChunk(float[] cols, int ld, ConvGeometry g, int n0, int cnt, float[] big) =>
        RunChunk(big, g, n0, cnt, cols, ld, unpack: true);

    /// <summary>One chunk's im2col (or col2im, overwriting its images) as a <see cref="WorkerPool"/> job.</summary>
    private unsafe struct ChunkJob
    {
        public float* Big, Cols;
        public int BigLength, ColsLength, Ld, N0, Count, Parts;
        public bool Unpack;
        public ConvGeometry G;
    }

    /// <summary>
    /// Packs (or unpacks) images n0 .. n0+cnt of a chunk, split into one contiguous range of images per thread when
    /// there is enough work to pay for waking a worker (per-image work is small, so per-image scheduling would
    /// dominate). Runs on the kernel worker pool, which allocates nothing per call and lets the caller take the part
    /// of a worker the OS schedules late.
    /// </summary>
    private static unsafe void RunChunk(float[] big, in ConvGeometry g, int n0, int cnt, float[] cols, int ld, bool unpack)
    {
        int parts = Math.Min(Parallelism.MaxDegree, cnt);
        if ((long)cnt * g.K * g.SmallPlane < 1 << 15) parts = 1;
        fixed (float* pb = big, pc = cols)
        {
            var job = new ChunkJob
            {
                Big = pb, Cols = pc, BigLength = big.Length, ColsLength = cols.Length, Ld = ld, N0 = n0, Count = cnt,
                Parts = Math.Max(1, parts), Unpack = unpack, G = g,
            };
            if (job.Parts == 1) ChunkPart(&job, 0);
            else WorkerPool.Run(&ChunkPart, &job, job.Parts);
        }
    }

    private static unsafe void ChunkPart(void* ctx, int part)
    {
        ref ChunkJob job = ref *(ChunkJob*)ctx;
        int per = (job.Count + job.Parts - 1) / job.Parts;
        int lo = part * per, hi = Math.Min(job.Count, lo + per);
        int bigSize = job.G.C * job.G.BigPlane, p = job.G.SmallPlane;
        var cols = new Span<float>(job.Cols, job.ColsLength);
        for (int b = lo; b < hi; b++)
        {
            var image = new Span<float>(job.Big, job.BigLength).Slice((job.N0 + b) * bigSize, bigSize);
            if (job.Unpack) Im2Col.Unpack(cols, job.Ld, b * p, job.G, image, overwrite: true);
            else Im2Col.Pack(image, job.G, cols, job.Ld, b * p);
        }
    }
}
