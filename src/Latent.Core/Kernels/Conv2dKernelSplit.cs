using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// The convolution products as they run: one fork-join per call, and each GEMM in the orientation with fewer
/// micro-kernel tiles. The <c>…Chunked</c> methods are the earlier in-chunk path, kept as the twin the tests
/// compare these against bit for bit.
/// </summary>
/// <remarks>
/// <para>
/// Threads: <see cref="Forward"/> and <see cref="BackwardData"/> treat images independently, so each thread claims
/// chunks of images until none is left (a thread the OS schedules late simply claims fewer) and runs im2col, a
/// single-threaded GEMM and the rearrangement on its own buffers. No element's sum depends on which images share a
/// chunk, so these chunks are cut evenly, a multiple of the thread count. <see cref="WeightGrad"/> sums over the
/// chunks in order, so its chunks stay those of <see cref="ChunkImages"/>; the threads split dW by whole input
/// channels instead, each packing only its channels' rows of the column matrix. With one input channel (the first
/// layer) the chunks run one after another with the GEMM and im2col split inside, as before.
/// </para>
/// <para>
/// Orientation: the forward product W·cols [O, n·P] and the weight gradient S·colsᵀ [O, K] are computed as their
/// transposes (colsᵀ·Wᵀ, cols·Sᵀ) when that needs fewer padded tiles, e.g. O = 64 is 5 strips of 14 rows on the
/// AVX-512 kernel (6 rows wasted, a fifth of the tiles at the edge) but exactly 2 strips of 32 columns. Each element
/// is the same fused multiply-add chain either way (fma(a, b, c) = fma(b, a, c)), so the bits do not change.
/// </para>
/// </remarks>
internal static partial class Conv2dKernel
{
    /// <summary>small [N,O,Ho,Wo] = conv(big [N,C,H,W], w [O,C,Kh,Kw]) + bias [O] (bias may be empty).</summary>
    public static void Forward(float[] big, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] small) =>
        ImageSplit(big, w, bias, g, small, backwardData: false);

    /// <summary>
    /// big [N,C,H,W] = col2im(wᵀ · small) + bias [C] (bias may be empty): the adjoint of <see cref="Forward"/>
    /// in its input, i.e. a transposed convolution with weight [O,C,Kh,Kw]. <paramref name="big"/> is overwritten.
    /// </summary>
    public static void BackwardData(float[] small, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] big) =>
        ImageSplit(big, w, bias, g, small, backwardData: true);

    /// <summary>dw [O,C,Kh,Kw] = Σ_n small[n] [O, Ho·Wo] · cols(big[n])ᵀ; <paramref name="dw"/> is overwritten.</summary>
    public static unsafe void WeightGrad(float[] big, float[] small, in ConvGeometry g, float[] dw)
    {
        if (g.N == 0 || g.K == 0)
        {
            dw.AsSpan(0, g.O * g.K).Clear();
            return;
        }
        int parts = Mode == 2 ? 1 : WorkParts(g, g.C);
        fixed (float* pb = big, ps = small, pd = dw)
        {
            var job = new SplitJob
            {
                Big = pb, Small = ps, Dw = pd, BigLength = big.Length, SmallLength = small.Length, G = g, Parts = parts,
                InnerParallel = parts == 1 && Parallelism.MaxDegree > 1,
            };
            if (parts == 1) WeightGradPart(&job, 0);
            else WorkerPool.Run(&WeightGradPart, &job, parts);
        }
    }

    /// <summary>
    /// <see cref="Forward"/> (no bias) and <see cref="WeightGrad"/> of the same big tensor: small [N,O,Ho,Wo] = conv(big, w)
    /// and dw [O,C,Kh,Kw] = Σ_n smallIn[n] · cols(big[n])ᵀ, the pair the backward of a transposed convolution needs.
    /// On one thread each chunk's columns are packed once for both products; split between threads, the two products
    /// run one after the other (the columns are packed once for each). Bits as the separate calls.
    /// </summary>
    public static void ForwardAndWeightGrad(float[] big, float[] w, float[] smallIn, in ConvGeometry g, float[] small, float[] dw)
    {
        if ((Parallelism.MaxDegree > 1 && Mode == 0) || g.N == 0 || g.K == 0)
        {
            Forward(big, w, default, g, small);
            WeightGrad(big, smallIn, g, dw);
            return;
        }
        int k = g.K, p = g.SmallPlane, o = g.O;
        int nb = ChunkImages(g);
        float[] cols = ArrayPool<float>.Shared.Rent(k * nb * p);
        float[] tmp = ArrayPool<float>.Shared.Rent(o * nb * p);
        float[] dwT = ArrayPool<float>.Shared.Rent(k * o);
        bool transposeW = TransposeWeightGrad(k, o);
        try
        {
            for (int n0 = 0; n0 < g.N; n0 += nb)
            {
                int cnt = Math.Min(nb, g.N - n0), ld = cnt * p;
                PackChunk(big, g, n0, cnt, cols, ld);
                ForwardGemm(w, default, g, small, n0, cnt, cols, tmp, inner: Parallelism.MaxDegree > 1);
                GatherChannels(smallIn, n0, cnt, o, p, tmp);
                WeightGradGemm(cols, tmp, o, k, ld, n0 == 0 ? 0f : 1f, transposeW ? dwT : dw, 0, k, transposeW, inner: Parallelism.MaxDegree > 1);
            }
            if (transposeW) TransposeInto(dwT, k, o, dw, k, 0);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(tmp);
            ArrayPool<float>.Shared.Return(dwT);
        }
    }

    private unsafe struct SplitJob
    {
        public float* Big, Small, W, Bias, Dw;
        public int BigLength, SmallLength, WLength, BiasLength;
        public ConvGeometry G;
        public int Chunks, Parts, Next;
        public bool BackwardData, InnerParallel;
    }

    /// <summary>Threads for a product of this size split into <paramref name="units"/> pieces (1: the calling thread).</summary>
    private static int WorkParts(in ConvGeometry g, int units)
    {
        if ((long)g.O * g.K * g.N * g.SmallPlane < Gemm.ParallelThreshold) return 1;
        return Math.Max(1, Math.Min(Parallelism.MaxDegree, units));
    }

    /// <summary>Whether the weight gradient [rows, O]ᵀ is better computed transposed (as cols · Sᵀ).</summary>
    private static bool TransposeWeightGrad(int rows, int o) => Gemm.PaddedTiles(rows, o) < Gemm.PaddedTiles(o, rows);

    private static unsafe void ImageSplit(float[] big, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] small, bool backwardData)
    {
        if (g.N == 0) return;
        int parts = WorkParts(g, g.N);
        bool inner = Mode == 2 && parts > 1;
        if (inner) parts = 1;
        int nb = ChunkImages(g);
        int chunks = (g.N + nb - 1) / nb;
        chunks = Math.Min(g.N, (chunks + parts - 1) / parts * parts);
        fixed (float* pb = big, pw = w, pbias = bias, ps = small)
        {
            var job = new SplitJob
            {
                Big = pb, W = pw, Bias = bias.IsEmpty ? null : pbias, Small = ps, BigLength = big.Length, SmallLength = small.Length,
                WLength = w.Length, BiasLength = bias.Length, G = g, Parts = parts, Chunks = chunks, BackwardData = backwardData, InnerParallel = inner,
            };
            if (parts == 1) ImagePart(&job, 0);
            else WorkerPool.Run(&ImagePart, &job, parts);
        }
    }

    /// <summary>Claims chunks of images and runs them whole on this thread.</summary>
    private static unsafe void ImagePart(void* ctx, int part)
    {
        ref SplitJob job = ref *(SplitJob*)ctx;
        ConvGeometry g = job.G;
        int k = g.K, p = g.SmallPlane, o = g.O;
        int maxCount = (g.N + job.Chunks - 1) / job.Chunks;
        float[] cols = ArrayPool<float>.Shared.Rent(k * maxCount * p);
        float[] tmp = ArrayPool<float>.Shared.Rent(o * maxCount * p);
        try
        {
            fixed (float* pc = cols, pt = tmp)
            {
                var weights = new ReadOnlySpan<float>(job.W, job.WLength);
                var bias = job.Bias == null || job.BackwardData ? default : new ReadOnlySpan<float>(job.Bias, job.BiasLength)[..o];
                while (true)
                {
                    int chunk = Interlocked.Increment(ref job.Next) - 1;
                    if (chunk >= job.Chunks) break;
                    int n0 = (int)((long)chunk * g.N / job.Chunks), cnt = (int)((long)(chunk + 1) * g.N / job.Chunks) - n0;
                    int ld = cnt * p;
                    if (!job.BackwardData)
                    {
                        var pack = new ChunkJob
                        {
                            Big = job.Big, Cols = pc, BigLength = job.BigLength, ColsLength = cols.Length, Ld = ld, N0 = n0, Count = cnt, Parts = 1, G = g,
                        };
                        RunPack(&pack, job.InnerParallel);
                        ForwardGemm(weights, bias, g, new Span<float>(job.Small, job.SmallLength), n0, cnt, cols, tmp, inner: job.InnerParallel);
                    }
                    else
                    {
                        var gather = new RearrangeJob { Mat = pt, Images = job.Small, O = o, P = p, Ld = ld, N0 = n0, ToImages = false };
                        if (job.InnerParallel) ParallelRange.For(cnt, 1, 2L * o * p, &RearrangePart, &gather);
                        else RearrangePart(&gather, 0, cnt);
                        Sgemm(job.InnerParallel, true, false, k, ld, o, weights[..(o * k)], k, tmp.AsSpan(0, o * ld), ld, 0f, cols.AsSpan(0, k * ld), ld);
                        var unpack = new ChunkJob
                        {
                            Big = job.Big, Cols = pc, Bias = job.Bias, BigLength = job.BigLength, ColsLength = cols.Length, Ld = ld, N0 = n0,
                            Count = cnt, Parts = 1, Unpack = true, G = g,
                        };
                        RunPack(&unpack, job.InnerParallel);
                    }
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
    /// One chunk's forward product from its packed columns: small[n0 .. n0+cnt] = w · cols (+ bias), through
    /// <paramref name="tmp"/> as [O, cnt·P] or, transposed, as [cnt·P, O].
    /// </summary>
    private static unsafe void ForwardGemm(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, in ConvGeometry g, Span<float> small,
        int n0, int cnt, float[] cols, float[] tmp, bool inner)
    {
        int k = g.K, p = g.SmallPlane, o = g.O, ld = cnt * p;
        if (Gemm.PaddedTiles(ld, o) < Gemm.PaddedTiles(o, ld))
        {
            // tmp [cnt·P, O] = colsᵀ · wᵀ, then each image's [P, O] block transposed into [O, P].
            Sgemm(inner, true, true, ld, o, k, cols.AsSpan(0, k * ld), ld, w[..(o * k)], k, 0f, tmp.AsSpan(0, ld * o), o);
            if (!bias.IsEmpty)
                for (int r = 0; r < ld; r++)
                {
                    var row = tmp.AsSpan(r * o, o);
                    TensorPrimitives.Add(row, bias, row);
                }
            fixed (float* pt = tmp, ps = small)
                for (int b = 0; b < cnt; b++)
                    Transpose(pt + (long)b * p * o, p, o, ps + (long)(n0 + b) * o * p);
            return;
        }
        Sgemm(inner, false, false, o, ld, k, w[..(o * k)], k, cols.AsSpan(0, k * ld), ld, 0f, tmp.AsSpan(0, o * ld), ld);
        fixed (float* pt = tmp, ps = small, pbias = bias)
        {
            var scatter = new RearrangeJob { Mat = pt, Images = ps, Bias = bias.IsEmpty ? null : pbias, O = o, P = p, Ld = ld, N0 = n0, ToImages = true };
            if (inner) ParallelRange.For(cnt, 1, 2L * o * p, &RearrangePart, &scatter);
            else RearrangePart(&scatter, 0, cnt);
        }
    }

    /// <summary>A chunk's im2col or col2im, split between threads inside the chunk when <paramref name="inner"/>.</summary>
    private static unsafe void RunPack(ChunkJob* job, bool inner)
    {
        job->Parts = inner && (long)job->Count * job->G.K * job->G.SmallPlane >= 1 << 15 ? Math.Min(Parallelism.MaxDegree, job->Count) : 1;
        if (job->Parts == 1) ChunkPart(job, 0);
        else WorkerPool.Run(&ChunkPart, job, job->Parts);
    }

    internal static int Mode = Environment.GetEnvironmentVariable("LATENT_CONV_MODE") switch { "fused" => 1, "inner" => 2, _ => 0 };

    /// <summary>
    /// One chunk's weight-gradient product: dW[:, c0 .. c0+rows] (row stride <paramref name="ldw"/>) = s [O, ld] · cols [rows, ld]ᵀ
    /// + beta · dW, or transposed into <paramref name="dst"/> [rows, O] (rows from <paramref name="r0"/>) as cols · sᵀ.
    /// </summary>
    private static void WeightGradGemm(float[] cols, float[] s, int o, int rows, int ld, float beta, Span<float> dst, int r0, int ldw,
        bool transposed, bool inner)
    {
        if (transposed)
            Sgemm(inner, false, true, rows, o, ld, cols.AsSpan(0, rows * ld), ld, s.AsSpan(0, o * ld), ld, beta, dst.Slice(r0 * o, rows * o), o);
        else
            Sgemm(inner, false, true, o, rows, ld, s.AsSpan(0, o * ld), ld, cols.AsSpan(0, rows * ld), ld, beta, dst.Slice(r0, (o - 1) * ldw + rows), ldw);
    }

    private static void Sgemm(bool inner, bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (inner) Gemm.Sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
        else Gemm.SgemmSerial(transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Part of <see cref="WeightGrad"/>: this thread's input channels, every chunk in order.</summary>
    private static unsafe void WeightGradPart(void* ctx, int part)
    {
        ref SplitJob job = ref *(SplitJob*)ctx;
        ConvGeometry g = job.G;
        int k = g.K, p = g.SmallPlane, o = g.O, taps = g.Kh * g.Kw, bigPlane = g.BigPlane;
        int c0 = (int)((long)part * g.C / job.Parts), c1 = (int)((long)(part + 1) * g.C / job.Parts);
        int rows = (c1 - c0) * taps, r0 = c0 * taps;
        if (rows == 0) return;
        var sub = g with { C = c1 - c0 };
        int nb = ChunkImages(g);
        bool transposed = TransposeWeightGrad(rows, o);
        float[] cols = ArrayPool<float>.Shared.Rent(rows * nb * p);
        float[] s = ArrayPool<float>.Shared.Rent(o * nb * p);
        float[] dwT = ArrayPool<float>.Shared.Rent(transposed ? rows * o : 0);
        try
        {
            var dw = new Span<float>(job.Dw, o * k);
            fixed (float* ps = s, pc = cols)
            {
                for (int n0 = 0; n0 < g.N; n0 += nb)
                {
                    int cnt = Math.Min(nb, g.N - n0), ld = cnt * p;
                    var pack = new ChunkJob
                    {
                        Big = job.Big + (long)c0 * bigPlane, Cols = pc, BigLength = job.BigLength - c0 * bigPlane, ColsLength = cols.Length,
                        Ld = ld, N0 = n0, Count = cnt, G = sub, BigStride = g.C * bigPlane,
                        Parts = job.InnerParallel && (long)cnt * rows * p >= 1 << 15 ? Math.Min(Parallelism.MaxDegree, cnt) : 1,
                    };
                    if (pack.Parts == 1) ChunkPart(&pack, 0);
                    else WorkerPool.Run(&ChunkPart, &pack, pack.Parts);
                    var gather = new RearrangeJob { Mat = ps, Images = job.Small, O = o, P = p, Ld = ld, N0 = n0, ToImages = false };
                    if (job.InnerParallel) ParallelRange.For(cnt, 1, 2L * o * p, &RearrangePart, &gather);
                    else RearrangePart(&gather, 0, cnt);
                    WeightGradGemm(cols, s, o, rows, ld, n0 == 0 ? 0f : 1f, transposed ? dwT.AsSpan() : dw, transposed ? 0 : r0, k, transposed, job.InnerParallel);
                }
            }
            if (transposed) TransposeInto(dwT.AsSpan(0, rows * o), rows, o, dw, k, r0);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(s);
            ArrayPool<float>.Shared.Return(dwT);
        }
    }

    /// <summary>dst[j, c0 + i] (row stride <paramref name="ldd"/>) = src[i, j] for src [rows, cols] (row stride cols).</summary>
    private static void TransposeInto(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst, int ldd, int c0)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[j * ldd + c0 + i] = src[i * cols + j];
    }

    /// <summary>dst [cols, rows] = src [rows, cols]ᵀ (both dense), in 8 x 8 register transposes where AVX allows.</summary>
    private static unsafe void Transpose(float* src, int rows, int cols, float* dst)
    {
        int j = 0;
        if (Avx.IsSupported)
            for (; j <= cols - 8; j += 8)
                for (int i = 0; i < rows; i += 8)
                    GemmPack.Transpose8(src + (long)i * cols + j, cols, Math.Min(8, rows - i), dst + (long)j * rows + i, rows);
        for (; j < cols; j++)
            for (int i = 0; i < rows; i++)
                dst[(long)j * rows + i] = src[(long)i * cols + j];
    }
}
