using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// laid side by side in one column matrix [C·Kh·Kw, images·Ho·Wo] and multiplied at once; the chunk is sized
/// so the column matrix stays within <see cref="ColumnBudget"/> floats (<see cref="ChunkCount"/>).
/// <para>
/// Threads take whole chunks: a chunk's im2col, GEMM and scatter (or gather, GEMM and col2im) run on one thread, so
/// its column matrix is written and read in that core's cache. Splitting each GEMM and each im2col between the
/// threads instead made every core read columns the other had just written, and on this machine's two cores the
/// memory-bound packing then ran 2–3 times slower than on one thread (docs/BENCHMARKS.md). Chunks are claimed from
/// the <see cref="WorkerPool"/>, so a core the OS gives less time to simply takes fewer; their number is a multiple of
/// the thread count, so that equal cores finish together. A batch of one chunk (batch-1 inference) splits its GEMM and
/// im2col between the threads instead.
/// </para>
/// <para>
/// Bits: an output element of the forward and input-gradient products is one GEMM column, the same chain of
/// operations whatever the chunking and the thread. The weight gradient sums over images, so its order is fixed
/// by the geometry alone: the batch falls into <see cref="WeightGradGroups"/> equal ranges of images, each cut into
/// chunks within the budget and summed chunk by chunk into its own partial, and the partials are added in group
/// order. Buffers come from
/// <see cref="ArrayPool{T}.Shared"/>, so a training step allocates only its output tensors.
/// </para>
/// </remarks>
internal static class Conv2dKernel
{
    /// <summary>
    /// Target size of one chunk's column matrix, in floats (1 MiB, about one core's L2): the columns are written by
    /// im2col and read back by the GEMM's packing while still in cache. On the conv VAE's 32x14x14 -> 64x7x7 layer
    /// (10 images a chunk) this cut the forward, input-gradient and weight-gradient kernels from 4.4/3.5/4.1 ms to
    /// 3.5/3.3/3.3 ms of CPU a batch against 8 MiB chunks, and much more in wall time on a busy machine
    /// (bench/Latent.Bench convops); 512 and 256 KiB were no faster. The weight gradient sums chunk by chunk, so this
    /// constant is part of its bits.
    /// </summary>
    internal const int ColumnBudget = 1 << 18;

    /// <summary>
    /// A batch is cut into at least this many chunks (when it has that many images), so that threads have chunks to
    /// share even where one chunk's columns would fit the budget (the first layer's 16 taps).
    /// </summary>
    internal const int MinChunks = 8;

    /// <summary>Most partial sums of the weight gradient (ranges of images that threads can sum at once). Part of its bits.</summary>
    internal const int MaxGroups = 8;

    /// <summary>Most floats that the weight gradient's partial sums take together; fewer groups beyond it. Part of its bits.</summary>
    internal const long PartialBudget = 1L << 22;

    /// <summary>Most images whose column matrix fits <see cref="ColumnBudget"/> (one at least).</summary>
    internal static int ImagesThatFit(in ConvGeometry g) =>
        (int)Math.Clamp(ColumnBudget / Math.Max(1L, (long)g.K * g.SmallPlane), 1, int.MaxValue);

    /// <summary>
    /// Chunks of the forward and input-gradient products over <paramref name="n"/> images: the fewest whose columns fit the
    /// budget, at least <see cref="MinChunks"/>, rounded up to a multiple of <paramref name="threads"/>; chunk i is images
    /// [i·n/count, (i+1)·n/count). Their results do not depend on the chunking.
    /// </summary>
    internal static int ChunkCount(in ConvGeometry g, int n, int threads)
    {
        if (n <= 0) return 0;
        int fit = ImagesThatFit(g);
        int count = Math.Max((n + fit - 1) / fit, Math.Min(n, MinChunks));
        if (threads > 1 && count > 1) count = (count + threads - 1) / threads * threads;
        return Math.Min(n, count);
    }

    /// <summary>First image of chunk (or group) <paramref name="i"/> of <paramref name="count"/> over <paramref name="n"/> images.</summary>
    private static int Start(int i, int count, int n) => (int)((long)i * n / count);

    /// <summary>
    /// How many partial sums (equal ranges of images) the weight gradient of a batch keeps: at most
    /// <see cref="MaxGroups"/> and within <see cref="PartialBudget"/>; a function of the geometry only, like the chunks
    /// inside each group (the fewest whose columns fit the budget, the images spread evenly).
    /// </summary>
    internal static int WeightGradGroups(in ConvGeometry g)
    {
        long perPartial = Math.Max(1L, (long)g.O * g.K);
        int byMemory = (int)Math.Clamp(PartialBudget / perPartial, 1, MaxGroups);
        return Math.Max(1, Math.Min(g.N, byMemory));
    }

