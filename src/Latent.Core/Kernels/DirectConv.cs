using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// Direct convolution in the channels-last layout, for inference with weights packed once: every output row
/// (an output pixel, or a sample of a linear layer) is
/// <c>out[r, o] = act(bias[o] + Σ_t Σ_c in[rowIn[r] + tapOff[t] + c] · W[o, c, t])</c>, with no im2col and no packing
/// of the input. A convolution over a zero-padded channels-last image [Hp, Wp, C] has one row per output pixel
/// (rowIn = the input offset of its window's top-left corner) and one tap per kernel position (tapOff = (ky·Wp + kx)·C,
/// dilation included); a linear layer is the case of one tap, with one row per sample (rowIn = sample · C).
/// </summary>
/// <remarks>
/// The weights are packed by <see cref="Pack(ReadOnlySpan{float}, int, int, int, Span{float})"/> into blocks of <see cref="Width"/> output channels, [block][t][c][Width]
/// (32, or 16 where the AVX2 tiles run), so that the kernel reads them in order. The AVX-512 tile holds up to 14 rows × 32 channels in 28 zmm accumulators:
/// per (t, c) it loads two weight vectors (lane l of vector J is channel 32·block + 16J + l) and, for each row, broadcasts
/// its input value and adds the products, as the GEMM micro-kernel does (<see cref="GemmKernelAvx512"/>) but reading the
/// input in place through one pointer per row. Each output element is one FMA chain from 0 over t ascending and, within
/// a tap, c ascending, then the bias is added and the activation applied: exactly <see cref="RunScalar"/>'s
/// <c>acc = fma(in, w, acc)</c> loop, so the two give the same bits, and a row's result does not depend on which rows
/// share its tile (the batch size, the thread count). Channels past the layer's output count are zero weights in the
/// packed block and are not stored. Without AVX-512 the AVX2 tiles (DirectConv.Avx2.cs) run the same chains, 6 rows × 16
/// channels at a time; without AVX2 and FMA, the scalar twins.
/// </remarks>
internal static unsafe partial class DirectConv
{
    /// <summary>Output channels per packed weight block (two 16-lane vectors).</summary>
    internal const int Block = 32;

    /// <summary>Most rows of one AVX-512 tile (28 accumulators of 32 zmm registers).</summary>
    private const int MaxRows512 = 14;

    /// <summary>Most rows of one tile on this machine: 14 with AVX-512, 6 with AVX2 (and for the scalar twins).</summary>
    internal static int MaxRows => Avx512F.IsSupported ? MaxRows512 : MaxRows256;

    /// <summary>Whether this machine runs the kernels in SIMD tiles (AVX-512, or AVX2 with FMA) rather than their scalar twins.</summary>
    internal static bool IsAccelerated => Avx512F.IsSupported || Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Floats of a packed weight for <paramref name="outChannels"/> outputs, <paramref name="taps"/> taps and <paramref name="channels"/> inputs.</summary>
    internal static long PackedSize(int outChannels, int channels, int taps) => (long)Blocks(outChannels) * taps * channels * Width;

    /// <summary>
    /// Output channels per packed weight block on this machine: <see cref="Block"/> (two zmm vectors), or 16 (two ymm
    /// vectors) where the AVX2 tiles run, so that a tile reads every float of the cache lines it loads (with 32-wide
    /// blocks an AVX2 tile used half of each line; 128 images, 1 thread, bench/Latent.Bench convops: 32x14x14 -> 64x7x7
    /// 7.4-7.8 -> 6.3-7.3 ms, 1x28x28 -> 32x14x14 1.0-1.1 -> 0.6-0.9 ms).
    /// </summary>
    internal static int Width => Avx512F.IsSupported || !IsAccelerated ? Block : Half;

    /// <summary>Weight blocks of <see cref="Width"/> channels covering <paramref name="outChannels"/>.</summary>
    internal static int Blocks(int outChannels) => (outChannels + Width - 1) / Width;

