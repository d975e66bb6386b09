using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// im2col and its adjoint col2im for one image, the data movement that turns a convolution into a GEMM.
/// The column matrix has one row per tap (c, ki, kj), c-major then ki then kj — the order of a weight
/// [O, C, Kh, Kw] read as [O, C·Kh·Kw] — and one column per small-image position (oh, ow), row-major.
/// </summary>
/// <remarks>
/// Several images share one column matrix side by side: image b of a batch writes columns
/// [colOffset, colOffset + Ho·Wo) of rows that are <c>ldCols</c> apart, so one GEMM covers the batch.
/// <para>
/// Phase planes: a strided tap reads every s-th pixel, a short strided gather per output line. Instead each
/// channel is first split, zero-padded, into s×s phase planes (phase (rh, rw) holds padded pixel
/// (a·s + rh, b·s + rw) at (a, b)), in which tap (ki, kj) of output line oh is one contiguous run of Wo
/// floats: row oh + ⌊ki·d/s⌋ of phase ((ki·d) mod s, (kj·d) mod s), from column ⌊kj·d/s⌋. Pack is then
/// vector copies of those runs; Unpack accumulates the runs into the phase planes (seeded with the image) and
/// writes the planes back, so every image element gets its terms in the same order as the per-element loop
/// (tap rows ascending, at most one term per tap): the bits equal <see cref="Im2ColScalar"/>'s.
/// </para>
/// <see cref="Im2ColScalar"/> is the plain per-element twin the tests compare against.
/// </remarks>
internal static unsafe class Im2Col
{
    /// <summary>cols[(c,ki,kj), colOffset + oh·Wo + ow] = image[c, oh·s − p + ki·d, ow·s − p + kj·d] (0 outside).</summary>
    /// <param name="image">One big image [C, H, W].</param>
    /// <param name="g">The geometry (N is ignored).</param>
    /// <param name="cols">The column matrix [C·Kh·Kw, ldCols].</param>
    /// <param name="ldCols">Row stride of <paramref name="cols"/>.</param>
    /// <param name="colOffset">First column written.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ldCols, int colOffset)
    {
        if (g.SmallPlane == 0 || g.K == 0) return;
        Check(image.Length, g, cols.Length, ldCols, colOffset);
        var ph = new Phases(g);
        float[] scratch = Scratch(ph.Size);
        int wo = g.Wo, ho = g.Ho;
        int taps = g.Kh * g.Kw, pb = ph.Ld, bigPlane = g.BigPlane, channels = g.C;
        int* tapOffset = stackalloc int[taps];
        TapOffsets(g, ph, tapOffset);
        var map = NewMap(g, ph, stackalloc int[g.H + 3 * g.Stride]);
        fixed (float* img = image, cp = cols, sp = scratch)
        {
            // Borders (padding) stay zero: only interior positions are written below, channel after channel, and the
            // same geometry writes the same positions, so the next Pack of this geometry can skip the clearing.
            var layout = g with { N = 0 };
            if (!t_bordersClean || t_cleanLayout != layout)
            {
                new Span<float>(sp, ph.Size).Clear();
                t_cleanLayout = layout;
                t_bordersClean = true;
            }
            float* row = cp + colOffset;
            for (int c = 0; c < channels; c++)
            {
                MovePhases(img + (nint)c * bigPlane, g, map, sp, sp + ph.Size, toPhases: true);
                for (int t = 0; t < taps; t++, row += ldCols)
                {
                    float* src = sp + tapOffset[t];
                    float* dst = row;
                    CopyRows(src, pb, dst, wo, ho);
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Pack"/>: image[c, ih, iw] += cols[(c,ki,kj), colOffset + oh·Wo + ow] for every
    /// tap that lands inside the image. <paramref name="image"/> [C, H, W] is accumulated into, or, with
    /// <paramref name="overwrite"/>, treated as zero (the same bits as clearing it first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unpack(ReadOnlySpan<float> cols, int ldCols, int colOffset, in ConvGeometry g, Span<float> image, bool overwrite = false)
    {
        if (g.SmallPlane == 0 || g.K == 0)
        {
            if (overwrite) image[..(g.C * g.BigPlane)].Clear();
            return;
        }
        Check(image.Length, g, cols.Length, ldCols, colOffset);
        var ph = new Phases(g);
        float[] scratch = Scratch(ph.Size);
        int wo = g.Wo, ho = g.Ho;
        int taps = g.Kh * g.Kw, pb = ph.Ld, bigPlane = g.BigPlane, channels = g.C;
        int* tapOffset = stackalloc int[taps];
        TapOffsets(g, ph, tapOffset);
        var map = NewMap(g, ph, stackalloc int[g.H + 3 * g.Stride]);
        bool vector = Vector256.IsHardwareAccelerated;
        t_bordersClean = false; // the taps that fall in the padding accumulate into the borders
        // Pixels past the last tap's reach (bottom rows or right columns no tap reads) are not moved back below.
        if (overwrite && ((g.H - 1 + g.PadH) / g.Stride >= ph.A || (g.W - 1 + g.Pad) / g.Stride >= ph.B))
            image[..(g.C * g.BigPlane)].Clear();
        fixed (float* img = image, cp = cols, sp = scratch)
        {
            float* row = cp + colOffset, lo = cp, hi = cp + cols.Length;
            for (int c = 0; c < channels; c++)
            {
                float* plane = img + (nint)c * bigPlane;
                // Seed the interior with the image (or zeros); borders collect the taps that fall in the padding
                // and are never read back, so whatever they hold does not matter.
                if (overwrite) new Span<float>(sp, ph.Size).Clear();
                else MovePhases(plane, g, map, sp, sp + ph.Size, toPhases: true);
                for (int t = 0; t < taps; t++, row += ldCols)
                {
                    int qw = tapOffset[t] % pb; // the run's first column in its phase row
                    float* dst = sp + (tapOffset[t] - qw);
                    float* src = row;
                    for (int oh = 0; oh < ho; oh++, src += wo, dst += pb)
                    {
                        if (vector && src - qw >= lo && src - qw + pb <= hi) AddRowVector(src, qw, wo, dst, pb);
                        else AddSmall(src, dst + qw, wo);
                    }
                }
                MovePhases(plane, g, map, sp, sp + ph.Size, toPhases: false);
            }
        }
    }

    private static PhaseMap NewMap(in ConvGeometry g, in Phases ph, Span<int> space)
    {
        var map = new PhaseMap
        {
            RowOffset = space[..g.H],
            ColFirst = space.Slice(g.H, g.Stride),
            ColCount = space.Slice(g.H + g.Stride, g.Stride),
            ColOffset = space.Slice(g.H + 2 * g.Stride, g.Stride),
        };
        map.Fill(g, ph);
        return map;
    }

    /// <summary>Offset in the phase planes of tap (ki, kj)'s first run: phase ((ki·d) mod s, (kj·d) mod s), row ⌊ki·d/s⌋, column ⌊kj·d/s⌋.</summary>
    private static void TapOffsets(in ConvGeometry g, in Phases ph, int* offsets)
    {
        int s = g.Stride, d = g.Dilation, t = 0;
        for (int ki = 0; ki < g.Kh; ki++)
            for (int kj = 0; kj < g.Kw; kj++)
                offsets[t++] = (ki * d % s * s + kj * d % s) * ph.Plane + ki * d / s * ph.Ld + kj * d / s;
    }

    /// <summary>Phase-plane sizes: A rows and B columns per phase, s² phases.</summary>
    private readonly struct Phases
    {
        public readonly int A, B, Ld, Plane, Size;

        public Phases(in ConvGeometry g)
        {
            A = g.Ho + (g.Kh - 1) * g.Dilation / g.Stride;
            B = g.Wo + (g.Kw - 1) * g.Dilation / g.Stride;
            Ld = (B + 7) & ~7; // rows start at multiples of 8 floats: Unpack adds whole 8-float blocks
            Plane = A * Ld;
            Size = g.Stride * g.Stride * Plane;
        }
    }

    /// <summary>
    /// Where <see cref="MovePhases"/> moves pixels, computed once per call (no divisions in the pixel loops):
    /// image row ih goes to phase offset <c>RowOffset[ih]</c> (or nowhere when negative); within a row, the pixels
    /// iw = <c>ColFirst[rw]</c> + i·s, i &lt; <c>ColCount[rw]</c>, go to <c>ColOffset[rw]</c> + i.
    /// </summary>
    private ref struct PhaseMap
    {
        public Span<int> RowOffset, ColFirst, ColCount, ColOffset;

        public void Fill(in ConvGeometry g, in Phases ph)
        {
            int s = g.Stride, p = g.Pad, pH = g.PadH;
            for (int ih = 0; ih < g.H; ih++)
            {
                int a = (ih + pH) / s;
                RowOffset[ih] = a < ph.A ? (ih + pH) % s * s * ph.Plane + a * ph.Ld : -1;
            }
            for (int rw = 0; rw < s; rw++)
            {
                int iw0 = ((rw - p) % s + s) % s, b0 = (iw0 + p) / s;
                ColFirst[rw] = iw0;
                ColCount[rw] = iw0 >= g.W || b0 >= ph.B ? 0 : Math.Min((g.W - 1 - iw0) / s + 1, ph.B - b0);
                ColOffset[rw] = rw * ph.Plane + b0;
            }
        }
    }

    /// <summary>
    /// Moves one channel between its image plane and its phase planes: phase[(ih+p) mod s, (iw+p) mod s][(ih+p)/s,
    /// (iw+p)/s] = plane[ih, iw] (<paramref name="toPhases"/>) or back, for the positions some tap reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MovePhases(float* plane, in ConvGeometry g, in PhaseMap map, float* phases, float* phasesEnd, bool toPhases)
    {
        int s = g.Stride, w = g.W, h = g.H;
        float* planeEnd = plane + (nint)h * w;
        // Back to the image with stride 2, an even width and every pixel reached: each row interleaves two phase rows.
        int even = map.ColFirst[0] == 0 ? 0 : 1;
        bool interleave = !toPhases && s == 2 && w >= 8 && (w & 1) == 0 && Sse.IsSupported
            && map.ColFirst[even] == 0 && map.ColCount[even] == w / 2 && map.ColCount[1 - even] == w / 2;
        for (int ih = 0; ih < h; ih++)
        {
            int rowOffset = map.RowOffset[ih];
            if (rowOffset < 0) break;
            float* img = plane + (nint)ih * w;
            if (interleave)
            {
                InterleavePixels(phases + rowOffset + map.ColOffset[even], phases + rowOffset + map.ColOffset[1 - even], img, w / 2);
                continue;
            }
            for (int rw = 0; rw < s; rw++)
            {
                int count = map.ColCount[rw];
                float* pix = img + map.ColFirst[rw];
                float* ph0 = phases + rowOffset + map.ColOffset[rw];
                if (s == 1)
                {
                    if (toPhases) CopySmall(pix, ph0, count);
                    else CopySmall(ph0, pix, count);
                }
                else if (toPhases)
                {
                    int i = 0;
                    if (s == 2 && Avx2.IsSupported) i = EvenPixels(pix, planeEnd, ph0, phasesEnd, count);
                    for (; i < count; i++) ph0[i] = pix[i * s];
                }
                else
                {
                    for (int i = 0; i < count; i++) pix[i * s] = ph0[i];
                }
            }
        }
    }

    /// <summary>
    /// dst[i] = src[2i] for i &lt; n, 8 at a time: two 8-float loads, the even lanes gathered by a shuffle and a
    /// 64-bit-lane permute. A last partial block is blended into what dst holds (lanes past n keep their values).
    /// Only blocks whose 16 source floats lie before <paramref name="srcEnd"/> and whose 8 destination floats lie before
    /// <paramref name="dstEnd"/> are done here; returns how many values were moved (the caller moves the rest singly).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EvenPixels(float* src, float* srcEnd, float* dst, float* dstEnd, int n)
    {
        int i = 0;
        for (; i < n && src + 2 * i + 16 <= srcEnd && dst + i + 8 <= dstEnd; i += 8)
        {
            var a = Avx.LoadVector256(src + 2 * i);
            var b = Avx.LoadVector256(src + 2 * i + 8);
            // [a0 a2 b0 b2 | a4 a6 b4 b6] -> [a0 a2 a4 a6 b0 b2 b4 b6]
            var even = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
            if (n - i < 8)
            {
                var keep = Vector256.LessThan(Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f), Vector256.Create((float)(n - i)));
                even = Vector256.ConditionalSelect(keep, even, Avx.LoadVector256(dst + i));
            }
            Avx.Store(dst + i, even);
        }
        return Math.Min(i, n);
    }

    /// <summary>
    /// dst[2i] = even[i], dst[2i + 1] = odd[i] for i &lt; n (n ≥ 4), 4 pairs at a time with unpack instructions; the
    /// last block overlaps the one before when n is not a multiple of 4 (it rewrites the same values). Reads
    /// even[0 .. n) and odd[0 .. n) only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InterleavePixels(float* even, float* odd, float* dst, int n)
    {
        for (int i = 0; ; i += 4)
        {
            if (i > n - 4) i = n - 4;
            var e = Sse.LoadVector128(even + i);
            var o = Sse.LoadVector128(odd + i);
            Sse.Store(dst + 2 * i, Sse.UnpackLow(e, o));
            Sse.Store(dst + 2 * i + 4, Sse.UnpackHigh(e, o));
            if (i == n - 4) return;
        }
    }

    /// <summary>
    /// dst[r·n + i] = src[r·lds + i] for r &lt; rows, i &lt; n: one tap's output lines, which lie back to back in the
    /// column row. Lines of 4 to 7 floats (a 7×7 output map) go as one 8-float vector each:
    /// the few floats past a line land on the start of the next line, which the next store overwrites, and the read
    /// past a line stays inside the next source line (lds + n ≥ 8); the last line is copied exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRows(float* src, int lds, float* dst, int n, int rows)
    {
        int r = 0;
        if (n >= 4 && n < 8 && lds + n >= 8 && Vector256.IsHardwareAccelerated)
            for (; r < rows - 1; r++, src += lds, dst += n) Vector256.Store(Vector256.Load(src), dst);
        for (; r < rows; r++, src += lds, dst += n) CopySmall(src, dst, n);
    }

    /// <summary>dst[0..n) = src[0..n): vector copies, the last one overlapping (no write outside the range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySmall(float* src, float* dst, int n)
    {
        if (n >= 8 && Vector256.IsHardwareAccelerated)
        {
            int i = 0;
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
            if (i < n) Vector256.Store(Vector256.Load(src + n - 8), dst + n - 8);
            return;
        }
        if (n >= 4 && Vector128.IsHardwareAccelerated)
        {
            int i = 0;
            for (; i <= n - 4; i += 4) Vector128.Store(Vector128.Load(src + i), dst + i);
            if (i < n) Vector128.Store(Vector128.Load(src + n - 4), dst + n - 4);
            return;
        }
        for (int i = 0; i < n; i++) dst[i] = src[i];
    }

    /// <summary>
    /// dst[qw + i] += src[i] for i &lt; n over the whole phase row dst[0..ld) in aligned 8-float blocks: lanes outside
    /// [qw, qw + n) add −0.0, which leaves every float (−0 and NaN included) as it is. Whole-block adds keep every load
    /// of a phase row aligned with the earlier stores to it (a load straddling two stores cannot be forwarded and
    /// stalls), so the taps of a phase can follow each other closely. src[−qw .. ld − qw) must be readable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRowVector(float* src, int qw, int n, float* dst, int ld)
    {
        var lane = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        var first = Vector256.Create((float)qw);
        var end = Vector256.Create((float)(qw + n));
        var negZero = Vector256.Create(-0f);
        for (int j = 0; j < ld; j += 8, lane += Vector256.Create(8f))
        {
            var inside = Vector256.GreaterThanOrEqual(lane, first) & Vector256.LessThan(lane, end);
            var v = Vector256.ConditionalSelect(inside, Vector256.Load(src - qw + j), negZero);
            Vector256.Store(Vector256.Load(dst + j) + v, dst + j);
        }
    }

    /// <summary>dst[i] += src[i] for i &lt; n (one add per element, as the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSmall(float* src, float* dst, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4) Vector128.Store(Vector128.Load(dst + i) + Vector128.Load(src + i), dst + i);
        for (; i < n; i++) dst[i] += src[i];
    }

    private static void Check(int imageLength, in ConvGeometry g, int colsLength, int ldCols, int colOffset)
    {
        if (imageLength < g.C * g.BigPlane)
            throw new ArgumentException($"Im2Col: image has {imageLength} elements, needs {g.C * g.BigPlane}", "image");
        if (colOffset < 0 || colOffset + g.SmallPlane > ldCols || colsLength < (long)(g.K - 1) * ldCols + colOffset + g.SmallPlane)
            throw new ArgumentException($"Im2Col: columns [{g.K}, {ldCols}] ({colsLength} elements) cannot hold {g.SmallPlane} columns from {colOffset}", "cols");
    }

    // Per-thread phase planes (images of one chunk are packed in parallel, one thread per range of images).
    [ThreadStatic] private static float[]? t_scratch;

    // Whether the scratch's phase-plane borders are all zero for t_cleanLayout (set by Pack, cleared by Unpack).
    [ThreadStatic] private static bool t_bordersClean;
    [ThreadStatic] private static ConvGeometry t_cleanLayout;

    private static float[] Scratch(int floats)
    {
        var buf = t_scratch;
        if (buf is null || buf.Length < floats)
        {
            t_scratch = buf = new float[Math.Max(floats, 1024)];
            t_bordersClean = false;
        }
        return buf;
    }
}