    /// <summary>
    /// small [N,O,Ho,Wo] = conv(big [N,C,H,W], w [O,C,Kh,Kw]) + bias [O] (bias may be empty): a direct channels-last
    /// convolution where <see cref="UseDirect"/> allows it, else im2col and GEMM per chunk.
    /// </summary>
    public static unsafe void Forward(float[] big, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] small)
    {
        if (UseDirect(g)) ForwardDirect(big, w, bias, g, small);
        else RunChunks(big, w, bias, g, small, transposedWeights: false, &ForwardPart);
    }

    /// <summary>
    /// Whether <see cref="Forward"/> runs as a direct convolution (<see cref="DirectConv"/>) over each image moved to
    /// channels-last with zero borders, instead of im2col and GEMM: with AVX-512 or AVX2, when every window lies inside the
    /// padded image. On the conv VAE's layers (128 images, 1 thread, bench/Latent.Bench convops) it measured
    /// 32x14x14 -> 64x7x7 3.5-3.7 -> 2.4 ms and 1x28x28 -> 32x14x14 0.52-0.55 -> 0.4 ms, the layout moves included. With
    /// AVX2 only (Zen 3, 6-row tiles) the first went 11.3 -> 8.5 ms but the second 1.3 -> 2.0 ms, so there images with
    /// fewer than 16 channels stay on im2col.
    /// Each output is one chain of FMAs whatever the chunk and the thread, so the bits are the same for any thread count,
    /// but not those of the im2col path.
    /// </summary>
    internal static bool UseDirect(in ConvGeometry g) =>
        (Avx512F.IsSupported || DirectConv.IsAccelerated && g.C >= DirectConv.Block / 2) && WindowsInside(g);

    /// <summary>Whether the batch is not empty and every output pixel's window lies inside the padded image.</summary>
    private static bool WindowsInside(in ConvGeometry g) =>
        g.N > 0 &&
        (long)(g.Ho - 1) * g.Stride + (long)(g.Kh - 1) * g.Dilation < g.H + 2L * g.PadH &&
        (long)(g.Wo - 1) * g.Stride + (long)(g.Kw - 1) * g.Dilation < g.W + 2L * g.Pad;

    /// <summary>
    /// For a big image stored channels-last inside its padding, [H + 2·PadH, W + 2·Pad, C]: where each output pixel's window
    /// starts (<paramref name="windows"/>, Ho·Wo), and each kernel tap's offset from that start (<paramref name="taps"/>, Kh·Kw).
    /// </summary>
    internal static void WindowOffsets(in ConvGeometry g, Span<int> windows, Span<int> taps)
    {
        int wp = g.W + 2 * g.Pad;
        for (int y = 0; y < g.Ho; y++)
            for (int x = 0; x < g.Wo; x++) windows[y * g.Wo + x] = (y * g.Stride * wp + x * g.Stride) * g.C;
        for (int ky = 0; ky < g.Kh; ky++)
            for (int kx = 0; kx < g.Kw; kx++) taps[ky * g.Kw + kx] = (ky * g.Dilation * wp + kx * g.Dilation) * g.C;
    }

    /// <summary>
    /// The taps of a forward <see cref="DirectConv.Run"/>, given <see cref="WindowOffsets"/>' Kh·Kw tap offsets in
    /// <paramref name="taps"/>: with dilation 1 a kernel row's Kw taps are Kw·C consecutive floats of the padded image,
    /// and the packed weights run over (kx, c) in that same order, so each kernel row becomes one tap of Kw·C channels
    /// (its offsets are compacted to the front of <paramref name="taps"/>). Each output is the same chain of FMAs, in fewer
    /// and longer inner loops: for a one-channel image the kernel no longer sets up its rows' pointers for every single
    /// float. With dilation the taps stay as they are.
    /// </summary>
    internal static (int Taps, int Channels) RowTaps(in ConvGeometry g, Span<int> taps)
    {
        if (g.Dilation != 1 || g.Kw == 1) return (g.Kh * g.Kw, g.C);
        for (int ky = 0; ky < g.Kh; ky++) taps[ky] = taps[ky * g.Kw];
        return (g.Kh, g.Kw * g.C);
    }

    /// <summary>
    /// The direct forward: the weights packed once for <see cref="DirectConv"/>, the window and tap offsets computed once,
    /// then the chunks of images, each image moved to channels-last, convolved and transposed back.
    /// </summary>
    private static unsafe void ForwardDirect(float[] big, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] small)
    {
        int taps = g.Kh * g.Kw, p = g.SmallPlane, wp = g.W + 2 * g.Pad;
        int chunks = ChunkCount(g, g.N, Parallelism.MaxDegree);
        float[] packed = ArrayPool<float>.Shared.Rent((int)DirectConv.PackedSize(g.O, g.C, taps));
        int[] offsets = ArrayPool<int>.Shared.Rent(2 * p + taps);
        try
        {
            DirectConv.Pack(w.AsSpan(0, g.O * g.K), g.O, g.C, taps, packed);
            // [0, p): the windows; [p, 2p): where output pixel q's O results go in the [pixels, O] tile; then the taps.
            WindowOffsets(g, offsets.AsSpan(0, p), offsets.AsSpan(2 * p, taps));
            var (runTaps, runChannels) = RowTaps(g, offsets.AsSpan(2 * p, taps));
            for (int q = 0; q < p; q++) offsets[p + q] = q * g.O;
            fixed (float* pb = big, pbias = bias, ps = small, pp = packed)
            fixed (int* po = offsets)
            {
                var job = new Job
                {
                    Big = pb, Bias = bias.IsEmpty ? null : pbias, Small = ps, PackedW = pp, Offsets = po,
                    Top = g.PadH, Left = g.Pad, PaddedHeight = g.H + 2 * g.PadH, PaddedWidth = wp,
                    BigLength = big.Length, SmallLength = small.Length, G = g, Chunks = chunks, Taps = runTaps, TapChannels = runChannels,
                };
                RunParts(&DirectPart, &job, chunks);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    /// <summary>
    /// One chunk of a direct product: each image moved to channels-last inside zero borders, convolved into a
    /// [pixels, channels] tile, and the tile transposed back. The forward reads the big image and writes the small one;
    /// the transposed convolution (a job with phases) reads the small image and writes the big one.
    /// </summary>
    private static unsafe void DirectPart(void* ctx, int chunk)
    {
        ref Job job = ref *(Job*)ctx;
        var g = job.G;
        var (n0, cnt) = job.Chunk(chunk);
        bool transposed = job.Phases != null;
        int inC = transposed ? g.O : g.C, inH = transposed ? g.Ho : g.H, inW = transposed ? g.Wo : g.W;
        int outC = transposed ? g.C : g.O, outPlane = transposed ? g.BigPlane : g.SmallPlane;
        float* src = transposed ? job.Small : job.Big, dst = transposed ? job.Big : job.Small;
        float[] padded = ArrayPool<float>.Shared.Rent(job.PaddedHeight * job.PaddedWidth * inC);
        float[] tile = ArrayPool<float>.Shared.Rent(outPlane * outC);
        try
        {
            fixed (float* pad = padded, pt = tile)
                for (int b = n0; b < n0 + cnt; b++)
                {
                    ChannelsLast.ToPadded(src + (long)b * inC * inH * inW, inC, inH, inW, job.Top, job.Left, job.PaddedHeight, job.PaddedWidth, pad);
                    if (transposed) TransposedPhases.Run(g, pad, job.Offsets, job.Phases, job.PackedW, job.Bias, pt, relu: false);
                    else
                        DirectConv.Run(pad, job.Offsets, outPlane, job.Offsets + 2 * outPlane, job.Taps, job.TapChannels, job.PackedW, job.Bias, g.O,
                            pt, job.Offsets + outPlane, relu: false);
                    ChannelsLast.Transpose(pt, outPlane, outC, dst + (long)b * outC * outPlane);
                }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(tile);
        }
    }

    /// <summary>
    /// Forward or BackwardData: the weights packed once (transposed for BackwardData), then <paramref name="part"/> over
    /// the chunks of the batch (<see cref="ChunkCount"/>).
    /// </summary>
    private static unsafe void RunChunks(float[] big, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] small,
        bool transposedWeights, delegate*<void*, int, void> part)
    {
        int chunks = ChunkCount(g, g.N, Parallelism.MaxDegree);
        float[]? packed = PackWeights(w, g, chunks, transposedWeights);
        try
        {
            fixed (float* pb = big, pw = w, pbias = bias, ps = small, pp = packed)
            {
                var job = new Job
                {
                    Big = pb, W = pw, Bias = bias.IsEmpty ? null : pbias, Small = ps, PackedW = pp,
                    BigLength = big.Length, WLength = w.Length, SmallLength = small.Length, PackedWLength = packed?.Length ?? 0,
                    G = g, Chunks = chunks,
                };
                RunParts(part, &job, chunks);
            }
        }
        finally
        {
            if (packed != null) ArrayPool<float>.Shared.Return(packed);
        }
    }

    /// <summary>
    /// The weights [O, K] (or their transpose) packed once for the GEMMs of every chunk, when there are several chunks;
    /// null for one chunk, whose GEMM packs them itself (and may split between threads). Rented: return it.
    /// </summary>
    private static float[]? PackWeights(float[] w, in ConvGeometry g, int chunks, bool transposed)
    {
        if (chunks < 2) return null;
        int m = transposed ? g.K : g.O, k = transposed ? g.O : g.K;
        float[] packed = ArrayPool<float>.Shared.Rent(Gemm.PackedASize(m, k));
        Gemm.PackA(transposed, m, k, w.AsSpan(0, g.O * g.K), g.K, packed);
        return packed;
    }

    /// <summary>c [m, n] = op(W) · b, with op(W) = W [O, K] or Wᵀ [K, O], from the packed weights when the job has them.</summary>
    private static unsafe void WeightProduct(ref Job job, bool transposed, int n, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        var g = job.G;
        int m = transposed ? g.K : g.O, k = transposed ? g.O : g.K;
        if (job.PackedW != null)
            Gemm.SgemmPackedA(new ReadOnlySpan<float>(job.PackedW, job.PackedWLength), m, n, k, 1f, false, b, ldb, 0f, c, ldc);
        else
            Gemm.Sgemm(transposed, false, m, n, k, 1f, new ReadOnlySpan<float>(job.W, g.O * g.K), g.K, b, ldb, 0f, c, ldc);
    }

    private static unsafe void ForwardPart(void* ctx, int chunk)
    {
        ref Job job = ref *(Job*)ctx;
        var g = job.G;
        var (n0, cnt) = job.Chunk(chunk);
        int k = g.K, p = g.SmallPlane, o = g.O, ld = cnt * p;
        var small = new Span<float>(job.Small, job.SmallLength);
        var bias = job.Bias == null ? default : new ReadOnlySpan<float>(job.Bias, o);
        float[] cols = ArrayPool<float>.Shared.Rent(k * ld);
        try
        {
            PackChunk(job.BigSpan, g, n0, cnt, cols, ld);
            if (cnt == 1)
            {
                // One image: the GEMM's [O, Ho·Wo] result is already the output's layout.
                var dst = small.Slice(n0 * o * p, o * p);
                WeightProduct(ref job, false, p, cols.AsSpan(0, k * ld), ld, dst, p);
                if (!bias.IsEmpty)
                    for (int oc = 0; oc < o; oc++)
                    {
                        var row = dst.Slice(oc * p, p);
                        TensorPrimitives.Add(row, bias[oc], row);
                    }
                return;
            }
            float[] tmp = ArrayPool<float>.Shared.Rent(o * ld);
            try
            {
                WeightProduct(ref job, false, ld, cols.AsSpan(0, k * ld), ld, tmp.AsSpan(0, o * ld), ld);
                // [O, cnt·P] -> [cnt, O, P], adding the bias on the way.
                Scatter(tmp, small, bias, n0, cnt, o, p);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(tmp);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
        }
    }

    /// <summary>
    /// big [N,C,H,W] = col2im(wᵀ · small) + bias [C] (bias may be empty): the adjoint of <see cref="Forward"/>
    /// in its input, i.e. a transposed convolution with weight [O,C,Kh,Kw]. <paramref name="big"/> is overwritten.
    /// </summary>
    public static unsafe void BackwardData(float[] small, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] big)
    {
        if (UseDirectData(g)) BackwardDataDirect(small, w, bias, g, big);
        else RunChunks(big, w, bias, g, small, transposedWeights: true, &BackwardDataPart);
    }

    /// <summary>
    /// Whether <see cref="BackwardData"/> runs as direct convolutions over the small image moved to channels-last, one per
    /// stride phase (<see cref="TransposedPhases"/>), instead of GEMM and col2im: with AVX-512 or AVX2, and at least 16 big
    /// channels (the direct kernel computes 32 output channels at a time; the last layer of an image decoder, with one,
    /// stays on col2im). Measured on the conv VAE's 64x7x7 -> 32x14x14 layer, 128 images, 1 thread
    /// (bench/Latent.Bench convops, c2.data): 3.5-3.7 -> 2.4-2.6 ms. Bits are the same for any thread count, but not those
    /// of the col2im path.
    /// </summary>
    internal static bool UseDirectData(in ConvGeometry g) => DirectConv.IsAccelerated && g.N > 0 && g.C >= DirectConv.Block / 2;

    /// <summary>
    /// The transposed convolution as direct convolutions, one per stride phase (<see cref="TransposedPhases"/>): the
    /// offsets and the phases' packed weights made once per call, then the chunks of images, each image's small side
    /// moved to channels-last with the phases' borders, convolved into a [H·W, C] tile and transposed back.
    /// </summary>
    private static unsafe void BackwardDataDirect(float[] small, float[] w, ReadOnlySpan<float> bias, in ConvGeometry g, float[] big)
    {
        var sizes = TransposedPhases.Measure(g);
        int[] offsets = ArrayPool<int>.Shared.Rent(sizes.Offsets(g));
        int[] layout = ArrayPool<int>.Shared.Rent(TransposedPhases.LayoutStride * g.Stride * g.Stride);
        float[] packed = ArrayPool<float>.Shared.Rent((int)Math.Max(1, sizes.Packed));
        try
        {
            TransposedPhases.Build(g, w.AsSpan(0, g.O * g.K), 0, offsets, layout, packed);
            int chunks = ChunkCount(g, g.N, Parallelism.MaxDegree);
            fixed (float* pb = big, pbias = bias, ps = small, pp = packed)
            fixed (int* po = offsets, pl = layout)
            {
                var job = new Job
                {
                    Big = pb, Bias = bias.IsEmpty ? null : pbias, Small = ps, PackedW = pp, Offsets = po, Phases = pl,
                    PaddedHeight = sizes.Height, PaddedWidth = sizes.Width, Top = sizes.Top, Left = sizes.Left,
                    BigLength = big.Length, SmallLength = small.Length, G = g, Chunks = chunks,
                };
                RunParts(&DirectPart, &job, chunks);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<int>.Shared.Return(layout);
            ArrayPool<float>.Shared.Return(packed);
        }
    }

    private static unsafe void BackwardDataPart(void* ctx, int chunk)
    {
        ref Job job = ref *(Job*)ctx;
        var g = job.G;
        var (n0, cnt) = job.Chunk(chunk);
        int k = g.K, p = g.SmallPlane, o = g.O, ld = cnt * p;
        var small = new ReadOnlySpan<float>(job.Small, job.SmallLength);
        var bias = job.Bias == null ? default : new ReadOnlySpan<float>(job.Bias, g.C);
        float[] cols = ArrayPool<float>.Shared.Rent(k * ld);
        float[]? a = cnt == 1 ? null : ArrayPool<float>.Shared.Rent(o * ld);
        try
        {
            ReadOnlySpan<float> aSpan;
            if (a == null) aSpan = small.Slice(n0 * o * p, o * p);
            else
            {
                GatherChannels(small, n0, cnt, o, p, a);
                aSpan = a.AsSpan(0, o * ld);
            }
            WeightProduct(ref job, true, ld, aSpan, ld, cols.AsSpan(0, k * ld), ld);
            // col2im, each image's bias added right after its planes are written (still in cache).
            RunChunk(job.BigSpan, g, n0, cnt, cols, ld, unpack: true, bias);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            if (a != null) ArrayPool<float>.Shared.Return(a);
        }
    }

    /// <summary>dw [O,C,Kh,Kw] = Σ_n small[n] [O, Ho·Wo] · cols(big[n])ᵀ; <paramref name="dw"/> is overwritten.</summary>
    public static void WeightGrad(float[] big, float[] small, in ConvGeometry g, float[] dw) => WeightGrad(big, small, g, dw, allowTranspose: true);

    /// <summary><see cref="WeightGrad(float[], float[], in ConvGeometry, float[])"/>; tests turn the transposed product off to compare bits.</summary>
    internal static void WeightGrad(float[] big, float[] small, in ConvGeometry g, float[] dw, bool allowTranspose) =>
        WeightGradCore(big, null, small, g, null, dw, allowTranspose);

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
        // The direct forward needs no columns, and is faster than the shared columns' GEMM (see UseDirect); a one-channel
        // weight gradient has its own kernel, whichever way the forward runs.
        if (UseDirect(g) || UseOneChannelWeightGrad(g))
        {
            Forward(big, w, default, g, small);
            WeightGradCore(big, null, smallIn, g, null, dw, allowTranspose);
        }
        else WeightGradCore(big, w, smallIn, g, small, dw, allowTranspose);
    }

    /// <summary>
    /// The weight gradient, group by group (see the type's remarks), and with <paramref name="w"/> also the forward
    /// product into <paramref name="small"/> from the same packed columns.
    /// </summary>
    private static unsafe void WeightGradCore(float[] big, float[]? w, float[] smallIn, in ConvGeometry g, float[]? small, float[] dw, bool allowTranspose)
    {
        int k = g.K, o = g.O;
        if (g.N <= 0)
        {
            dw.AsSpan(0, o * k).Clear();
            return;
        }
        // The two direct kernels exclude each other: at least 16 image channels, or exactly one.
        if (w == null && (UseDirectWeightGrad(g) || UseOneChannelWeightGrad(g)))
        {
            WeightGradDirect(big, smallIn, g, dw, oneChannel: g.C == 1);
            return;
        }
        int groups = WeightGradGroups(g);
        bool transposed = allowTranspose && TransposeWeightGrad(k, o);
        // One partial per group; a single group sums straight into dw (or its transpose).
        float[]? partials = groups > 1 || transposed ? ArrayPool<float>.Shared.Rent(groups * o * k) : null;
        float[]? packed = w == null ? null : PackWeights(w, g, groups, transposed: false);
        try
        {
            fixed (float* pb = big, pw = w, ps = small, pin = smallIn, pd = partials ?? dw, pp = packed)
            {
                var job = new Job
                {
                    Big = pb, W = pw, Small = ps, SmallIn = pin, Dw = pd, PackedW = pp,
                    BigLength = big.Length, WLength = w?.Length ?? 0, SmallLength = small?.Length ?? 0, SmallInLength = smallIn.Length,
                    PackedWLength = packed?.Length ?? 0,
                    G = g, Groups = groups, Transposed = transposed,
                };
                RunParts(&WeightGradPart, &job, groups);
            }
            // The partials are [O, K], or [K, O] transposed: row r goes to dw[r, ·], or to column r of dw.
            if (partials != null)
                if (transposed) SumPartials(partials, groups, k, o, new RowPlacement(k, 1, 0, k), dw);
                else SumPartials(partials, groups, o, k, new RowPlacement(o, k, 0, 1), dw);
        }
        finally
        {
            if (partials != null) ArrayPool<float>.Shared.Return(partials);
            if (packed != null) ArrayPool<float>.Shared.Return(packed);
        }
    }

    /// <summary>
    /// Whether the weight gradient runs as direct channels-last products (<see cref="WeightGradDirect"/>) instead of
    /// im2col and GEMM: where the forward does (<see cref="UseDirect"/>) and the big image has at least 16 channels (the
    /// kernel reads 32 at a time; the first layer of an image encoder, with one, stays on im2col). Measured on the conv
    /// VAE's 32x14x14 -> 64x7x7 layer, 128 images, 1 thread (bench/Latent.Bench convops, c2.wgrad): 3.3-3.9 -> 2.6 ms.
    /// </summary>
    internal static bool UseDirectWeightGrad(in ConvGeometry g) => UseDirect(g) && g.C >= DirectConv.Block / 2;

    /// <summary>
    /// dw[o, c, t] = Σ_n Σ_q small[n, o, q] · bigPadded[n, window(q) + tap t, c], image by image in channels-last: each
    /// tap's [O, C] slice is <see cref="DirectConv.GradRun"/> over the output pixels, reading the padded image in place.
    /// The images fall into the same fixed groups as the im2col path (<see cref="WeightGradGroups"/>), each summed image
    /// after image into its own partial [taps, O, C], the partials added in group order; so the bits depend on the
    /// geometry only, not on the thread count. With <paramref name="oneChannel"/> the groups run
    /// <see cref="WeightGradOneChannelPart"/> and the partials are [taps, O].
    /// </summary>
    private static unsafe void WeightGradDirect(float[] big, float[] smallIn, in ConvGeometry g, float[] dw, bool oneChannel)
    {
        int taps = g.Kh * g.Kw, p = g.SmallPlane, size = g.O * g.K;
        int groups = WeightGradGroups(g);
        float[] partials = ArrayPool<float>.Shared.Rent(groups * size);
        // [0, p): the windows; [p, p + taps): the taps; for one channel then where each pixel's O gradients start in the
        // channels-last gradient.
        int[] offsets = ArrayPool<int>.Shared.Rent(p + taps + (oneChannel ? p : 0));
        try
        {
            WindowOffsets(g, offsets.AsSpan(0, p), offsets.AsSpan(p, taps));
            if (oneChannel)
                for (int q = 0; q < p; q++) offsets[p + taps + q] = q * g.O;
            fixed (float* pb = big, pin = smallIn, pd = partials)
            fixed (int* po = offsets)
            {
                var job = new Job
                {
                    Big = pb, SmallIn = pin, Dw = pd, Offsets = po,
                    BigLength = big.Length, SmallInLength = smallIn.Length, G = g, Groups = groups,
                };
                RunParts(oneChannel ? &WeightGradOneChannelPart : &WeightGradDirectPart, &job, groups);
            }
            // [taps, O, C] -> [O, C, taps]: row t·O + o goes to dw[o, ·, t]; for one channel, [taps, O] -> [O, taps]: row t
            // goes to dw[·, t].
            if (oneChannel) SumPartials(partials, groups, taps, g.O, new RowPlacement(taps, 1, 0, taps), dw);
            else SumPartials(partials, groups, taps * g.O, g.C, new RowPlacement(g.O, g.C * taps, 1, taps), dw);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    /// <summary>
    /// Whether the weight gradient of a one-channel image (an encoder's first layer, or the gradient of a decoder's last
    /// transposed convolution) runs as <see cref="WeightGradOneChannelPart"/> in <see cref="WeightGradDirect"/>'s groups
    /// instead of im2col and GEMM: with AVX-512 or AVX2,
    /// where every window lies inside the padded image. Measured on the conv VAE's 1x28x28 -> 32x14x14 layer, 128 images,
    /// 1 thread (bench/Latent.Bench convops, c1.wgrad): 0.61-0.82 -> 0.42-0.44 ms with AVX-512, 0.89-0.92 -> 0.48-0.63 ms
    /// on the AVX2 tiles (the same Zen 5 core with AVX-512 turned off). Its bits are the same on both, and for any thread
    /// count.
    /// </summary>
    internal static bool UseOneChannelWeightGrad(in ConvGeometry g) => DirectConv.IsAccelerated && g.C == 1 && WindowsInside(g);

    /// <summary>
    /// dw[o, t] = Σ_n Σ_q small[n, o, q] · bigPadded[n, window(q) + tap t] for a one-channel image, as
    /// <see cref="DirectConv.GradRun"/> with the roles turned round: the image's taps at each output pixel ([pixels, taps],
    /// a 16-float row for a 4 x 4 kernel) are the broadcast side, and the output gradient moved to channels-last
    /// ([pixels, O]) is read 32 channels at a time, so every lane does work (the other way round a tile would use 1 lane of
    /// 32). The images fall into the fixed groups of <see cref="WeightGradGroups"/>, each summed image after image into its
    /// own partial [taps, O], the partials added in group order: the bits depend on the geometry only, not on the thread
    /// count; they differ from the im2col path's in the last bits (another order of the sums). This is one group of images.
    /// </summary>
    private static unsafe void WeightGradOneChannelPart(void* ctx, int group)
    {
        ref Job job = ref *(Job*)ctx;
        var g = job.G;
        int taps = g.Kh * g.Kw, p = g.SmallPlane, hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.Pad;
        int first = Start(group, job.Groups, g.N), end = Start(group + 1, job.Groups, g.N);
        float* partial = job.Dw + (long)group * g.O * taps;
        int* windows = job.Offsets, tapAt = job.Offsets + p, gradRows = job.Offsets + p + taps;
        float[] padded = ArrayPool<float>.Shared.Rent(hp * wp);
        float[] columns = ArrayPool<float>.Shared.Rent(p * taps);
        // 32 floats of slack: GradRun reads the gradient 32 channels at a time.
        float[] grad = ArrayPool<float>.Shared.Rent(p * g.O + DirectConv.Block);
        try
        {
            fixed (float* pad = padded, cols = columns, pg = grad)
                for (int b = first; b < end; b++)
                {
                    ChannelsLast.ToPadded(job.Big + (long)b * g.BigPlane, 1, g.H, g.W, g.PadH, g.Pad, hp, wp, pad);
                    // The taps at each output pixel, [pixels, taps]; with dilation 1 a kernel row's taps are consecutive floats.
                    if (g.Dilation == 1 && g.Kw == 4)
                        for (int q = 0; q < p; q++)
                            for (int ky = 0; ky < g.Kh; ky++)
                                Vector128.Load(pad + windows[q] + ky * wp).Store(cols + (long)q * taps + ky * 4);
                    else
                        for (int q = 0; q < p; q++)
                        {
                            float* window = pad + windows[q];
                            float* row = cols + (long)q * taps;
                            for (int t = 0; t < taps; t++) row[t] = window[tapAt[t]];
                        }
                    ChannelsLast.Transpose(job.SmallIn + (long)b * g.O * p, g.O, p, pg);
                    DirectConv.GradRun(cols, taps, taps, pg, gradRows, p, 0, g.O, partial, accumulate: b > first);
                }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(columns);
            ArrayPool<float>.Shared.Return(grad);
        }
    }

    /// <summary>One group of images of <see cref="WeightGradDirect"/>: each image moved to channels-last, then every tap's products added to the group's partial.</summary>
    private static unsafe void WeightGradDirectPart(void* ctx, int group)
    {
        ref Job job = ref *(Job*)ctx;
        var g = job.G;
        int taps = g.Kh * g.Kw, p = g.SmallPlane, hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.Pad;
        int first = Start(group, job.Groups, g.N), end = Start(group + 1, job.Groups, g.N);
        float* partial = job.Dw + (long)group * g.O * g.K;
        // 32 floats of slack: the kernel reads 32 channels at a time.
        float[] padded = ArrayPool<float>.Shared.Rent(hp * wp * g.C + DirectConv.Block);
        float[] grad = ArrayPool<float>.Shared.Rent(p * g.O);
        try
        {
            fixed (float* pad = padded, pg = grad)
                for (int b = first; b < end; b++)
                {
                    ChannelsLast.ToPadded(job.Big + (long)b * g.C * g.BigPlane, g.C, g.H, g.W, g.PadH, g.Pad, hp, wp, pad);
                    ChannelsLast.Transpose(job.SmallIn + (long)b * g.O * p, g.O, p, pg);
                    for (int t = 0; t < taps; t++)
                        DirectConv.GradRun(pg, g.O, g.O, pad, job.Offsets, p, job.Offsets[p + t], g.C, partial + (long)t * g.O * g.C, accumulate: b > first);
                }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(grad);
        }
    }

    /// <summary>One group of images: its partial weight gradient (and, when the job has a weight, the images' forward outputs).</summary>
    private static unsafe void WeightGradPart(void* ctx, int group)
    {
        ref Job job = ref *(Job*)ctx;
        var g = job.G;
        int k = g.K, p = g.SmallPlane, o = g.O;
        int first = Start(group, job.Groups, g.N), images = Start(group + 1, job.Groups, g.N) - first;
        int fit = ImagesThatFit(g), chunks = (images + fit - 1) / fit;
        var dw = new Span<float>(job.Dw + (long)group * o * k, o * k);
        var smallIn = new ReadOnlySpan<float>(job.SmallIn, job.SmallInLength);
        bool forward = job.W != null;
        int ldMax = (images + chunks - 1) / chunks * p;
        float[] cols = ArrayPool<float>.Shared.Rent(k * ldMax);
        float[] tmp = ArrayPool<float>.Shared.Rent(o * ldMax);
        try
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                int n0 = first + Start(chunk, chunks, images), cnt = first + Start(chunk + 1, chunks, images) - n0, ld = cnt * p;
                PackChunk(job.BigSpan, g, n0, cnt, cols, ld);
                if (forward)
                {
                    // Forward: [O, cnt·P] = w · cols, then scattered to [cnt, O, P] (as Forward without bias).
                    WeightProduct(ref job, false, ld, cols.AsSpan(0, k * ld), ld, tmp.AsSpan(0, o * ld), ld);
                    Scatter(tmp, new Span<float>(job.Small, job.SmallLength), default, n0, cnt, o, p);
                }
                // Weight gradient: gather smallIn to [O, cnt·P] and accumulate into the group's partial.
                ReadOnlySpan<float> s;
                if (cnt == 1) s = smallIn.Slice(n0 * o * p, o * p);
                else
                {
                    GatherChannels(smallIn, n0, cnt, o, p, tmp);
                    s = tmp.AsSpan(0, o * ld);
                }
                float beta = chunk == 0 ? 0f : 1f;
                if (!job.Transposed)
                    Gemm.Sgemm(false, true, o, k, ld, 1f, s, ld, cols.AsSpan(0, k * ld), ld, beta, dw, k);
                else
                    Gemm.Sgemm(false, true, k, o, ld, 1f, cols.AsSpan(0, k * ld), ld, s, ld, beta, dw, o);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cols);
            ArrayPool<float>.Shared.Return(tmp);
        }
    }

    /// <summary>The pointers and sizes of one convolution call, shared by its chunk (or group) parts.</summary>
    private unsafe struct Job
    {
        public float* Big, W, Bias, Small, SmallIn, Dw, PackedW;
        public int* Offsets; // the direct kernels' window, result and tap offsets
        public int Taps, TapChannels; // the direct forward's taps and channels per tap (RowTaps)
        public int* Phases; // the direct transposed convolution's per-phase rows, taps and weights
        public int PaddedHeight, PaddedWidth, Top, Left; // the direct products' padded input image
        public int BigLength, WLength, SmallLength, SmallInLength, PackedWLength;
        public ConvGeometry G;
        public int Chunks, Groups;
        public bool Transposed;

        public readonly Span<float> BigSpan => new(Big, BigLength);

        /// <summary>First image and image count of chunk <paramref name="i"/> of the forward or input-gradient product.</summary>
        public readonly (int N0, int Count) Chunk(int i) => (Start(i, Chunks, G.N), Start(i + 1, Chunks, G.N) - Start(i, Chunks, G.N));
    }

    /// <summary>
    /// Runs parts 0 .. <paramref name="parts"/>−1 of a convolution: claimed by the worker pool's threads when there are
    /// several (each part then runs its kernels on its own thread), else on this thread with the kernels split.
    /// </summary>
    private static unsafe void RunParts(delegate*<void*, int, void> part, void* job, int parts)
    {
        if (parts > 1 && Parallelism.MaxDegree > 1 && !WorkerPool.InPart) WorkerPool.Run(part, job, parts);
        else
            for (int i = 0; i < parts; i++) part(job, i);
    }

    /// <summary>
    /// Where row r of a weight gradient's partial sums goes in dw: its first float at (r mod <paramref name="Period"/>)·
    /// <paramref name="Scale"/> + (r / <paramref name="Period"/>)·<paramref name="Shift"/>, the next ones <paramref name="Stride"/> apart.
    /// </summary>
    private readonly record struct RowPlacement(int Period, int Scale, int Shift, int Stride);

    /// <summary>
    /// dw = the sum of <paramref name="groups"/> partials of [<paramref name="rows"/>, <paramref name="cols"/>] floats, added
    /// in group order (partial 0 + partial 1, then + partial 2, ...), each row placed in dw by <paramref name="at"/>.
    /// Rows are split between the kernel threads; each float is the same additions in the same order whichever thread
    /// sums it.
    /// </summary>
    private static unsafe void SumPartials(float[] partials, int groups, int rows, int cols, RowPlacement at, float[] dw)
    {
        fixed (float* pp = partials, pd = dw)
        {
            var job = new SumJob { Partials = pp, Dw = pd, Groups = groups, Rows = rows, Cols = cols, At = at };
            ParallelRange.For(rows, 1, (long)(groups + 1) * cols, &SumPartialsPart, &job);
        }
    }

    private unsafe struct SumJob
    {
        public float* Partials, Dw;
        public int Groups, Rows, Cols;
        public RowPlacement At;
    }

    private static unsafe void SumPartialsPart(void* ctx, int lo, int hi)
    {
        ref SumJob job = ref *(SumJob*)ctx;
        int cols = job.Cols;
        long size = (long)job.Rows * cols;
        var at = job.At;
        // Rows are summed a block at a time (at least one row, about SumBlock floats): the additions run over the block's
        // contiguous floats, then each row is placed.
        int rowsPerBlock = Math.Max(1, SumBlock / Math.Max(1, cols));
        float[]? rented = rowsPerBlock * cols > SumBlock ? ArrayPool<float>.Shared.Rent(cols) : null;
        Span<float> block = rented ?? stackalloc float[SumBlock];
        try
        {
            for (int r0 = lo; r0 < hi; r0 += rowsPerBlock)
            {
                int len = Math.Min(rowsPerBlock, hi - r0) * cols;
                var sum = block[..len];
                float* first = job.Partials + (long)r0 * cols;
                new ReadOnlySpan<float>(first, len).CopyTo(sum);
                for (int gi = 1; gi < job.Groups; gi++) TensorPrimitives.Add(sum, new ReadOnlySpan<float>(first + gi * size, len), sum);
                for (int r = r0, i = 0; i < len; r++, i += cols)
                {
                    float* dst = job.Dw + (long)(r % at.Period) * at.Scale + (long)(r / at.Period) * at.Shift;
                    if (at.Stride == 1) sum.Slice(i, cols).CopyTo(new Span<float>(dst, cols));
                    else
                        for (int j = 0; j < cols; j++) dst[(long)j * at.Stride] = sum[i + j];
                }
            }
        }
        finally
        {
            if (rented != null) ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Floats of partial sums added at a time by <see cref="SumPartialsPart"/> (on the stack).</summary>
    private const int SumBlock = 2048;

    /// <summary>dst [O, cnt·P] with dst[o, b·P + q] = src[n0 + b, o, q].</summary>
    private static void GatherChannels(ReadOnlySpan<float> src, int n0, int cnt, int o, int p, float[] dst)
    {
        int ld = cnt * p;
        for (int b = 0; b < cnt; b++)
            for (int oc = 0; oc < o; oc++)
                src.Slice(((n0 + b) * o + oc) * p, p).CopyTo(dst.AsSpan(oc * ld + b * p, p));
    }

    /// <summary>dst [n0 + b, o, q] = src[o, b·P + q] (+ bias[o] when given): the forward's GEMM result to image order.</summary>
    private static void Scatter(float[] src, Span<float> dst, ReadOnlySpan<float> bias, int n0, int cnt, int o, int p)
    {
        int ld = cnt * p;
        for (int b = 0; b < cnt; b++)
            for (int oc = 0; oc < o; oc++)
            {
                var m = src.AsSpan(oc * ld + b * p, p);
                var img = dst.Slice(((n0 + b) * o + oc) * p, p);
                if (bias.IsEmpty) m.CopyTo(img);
                else TensorPrimitives.Add(m, bias[oc], img);
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

    private static void PackChunk(Span<float> big, in ConvGeometry g, int n0, int cnt, float[] cols, int ld) =>
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
    /// Packs (or unpacks) images n0 .. n0+cnt of a chunk; outside a worker-pool part (a batch of one chunk), split into
    /// one contiguous range of images per thread when there is enough work to pay for waking a worker.
    /// </summary>
    private static unsafe void RunChunk(Span<float> big, in ConvGeometry g, int n0, int cnt, float[] cols, int ld, bool unpack,
        ReadOnlySpan<float> bias = default)
    {
        int parts = Math.Min(Parallelism.MaxDegree, cnt);
        if ((long)cnt * g.K * g.SmallPlane < 1 << 15 || WorkerPool.InPart) parts = 1;
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