    /// <summary>
    /// Packs w [O, C, T] (PyTorch's convolution layout with the kernel positions flattened, or a linear weight [O, C]
    /// with T = 1) into <paramref name="packed"/> [O/Width blocks][T][C][Width], zero past channel O.
    /// </summary>
    internal static void Pack(ReadOnlySpan<float> w, int outChannels, int channels, int taps, Span<float> packed)
    {
        if (w.Length != (long)outChannels * channels * taps) throw new ArgumentException($"DirectConv.Pack: weight has {w.Length} floats, expected {outChannels}x{channels}x{taps}");
        Span<int> tapAt = taps <= 256 ? stackalloc int[taps] : new int[taps];
        for (int t = 0; t < taps; t++) tapAt[t] = t;
        Pack(w, outChannels, channels * taps, channels, taps, tapAt, packed);
    }

    /// <summary>
    /// Packs the weight whose value for output o, input channel c and tap t is
    /// <c>w[o·<paramref name="outStride"/> + c·<paramref name="channelStride"/> + <paramref name="tapAt"/>[t]]</c> into
    /// <paramref name="packed"/> [O/Width blocks][T][C][Width], zero past channel O: the layout <see cref="Pack(ReadOnlySpan{float}, int, int, int, Span{float})"/>
    /// makes, read from any strided view (a transposed convolution's phase reads its taps straight from [O, C, Kh, Kw]).
    /// The (block, tap) slices are split between the kernel threads; packing only copies, so nothing depends on the split.
    /// </summary>
    internal static void Pack(ReadOnlySpan<float> w, int outChannels, int outStride, int channels, int channelStride, ReadOnlySpan<int> tapAt,
        Span<float> packed)
    {
        int taps = tapAt.Length;
        if (packed.Length < PackedSize(outChannels, channels, taps)) throw new ArgumentException("DirectConv.Pack: destination too small", nameof(packed));
        int maxTap = 0;
        foreach (int at in tapAt) maxTap = Math.Max(maxTap, at);
        if (outChannels > 0 && channels > 0 && taps > 0 &&
            (tapAt.IndexOfAnyExceptInRange(0, int.MaxValue) >= 0 ||
             (long)(outChannels - 1) * outStride + (long)(channels - 1) * channelStride + maxTap >= w.Length))
            throw new ArgumentException($"DirectConv.Pack: weight has {w.Length} floats, too few for {outChannels}x{channels}x{taps} at strides {outStride}, {channelStride}", nameof(w));
        fixed (float* pw = w, pp = packed)
        fixed (int* pt = tapAt)
        {
            var job = new PackJob { W = pw, Packed = pp, TapAt = pt, OutChannels = outChannels, OutStride = outStride, Channels = channels, ChannelStride = channelStride, Taps = taps };
            ParallelRange.For(Blocks(outChannels) * taps, 1, 2L * channels * Width, &PackPart, &job);
        }
    }

    private struct PackJob
    {
        public float* W, Packed;
        public int* TapAt;
        public int OutChannels, OutStride, Channels, ChannelStride, Taps;
    }

    /// <summary>Slices [block][tap] <paramref name="lo"/> .. <paramref name="hi"/> of a packed weight, each C × Width floats.</summary>
    private static void PackPart(void* ctx, int lo, int hi)
    {
        ref PackJob job = ref *(PackJob*)ctx;
        int width = Width, channels = job.Channels;
        for (int u = lo; u < hi; u++)
        {
            int b = u / job.Taps, at = job.TapAt[u % job.Taps];
            float* dst = job.Packed + (long)u * channels * width;
            for (int c = 0; c < channels; c++, dst += width)
                for (int j = 0; j < width; j++)
                {
                    int o = b * width + j;
                    dst[j] = o < job.OutChannels ? job.W[(long)o * job.OutStride + (long)c * job.ChannelStride + at] : 0f;
                }
        }
    }

