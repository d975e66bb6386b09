using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Core.Kernels;

/// <summary>
/// The three convolution products over a batch, each as im2col/col2im plus one GEMM per chunk of images:
/// <list type="bullet">
/// <item><see cref="Forward"/>: small[n,o,·] = W[o,:] · cols(big[n])           (Conv2d)</item>
/// <item><see cref="BackwardData"/>: big[n] = col2im(Wᵀ · small[n])              (ConvTranspose2d, dX of Conv2d)</item>
/// <item><see cref="WeightGrad(float[], float[], in ConvGeometry, float[])"/>: dW[o,:] = Σ_n small[n,o,·] · cols(big[n])ᵀ   (dW of both)</item>
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
                Scatter(tmp, small, bias, n0, cnt, o, p);
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
                // col2im, each image's bias added right after its planes are written (still in cache).
                RunChunk(big, g, n0, cnt, cols, ld, unpack: true, bias);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(a);
        }
    }

    /// <summary>dw [O,C,Kh,Kw] = Σ_n small[n] [O, Ho·Wo] · cols(big[n])ᵀ; <paramref name="dw"/> is overwritten.</summary>
    public static void WeightGrad(float[] big, float[] small, in ConvGeometry g, float[] dw) => WeightGrad(big, small, g, dw, allowTranspose: true);

    /// <summary><see cref="WeightGrad(float[], float[], in ConvGeometry, float[])"/>; tests turn the transposed product off to compare bits.</summary>
    internal static void WeightGrad(float[] big, float[] small, in ConvGeometry g, float[] dw, bool allowTranspose)
    {
        int k = g.K, p = g.SmallPlane, o = g.O;
        int nb = ChunkImages(g);
        float[] cols = ArrayPool<float>.Shared.Rent(k * nb * p);
        float[] a = ArrayPool<float>.Shared.Rent(o * nb * p);
        float[]? dwT = allowTranspose && TransposeWeightGrad(k, o) ? ArrayPool<float>.Shared.Rent(k * o) : null;
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
                WeightGradProduct(aSpan, cols, o, k, ld, n0 == 0 ? 0f : 1f, dw, dwT);
            }
            if (dwT != null && g.N > 0) TransposeInto(dwT, k, o, dw);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(a);
            if (dwT != null) ArrayPool<float>.Shared.Return(dwT);
        }
    }

    /// <summary>
    /// Whether the weight gradient [O, K] is computed as its transpose cols · sᵀ [K, O]: when that needs at least a
    /// quarter fewer micro-kernel tiles. The first layer's K = 16 is half a 32-column strip of the AVX-512 kernel but
    /// two 14-row strips of it: 2 tiles per k step instead of 3, and its transposed B packing becomes full 8 x 8 blocks
    /// (0.94 -> 0.6 ms of thread CPU a batch of 128, bench/Latent.Bench convops). Closer calls (K = 512, O = 64: 74
    /// against 80 tiles) measured no gain, and the forward product transposed was slower, so neither is transposed.
    /// Each element is the same chain of fused multiply-adds either way (fma(a, b, c) = fma(b, a, c)), in the same
    /// k-block and chunk order, so the bits do not change.
    /// </summary>
    internal static bool TransposeWeightGrad(int k, int o) => 4 * Gemm.PaddedTiles(k, o) <= 3 * Gemm.PaddedTiles(o, k);

    /// <summary>
    /// One chunk's weight-gradient product: dw [O, K] = s [O, ld] · cols [K, ld]ᵀ + beta · dw, or, when
    /// <paramref name="dwT"/> is given, dwT [K, O] = cols · sᵀ + beta · dwT (transposed into dw at the end).
    /// </summary>
    private static void WeightGradProduct(ReadOnlySpan<float> s, float[] cols, int o, int k, int ld, float beta, float[] dw, float[]? dwT)
    {
        if (dwT == null)
            Gemm.Sgemm(false, true, o, k, ld, 1f, s, ld, cols.AsSpan(0, k * ld), ld, beta, dw.AsSpan(0, o * k), k);
        else
            Gemm.Sgemm(false, true, k, o, ld, 1f, cols.AsSpan(0, k * ld), ld, s, ld, beta, dwT.AsSpan(0, k * o), o);
    }

    /// <summary>dst [cols, rows] = src [rows, cols]ᵀ.</summary>
    private static void TransposeInto(float[] src, int rows, int cols, float[] dst)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[j * rows + i] = src[i * cols + j];
    }

    /// <summary>
    /// <see cref="Forward"/> (no bias) and <see cref="WeightGrad(float[], float[], in ConvGeometry, float[])"/> of the same big tensor in one sweep, packing each
    /// chunk's columns once: small [N,O,Ho,Wo] = conv(big, w) and dw [O,C,Kh,Kw] = Σ_n smallIn[n] · cols(big[n])ᵀ.
    /// The backward of a transposed convolution needs exactly this pair (big is its output gradient). Each result
    /// is the same sequence of operations as the separate calls, so the bits agree with them.
    /// </summary>
    public static void ForwardAndWeightGrad(float[] big, float[] w, float[] smallIn, in ConvGeometry g, float[] small, float[] dw) =>
        ForwardAndWeightGrad(big, w, smallIn, g, small, dw, allowTranspose: true);

    /// <summary><see cref="ForwardAndWeightGrad(float[], float[], float[], in ConvGeometry, float[], float[])"/>; tests turn the transposed weight gradient off.</summary>
    internal static void ForwardAndWeightGrad(float[] big, float[] w, float[] smallIn, in ConvGeometry g, float[] small, float[] dw, bool allowTranspose)
    {
        int k = g.K, p = g.SmallPlane, o = g.O;
        int nb = ChunkImages(g);
        float[] cols = ArrayPool<float>.Shared.Rent(k * nb * p);
        float[] tmp = ArrayPool<float>.Shared.Rent(o * nb * p);
        float[]? dwT = allowTranspose && TransposeWeightGrad(k, o) ? ArrayPool<float>.Shared.Rent(k * o) : null;
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
                Scatter(tmp, small, default, n0, cnt, o, p);
                // Weight gradient: gather smallIn to [O, cnt·P] (reusing tmp) and accumulate into dw.
                ReadOnlySpan<float> aSpan;
                if (cnt == 1) aSpan = smallIn.AsSpan(n0 * o * p, o * p);
                else
                {
                    GatherChannels(smallIn, n0, cnt, o, p, tmp);
                    aSpan = tmp.AsSpan(0, o * ld);
                }
                WeightGradProduct(aSpan, cols, o, k, ld, n0 == 0 ? 0f : 1f, dw, dwT);
            }
            if (dwT != null && g.N > 0) TransposeInto(dwT, k, o, dw);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(tmp);
            if (dwT != null) ArrayPool<float>.Shared.Return(dwT);
        }
    }

    /// <summary>Images per chunk: as many as fit the column budget, at least one.</summary>
    private static int ChunkImages(in ConvGeometry g)
    {
        long perImage = Math.Max(1L, (long)g.K * g.SmallPlane);
        return (int)Math.Clamp(ColumnBudget / perImage, 1, Math.Max(1, g.N));
    }

    /// <summary>dst [O, cnt·P] with dst[o, b·P + q] = src[n0 + b, o, q].</summary>
    private static void GatherChannels(float[] src, int n0, int cnt, int o, int p, float[] dst) =>
        Rearrange(dst, src, default, n0, cnt, o, p, toImages: false);

    /// <summary>dst [n0 + b, o, q] = src[o, b·P + q] (+ bias[o] when given): the forward's GEMM result to image order.</summary>
    private static void Scatter(float[] src, float[] dst, ReadOnlySpan<float> bias, int n0, int cnt, int o, int p) =>
        Rearrange(src, dst, bias, n0, cnt, o, p, toImages: true);

    /// <summary>Between a chunk's channel-major matrix [O, cnt·P] and its images [cnt, O, P], as a job.</summary>
    private unsafe struct RearrangeJob
    {
        public float* Mat, Images, Bias;
        public int O, P, Ld, N0;
        public bool ToImages;
    }

    /// <summary>
    /// Copies a chunk between [O, cnt·P] (<paramref name="mat"/>) and [N, O, P] (<paramref name="images"/>), adding
    /// the bias on the way to the images when given; images are split between threads (each writes its own rows).
    /// </summary>
    private static unsafe void Rearrange(float[] mat, float[] images, ReadOnlySpan<float> bias, int n0, int cnt, int o, int p, bool toImages)
    {
        fixed (float* pm = mat, pi = images, pbias = bias)
        {
            var job = new RearrangeJob
            {
                Mat = pm, Images = pi, Bias = bias.IsEmpty ? null : pbias, O = o, P = p, Ld = cnt * p, N0 = n0, ToImages = toImages,
            };
            ParallelRange.For(cnt, 1, 2L * o * p, &RearrangePart, &job);
        }
    }

    private static unsafe void RearrangePart(void* ctx, int lo, int hi)
    {
        ref RearrangeJob job = ref *(RearrangeJob*)ctx;
        int o = job.O, p = job.P;
        for (int b = lo; b < hi; b++)
            for (int oc = 0; oc < o; oc++)
            {
                var m = new Span<float>(job.Mat + (long)oc * job.Ld + (long)b * p, p);
                var img = new Span<float>(job.Images + ((long)(job.N0 + b) * o + oc) * p, p);
                if (!job.ToImages) img.CopyTo(m);
                else if (job.Bias == null) m.CopyTo(img);
                else TensorPrimitives.Add(m, job.Bias[oc], img);
            }
    }

    /// <summary>
    /// bias gradient [C] of g [N, C, plane]: Σ over n and the plane, in the order of <c>g.Sum([0, 2, 3])</c>
    /// (each row of W by <c>TensorPrimitives.Sum</c>, the H row sums likewise, then the
    /// images in order from 0), so the bits equal that reduction's; channels are split between threads.
    /// </summary>
    public static unsafe void BiasGrad(float[] g, int n, int c, int h, int w, float[] db)
    {
        fixed (float* pg = g, pd = db)
        {
            var job = new BiasGradJob { G = pg, Db = pd, N = n, C = c, H = h, W = w };
            ParallelRange.For(c, 1, (long)n * h * w, &BiasGradPart, &job);
        }
    }

    private unsafe struct BiasGradJob
    {
        public float* G, Db;
        public int N, C, H, W;
    }

    private static unsafe void BiasGradPart(void* ctx, int lo, int hi)
    {
        ref BiasGradJob job = ref *(BiasGradJob*)ctx;
        int h = job.H, w = job.W;
        Span<float> rows = h <= 256 ? stackalloc float[h] : new float[h];
        for (int ch = lo; ch < hi; ch++)
        {
            float acc = 0f;
            for (int b = 0; b < job.N; b++)
            {
                float* plane = job.G + ((long)b * job.C + ch) * h * w;
                for (int y = 0; y < h; y++) rows[y] = TensorPrimitives.Sum(new ReadOnlySpan<float>(plane + (long)y * w, w));
                acc += TensorPrimitives.Sum(rows);
            }
            job.Db[ch] = acc;
        }
    }

    private static void PackChunk(float[] big, ConvGeometry g, int n0, int cnt, float[] cols, int ld) =>
        RunChunk(big, g, n0, cnt, cols, ld, unpack: false);


    /// <summary>One chunk's im2col (or col2im, overwriting its images) as a <see cref="WorkerPool"/> job.</summary>
    private unsafe struct ChunkJob
    {
        public float* Big, Cols, Bias;
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
    private static unsafe void RunChunk(float[] big, in ConvGeometry g, int n0, int cnt, float[] cols, int ld, bool unpack,
        ReadOnlySpan<float> bias = default)
    {
        int parts = Math.Min(Parallelism.MaxDegree, cnt);
        if ((long)cnt * g.K * g.SmallPlane < 1 << 15) parts = 1;
        fixed (float* pb = big, pc = cols, pbias = bias)
        {
            var job = new ChunkJob
            {
                Big = pb, Cols = pc, Bias = bias.IsEmpty ? null : pbias, BigLength = big.Length, ColsLength = cols.Length, Ld = ld, N0 = n0, Count = cnt,
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
            if (job.Unpack)
            {
                Im2Col.Unpack(cols, job.Ld, b * p, job.G, image, overwrite: true);
                if (job.Bias != null)
                    for (int c = 0; c < job.G.C; c++)
                    {
                        var plane = image.Slice(c * job.G.BigPlane, job.G.BigPlane);
                        TensorPrimitives.Add(plane, job.Bias[c], plane);
                    }
            }
            else Im2Col.Pack(image, job.G, cols, job.Ld, b * p);
        }
    }
}