    /// <summary>
    /// Computes <paramref name="rows"/> output rows: row r reads the input from <paramref name="input"/> + rowIn[r] and
    /// writes its <paramref name="outChannels"/> results at <paramref name="output"/> + rowOut[r]. <paramref name="bias"/>
    /// (null for none) has <paramref name="outChannels"/> floats; <paramref name="relu"/> clamps at 0 after the bias.
    /// Runs on the calling thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Run(float* input, int* rowIn, int rows, int* tapOff, int taps, int channels, float* packed,
        float* bias, int outChannels, float* output, int* rowOut, bool relu)
    {
        if (!IsAccelerated)
        {
            RunScalar(input, rowIn, rows, tapOff, taps, channels, packed, bias, outChannels, output, rowOut, relu);
            return;
        }
        bool wide = Avx512F.IsSupported;
        int width = Width;
        // Tiles as equal as possible (49 rows: 13, 12, 12, 12 rather than 14, 14, 14, 7), so each keeps most accumulators busy.
        int tiles = (rows + MaxRows - 1) / MaxRows;
        long blockSize = (long)taps * channels * width;
        float* spill = stackalloc float[Block];
        // A tile reads a whole block's bias: a full block's straight from the bias, zeros without one, and the last
        // block's, when it has fewer channels, from a copy padded with zeros (made once, not once a tile).
        float* zeros = stackalloc float[Block];
        float* tail = stackalloc float[Block];
        new Span<float>(zeros, Block).Clear();
        int full = outChannels / width * width;
        for (int j = 0; j < width; j++) tail[j] = bias != null && full + j < outChannels ? bias[full + j] : 0f;
        for (int tile = 0, start = 0; tile < tiles; tile++)
        {
            int end = (int)((long)rows * (tile + 1) / tiles);
            int n = end - start;
            for (int b = 0, o0 = 0; o0 < outChannels; b++, o0 += width)
            {
                int count = Math.Min(width, outChannels - o0);
                var job = new TileJob
                {
                    Input = input, RowIn = rowIn + start, TapOff = tapOff, Taps = taps, Channels = channels,
                    Weights = packed + b * blockSize, Bias = count < width ? tail : bias != null ? bias + o0 : zeros,
                    Output = output + o0, RowOut = rowOut + start,
                    Spill = spill, Count = count, Relu = relu,
                };
                if (wide) Dispatch<ForwardTile, TileJob>(n, ref job);
                else Dispatch<ForwardTile256, TileJob>(n, ref job);
            }
            start = end;
        }
    }

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> of <see cref="Run"/> with the same arguments: a contiguous
    /// range of the weight blocks when there are at least <paramref name="parts"/> of them (each part reads only its
    /// blocks' weights), else of the rows. The parts write disjoint outputs, together exactly Run's, with the same bits
    /// (an output's chain does not depend on its tile); they may run on different threads at once.
    /// </summary>
    internal static void RunPart(float* input, int* rowIn, int rows, int* tapOff, int taps, int channels, float* packed,
        float* bias, int outChannels, float* output, int* rowOut, bool relu, int part, int parts)
    {
        int blocks = Blocks(outChannels);
        if (blocks >= parts)
        {
            int lo = (int)((long)blocks * part / parts), hi = (int)((long)blocks * (part + 1) / parts);
            if (lo == hi) return;
            int o0 = lo * Width, count = Math.Min(outChannels, hi * Width) - o0;
            Run(input, rowIn, rows, tapOff, taps, channels, packed + (long)lo * taps * channels * Width, bias == null ? null : bias + o0,
                count, output + o0, rowOut, relu);
        }
        else
        {
            int lo = (int)((long)rows * part / parts), hi = (int)((long)rows * (part + 1) / parts);
            if (lo == hi) return;
            Run(input, rowIn + lo, hi - lo, tapOff, taps, channels, packed, bias, outChannels, output, rowOut + lo, relu);
        }
    }

    /// <summary>The scalar twin of <see cref="Run"/>: the same chain per output element, in plain C#.</summary>
    internal static void RunScalar(float* input, int* rowIn, int rows, int* tapOff, int taps, int channels, float* packed,
        float* bias, int outChannels, float* output, int* rowOut, bool relu)
    {
        int width = Width;
        long blockSize = (long)taps * channels * width;
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outChannels; o++)
            {
                float* w = packed + o / width * blockSize + o % width;
                float acc = 0f;
                for (int t = 0; t < taps; t++)
                {
                    float* a = input + rowIn[r] + tapOff[t];
                    for (int c = 0; c < channels; c++, w += width) acc = MathF.FusedMultiplyAdd(a[c], *w, acc);
                }
                float v = acc + (bias != null ? bias[o] : 0f);
                if (relu) v = v > 0f ? v : 0f;
                output[rowOut[r] + o] = v;
            }
    }

    /// <summary>
    /// The weight gradient of one tap, added over the rows: <c>dst[o, c] (+)= Σ_q a[q·lda + o] · input[rowIn[q] + tapOff + c]</c>
    /// for o &lt; <paramref name="outChannels"/>, c &lt; <paramref name="channels"/> (dst [O, C], row stride C): a is the
    /// output gradient channels-last [rows, O], input the padded channels-last image as in <see cref="Run"/>. With
    /// <paramref name="accumulate"/> the chains continue from dst's values, so summing image after image gives the same
    /// bits as one call over all their rows. The input is read 32 channels at a time: it must have 32 floats of slack
    /// after its last pixel when C is not a multiple of 32 (those lanes are not stored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GradRun(float* a, int lda, int outChannels, float* input, int* rowIn, int rows, int tapOff, int channels,
        float* dst, bool accumulate)
    {
        if (!IsAccelerated)
        {
            GradRunScalar(a, lda, outChannels, input, rowIn, rows, tapOff, channels, dst, accumulate);
            return;
        }
        bool wide = Avx512F.IsSupported;
        int width = wide ? Block : Half;
        int tiles = (outChannels + MaxRows - 1) / MaxRows;
        float* spill = stackalloc float[Block];
        for (int tile = 0, o0 = 0; tile < tiles; tile++)
        {
            int o1 = (int)((long)outChannels * (tile + 1) / tiles);
            for (int c0 = 0; c0 < channels; c0 += width)
            {
                var job = new GradJob
                {
                    A = a + o0, Lda = lda, Input = input + tapOff + c0, RowIn = rowIn, Rows = rows,
                    Dst = dst + (long)o0 * channels + c0, Ldd = channels, Count = Math.Min(width, channels - c0),
                    Accumulate = accumulate, Spill = spill,
                };
                if (wide) Dispatch<GradientTile, GradJob>(o1 - o0, ref job);
                else Dispatch<GradientTile256, GradJob>(o1 - o0, ref job);
            }
            o0 = o1;
        }
    }

    /// <summary>The scalar twin of <see cref="GradRun"/>.</summary>
    internal static void GradRunScalar(float* a, int lda, int outChannels, float* input, int* rowIn, int rows, int tapOff, int channels,
        float* dst, bool accumulate)
    {
        for (int o = 0; o < outChannels; o++)
            for (int c = 0; c < channels; c++)
            {
                float acc = accumulate ? dst[(long)o * channels + c] : 0f;
                for (int q = 0; q < rows; q++) acc = MathF.FusedMultiplyAdd(a[(long)q * lda + o], input[rowIn[q] + tapOff + c], acc);
                dst[(long)o * channels + c] = acc;
            }
    }

    private struct GradJob
    {
        public float* A;
        public int Lda;
        public float* Input;
        public int* RowIn;
        public int Rows;
        public float* Dst;
        public int Ldd, Count;
        public bool Accumulate;
        public float* Spill;
    }

    /// <summary>
    /// One weight-gradient tile of TRows.N output channels × 32 input channels. Per row q of the output gradient: b0, b1
    /// are the input's 32 channels at that row's window (lane l of bJ is channel 16J + l) and, for each output channel i,
    /// a = a[q·lda + i] broadcast, c{i}_{J} = fma(a, bJ, c{i}_{J}): GradRunScalar's chain, q ascending.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradTile<TRows>(ref GradJob job) where TRows : struct, IRows
    {
        int n = TRows.N;
        Vector512<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default, c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default, c11_0 = default, c11_1 = default;
        Vector512<float> c12_0 = default, c12_1 = default, c13_0 = default, c13_1 = default;
        if (job.Accumulate)
        {
            Load(ref job, 0, out c0_0, out c0_1);
            if (n > 1) Load(ref job, 1, out c1_0, out c1_1);
            if (n > 2) Load(ref job, 2, out c2_0, out c2_1);
            if (n > 3) Load(ref job, 3, out c3_0, out c3_1);
            if (n > 4) Load(ref job, 4, out c4_0, out c4_1);
            if (n > 5) Load(ref job, 5, out c5_0, out c5_1);
            if (n > 6) Load(ref job, 6, out c6_0, out c6_1);
            if (n > 7) Load(ref job, 7, out c7_0, out c7_1);
            if (n > 8) Load(ref job, 8, out c8_0, out c8_1);
            if (n > 9) Load(ref job, 9, out c9_0, out c9_1);
            if (n > 10) Load(ref job, 10, out c10_0, out c10_1);
            if (n > 11) Load(ref job, 11, out c11_0, out c11_1);
            if (n > 12) Load(ref job, 12, out c12_0, out c12_1);
            if (n > 13) Load(ref job, 13, out c13_0, out c13_1);
        }
        float* a = job.A;
        nint lda = job.Lda;
        float* input = job.Input;
        int* rowIn = job.RowIn;
        for (int q = 0; q < job.Rows; q++, a += lda)
        {
            float* b = input + rowIn[q];
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            { Vector512<float> v = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(v, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(v, b1, c0_1); }
            if (n > 1) { Vector512<float> v = Vector512.Create(a[1]); c1_0 = Avx512F.FusedMultiplyAdd(v, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(v, b1, c1_1); }
            if (n > 2) { Vector512<float> v = Vector512.Create(a[2]); c2_0 = Avx512F.FusedMultiplyAdd(v, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(v, b1, c2_1); }
            if (n > 3) { Vector512<float> v = Vector512.Create(a[3]); c3_0 = Avx512F.FusedMultiplyAdd(v, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(v, b1, c3_1); }
            if (n > 4) { Vector512<float> v = Vector512.Create(a[4]); c4_0 = Avx512F.FusedMultiplyAdd(v, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(v, b1, c4_1); }
            if (n > 5) { Vector512<float> v = Vector512.Create(a[5]); c5_0 = Avx512F.FusedMultiplyAdd(v, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(v, b1, c5_1); }
            if (n > 6) { Vector512<float> v = Vector512.Create(a[6]); c6_0 = Avx512F.FusedMultiplyAdd(v, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(v, b1, c6_1); }
            if (n > 7) { Vector512<float> v = Vector512.Create(a[7]); c7_0 = Avx512F.FusedMultiplyAdd(v, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(v, b1, c7_1); }
            if (n > 8) { Vector512<float> v = Vector512.Create(a[8]); c8_0 = Avx512F.FusedMultiplyAdd(v, b0, c8_0); c8_1 = Avx512F.FusedMultiplyAdd(v, b1, c8_1); }
            if (n > 9) { Vector512<float> v = Vector512.Create(a[9]); c9_0 = Avx512F.FusedMultiplyAdd(v, b0, c9_0); c9_1 = Avx512F.FusedMultiplyAdd(v, b1, c9_1); }
            if (n > 10) { Vector512<float> v = Vector512.Create(a[10]); c10_0 = Avx512F.FusedMultiplyAdd(v, b0, c10_0); c10_1 = Avx512F.FusedMultiplyAdd(v, b1, c10_1); }
            if (n > 11) { Vector512<float> v = Vector512.Create(a[11]); c11_0 = Avx512F.FusedMultiplyAdd(v, b0, c11_0); c11_1 = Avx512F.FusedMultiplyAdd(v, b1, c11_1); }
            if (n > 12) { Vector512<float> v = Vector512.Create(a[12]); c12_0 = Avx512F.FusedMultiplyAdd(v, b0, c12_0); c12_1 = Avx512F.FusedMultiplyAdd(v, b1, c12_1); }
            if (n > 13) { Vector512<float> v = Vector512.Create(a[13]); c13_0 = Avx512F.FusedMultiplyAdd(v, b0, c13_0); c13_1 = Avx512F.FusedMultiplyAdd(v, b1, c13_1); }
        }
        Save(ref job, 0, c0_0, c0_1);
        if (n > 1) Save(ref job, 1, c1_0, c1_1);
        if (n > 2) Save(ref job, 2, c2_0, c2_1);
        if (n > 3) Save(ref job, 3, c3_0, c3_1);
        if (n > 4) Save(ref job, 4, c4_0, c4_1);
        if (n > 5) Save(ref job, 5, c5_0, c5_1);
        if (n > 6) Save(ref job, 6, c6_0, c6_1);
        if (n > 7) Save(ref job, 7, c7_0, c7_1);
        if (n > 8) Save(ref job, 8, c8_0, c8_1);
        if (n > 9) Save(ref job, 9, c9_0, c9_1);
        if (n > 10) Save(ref job, 10, c10_0, c10_1);
        if (n > 11) Save(ref job, 11, c11_0, c11_1);
        if (n > 12) Save(ref job, 12, c12_0, c12_1);
        if (n > 13) Save(ref job, 13, c13_0, c13_1);
    }

    /// <summary>Row r's running sums from dst (zeros past the block's valid channels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(ref GradJob job, int r, out Vector512<float> acc0, out Vector512<float> acc1)
    {
        float* d = job.Dst + (long)r * job.Ldd;
        if (job.Count == Block)
        {
            acc0 = Vector512.Load(d);
            acc1 = Vector512.Load(d + 16);
            return;
        }
        float* tmp = job.Spill;
        for (int j = 0; j < Block; j++) tmp[j] = j < job.Count ? d[j] : 0f;
        acc0 = Vector512.Load(tmp);
        acc1 = Vector512.Load(tmp + 16);
    }

    /// <summary>Row r's sums to dst, only the block's valid channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Save(ref GradJob job, int r, Vector512<float> acc0, Vector512<float> acc1)
    {
        float* d = job.Dst + (long)r * job.Ldd;
        if (job.Count == Block)
        {
            Vector512.Store(acc0, d);
            Vector512.Store(acc1, d + 16);
            return;
        }
        float* tmp = job.Spill;
        Vector512.Store(acc0, tmp);
        Vector512.Store(acc1, tmp + 16);
        for (int j = 0; j < job.Count; j++) d[j] = tmp[j];
    }

    private struct TileJob
    {
        public float* Input;
        public int* RowIn;
        public int* TapOff;
        public int Taps, Channels;
        public float* Weights;
        public float* Bias;
        public float* Output;
        public int* RowOut;
        public float* Spill; // 32 floats for a block with fewer valid channels
        public int Count;
        public bool Relu;
    }

    /// <summary>Which tile kernel a dispatch runs: <see cref="Tile{TRows}"/>, <see cref="GradTile{TRows}"/> or their AVX2 forms.</summary>
    private interface ITileKernel<TJob> where TJob : struct
    {
        static abstract void Run<TRows>(ref TJob job) where TRows : struct, IRows;
    }

    private struct ForwardTile : ITileKernel<TileJob>
    {
        public static void Run<TRows>(ref TileJob job) where TRows : struct, IRows => Tile<TRows>(ref job);
    }

    private struct GradientTile : ITileKernel<GradJob>
    {
        public static void Run<TRows>(ref GradJob job) where TRows : struct, IRows => GradTile<TRows>(ref job);
    }

    /// <summary>Runs <typeparamref name="TKernel"/>'s tile compiled for <paramref name="rows"/> rows.</summary>
    private static void Dispatch<TKernel, TJob>(int rows, ref TJob job) where TKernel : struct, ITileKernel<TJob> where TJob : struct
    {
        switch (rows)
        {
            case 1: TKernel.Run<R1>(ref job); break;
            case 2: TKernel.Run<R2>(ref job); break;
            case 3: TKernel.Run<R3>(ref job); break;
            case 4: TKernel.Run<R4>(ref job); break;
            case 5: TKernel.Run<R5>(ref job); break;
            case 6: TKernel.Run<R6>(ref job); break;
            case 7: TKernel.Run<R7>(ref job); break;
            case 8: TKernel.Run<R8>(ref job); break;
            case 9: TKernel.Run<R9>(ref job); break;
            case 10: TKernel.Run<R10>(ref job); break;
            case 11: TKernel.Run<R11>(ref job); break;
            case 12: TKernel.Run<R12>(ref job); break;
            case 13: TKernel.Run<R13>(ref job); break;
            case 14: TKernel.Run<R14>(ref job); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "DirectConv: a tile has 1 to 14 rows");
        }
    }

    /// <summary>A row count known when the JIT compiles <see cref="Tile{TRows}"/>, so it keeps only that many accumulators.</summary>
    private interface IRows { static abstract int N { get; } }
    private struct R1 : IRows { public static int N => 1; }
    private struct R2 : IRows { public static int N => 2; }
    private struct R3 : IRows { public static int N => 3; }
    private struct R4 : IRows { public static int N => 4; }
    private struct R5 : IRows { public static int N => 5; }
    private struct R6 : IRows { public static int N => 6; }
    private struct R7 : IRows { public static int N => 7; }
    private struct R8 : IRows { public static int N => 8; }
    private struct R9 : IRows { public static int N => 9; }
    private struct R10 : IRows { public static int N => 10; }
    private struct R11 : IRows { public static int N => 11; }
    private struct R12 : IRows { public static int N => 12; }
    private struct R13 : IRows { public static int N => 13; }
    private struct R14 : IRows { public static int N => 14; }

    /// <summary>
    /// One tile of TRows.N rows × 32 channels. Lane l of c{i}_{J} accumulates row i, channel 16J + l of the block;
    /// the branches on TRows.N are constants, so the JIT drops the rows the tile does not have.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(ref TileJob job) where TRows : struct, IRows
    {
        int n = TRows.N;
        Vector512<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default, c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default, c11_0 = default, c11_1 = default;
        Vector512<float> c12_0 = default, c12_1 = default, c13_0 = default, c13_1 = default;
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
            float* a6 = n > 6 ? tap + rowIn[6] : null;
            float* a7 = n > 7 ? tap + rowIn[7] : null;
            float* a8 = n > 8 ? tap + rowIn[8] : null;
            float* a9 = n > 9 ? tap + rowIn[9] : null;
            float* a10 = n > 10 ? tap + rowIn[10] : null;
            float* a11 = n > 11 ? tap + rowIn[11] : null;
            float* a12 = n > 12 ? tap + rowIn[12] : null;
            float* a13 = n > 13 ? tap + rowIn[13] : null;
            for (int c = 0; c < channels; c++, w += Block)
            {
                Vector512<float> b0 = Vector512.Load(w), b1 = Vector512.Load(w + 16);
                { Vector512<float> a = Vector512.Create(a0[c]); c0_0 = Avx512F.FusedMultiplyAdd(a, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(a, b1, c0_1); }
                if (n > 1) { Vector512<float> a = Vector512.Create(a1[c]); c1_0 = Avx512F.FusedMultiplyAdd(a, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(a, b1, c1_1); }
                if (n > 2) { Vector512<float> a = Vector512.Create(a2[c]); c2_0 = Avx512F.FusedMultiplyAdd(a, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(a, b1, c2_1); }
                if (n > 3) { Vector512<float> a = Vector512.Create(a3[c]); c3_0 = Avx512F.FusedMultiplyAdd(a, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(a, b1, c3_1); }
                if (n > 4) { Vector512<float> a = Vector512.Create(a4[c]); c4_0 = Avx512F.FusedMultiplyAdd(a, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(a, b1, c4_1); }
                if (n > 5) { Vector512<float> a = Vector512.Create(a5[c]); c5_0 = Avx512F.FusedMultiplyAdd(a, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(a, b1, c5_1); }
                if (n > 6) { Vector512<float> a = Vector512.Create(a6[c]); c6_0 = Avx512F.FusedMultiplyAdd(a, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(a, b1, c6_1); }
                if (n > 7) { Vector512<float> a = Vector512.Create(a7[c]); c7_0 = Avx512F.FusedMultiplyAdd(a, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(a, b1, c7_1); }
                if (n > 8) { Vector512<float> a = Vector512.Create(a8[c]); c8_0 = Avx512F.FusedMultiplyAdd(a, b0, c8_0); c8_1 = Avx512F.FusedMultiplyAdd(a, b1, c8_1); }
                if (n > 9) { Vector512<float> a = Vector512.Create(a9[c]); c9_0 = Avx512F.FusedMultiplyAdd(a, b0, c9_0); c9_1 = Avx512F.FusedMultiplyAdd(a, b1, c9_1); }
                if (n > 10) { Vector512<float> a = Vector512.Create(a10[c]); c10_0 = Avx512F.FusedMultiplyAdd(a, b0, c10_0); c10_1 = Avx512F.FusedMultiplyAdd(a, b1, c10_1); }
                if (n > 11) { Vector512<float> a = Vector512.Create(a11[c]); c11_0 = Avx512F.FusedMultiplyAdd(a, b0, c11_0); c11_1 = Avx512F.FusedMultiplyAdd(a, b1, c11_1); }
                if (n > 12) { Vector512<float> a = Vector512.Create(a12[c]); c12_0 = Avx512F.FusedMultiplyAdd(a, b0, c12_0); c12_1 = Avx512F.FusedMultiplyAdd(a, b1, c12_1); }
                if (n > 13) { Vector512<float> a = Vector512.Create(a13[c]); c13_0 = Avx512F.FusedMultiplyAdd(a, b0, c13_0); c13_1 = Avx512F.FusedMultiplyAdd(a, b1, c13_1); }
            }
        }
        Vector512<float> bias0 = Vector512.Load(job.Bias), bias1 = Vector512.Load(job.Bias + 16);
        Store(ref job, 0, c0_0, c0_1, bias0, bias1);
        if (n > 1) Store(ref job, 1, c1_0, c1_1, bias0, bias1);
        if (n > 2) Store(ref job, 2, c2_0, c2_1, bias0, bias1);
        if (n > 3) Store(ref job, 3, c3_0, c3_1, bias0, bias1);
        if (n > 4) Store(ref job, 4, c4_0, c4_1, bias0, bias1);
        if (n > 5) Store(ref job, 5, c5_0, c5_1, bias0, bias1);
        if (n > 6) Store(ref job, 6, c6_0, c6_1, bias0, bias1);
        if (n > 7) Store(ref job, 7, c7_0, c7_1, bias0, bias1);
        if (n > 8) Store(ref job, 8, c8_0, c8_1, bias0, bias1);
        if (n > 9) Store(ref job, 9, c9_0, c9_1, bias0, bias1);
        if (n > 10) Store(ref job, 10, c10_0, c10_1, bias0, bias1);
        if (n > 11) Store(ref job, 11, c11_0, c11_1, bias0, bias1);
        if (n > 12) Store(ref job, 12, c12_0, c12_1, bias0, bias1);
        if (n > 13) Store(ref job, 13, c13_0, c13_1, bias0, bias1);
    }

    /// <summary>Row r's 32 sums plus the bias, clamped at 0 for ReLU (maxps gives +0 for ±0 and 0 for NaN, as the scalar <c>v &gt; 0 ? v : 0</c>); only the block's valid channels are stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref TileJob job, int r, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> bias0, Vector512<float> bias1)
    {
        Vector512<float> v0 = acc0 + bias0, v1 = acc1 + bias1;
        if (job.Relu)
        {
            v0 = Avx512F.Max(v0, Vector512<float>.Zero);
            v1 = Avx512F.Max(v1, Vector512<float>.Zero);
        }
        float* o = job.Output + job.RowOut[r];
        if (job.Count == Block)
        {
            Vector512.Store(v0, o);
            Vector512.Store(v1, o + 16);
            return;
        }
        float* tmp = job.Spill;
        Vector512.Store(v0, tmp);
        Vector512.Store(v1, tmp + 16);
        for (int j = 0; j < job.Count; j++) o[j] = tmp[j];
    }
}
