namespace Latent.Core.Kernels;

/// <summary>
/// A transposed convolution (the input gradient of a convolution, or ConvTranspose2d) as direct convolutions, gathering
/// instead of scattering. Big pixel (Y, X) receives small pixel (oy, ox) through tap (ky, kx) when Y + PadH = oy·s + ky·d
/// (and likewise for X), so only the taps with ky·d ≡ (Y + PadH) mod s reach it, from oy = (Y + PadH − ky·d) / s. The
/// big pixels therefore fall into s × s phases by (Y + PadH) mod s and (X + Pad) mod s; within a phase every pixel
/// reads the same taps at the same offsets from its base small pixel ((Y + PadH − phase) / s, ...), which is
/// <see cref="DirectConv"/>'s form with the small image's O channels as its inputs and the big image's C channels as
/// its outputs.
/// </summary>
/// <remarks>
/// The small image is moved to channels-last with zero borders wide enough that every tap of every phase reads inside
/// it (<see cref="Measure"/>): small pixels outside the image contribute nothing, as in the definition. A big pixel no
/// tap reaches (a kernel smaller than the stride, or output padding) gets the bias alone. Each big output is one chain
/// of FMAs over its phase's taps and the small channels, so its bits do not depend on the batch or the thread count.
/// </remarks>
internal static unsafe class TransposedPhases
{
    /// <summary>Ints per phase in the layout: first row, row count, first tap, tap count, first float of its packed weights.</summary>
    internal const int LayoutStride = 5;

    /// <summary>The padded small image and the sizes of the buffers <see cref="Build"/> fills.</summary>
    internal readonly record struct Sizes(int Top, int Left, int Height, int Width, int Taps, long Packed)
    {
        /// <summary>Ints of the offsets: two per big pixel (window, result), then one per tap of every phase.</summary>
        public int Offsets(in ConvGeometry g) => 2 * g.BigPlane + Taps;
    }

    /// <summary>Borders and buffer sizes for geometry <paramref name="g"/> (small [O, Ho, Wo] → big [C, H, W]).</summary>
    internal static Sizes Measure(in ConvGeometry g)
    {
        int s = g.Stride, d = g.Dilation;
        // Above and left: the largest tap shift (k·d) / s; below and right: as far as the last big pixel's base reaches.
        int top = (g.Kh - 1) * d / s, left = (g.Kw - 1) * d / s;
        int bottom = Math.Max(0, (g.H - 1 + g.PadH) / s - (g.Ho - 1)), right = Math.Max(0, (g.W - 1 + g.Pad) / s - (g.Wo - 1));
        int taps = 0;
        long packed = 0;
        for (int ph = 0; ph < s * s; ph++)
        {
            int t = CountTaps(g.Kh, d, s, ph / s) * CountTaps(g.Kw, d, s, ph % s);
            taps += t;
            packed += DirectConv.PackedSize(g.C, g.O, t);
        }
        return new Sizes(top, left, g.Ho + top + bottom, g.Wo + left + right, taps, packed);
    }

    /// <summary>
    /// Fills the offsets (<see cref="Sizes.Offsets"/> ints), the layout (<see cref="LayoutStride"/>·s² ints) and the
    /// packed weights (<see cref="Sizes.Packed"/> floats) of <paramref name="w"/> [O, C, Kh, Kw]. Big pixel (Y, X)'s C results go
    /// to ((Y + outPad)·(W + 2·outPad) + X + outPad)·C of the output: 0 for a [H·W, C] tile, or the next convolution's
    /// padding.
    /// </summary>
    internal static unsafe void Build(in ConvGeometry g, ReadOnlySpan<float> w, int outPad, Span<int> offsets, Span<int> layout, Span<float> packed)
    {
        var sizes = Measure(g);
        int s = g.Stride, d = g.Dilation, o = g.O, c = g.C, bigPlane = g.BigPlane, ws = sizes.Width;
        int row = 0, tap = 0;
        long packedStart = 0;
        // Where each phase's taps are in w's kernel plane (ky·Kw + kx), phase after phase as in the offsets.
        Span<int> tapAt = g.Kh * g.Kw <= 256 ? stackalloc int[g.Kh * g.Kw] : new int[g.Kh * g.Kw];
        for (int ph = 0; ph < s * s; ph++)
        {
            int py = ph / s, px = ph % s;
            var l = layout.Slice(ph * LayoutStride, LayoutStride);
            l[0] = row;
            // The rows of a phase are contiguous: each big pixel's base small pixel in the padded image, and where its results go.
            for (int y = (py - g.PadH % s + s) % s; y < g.H; y += s)
                for (int x = (px - g.Pad % s + s) % s; x < g.W; x += s, row++)
                {
                    int by = (y + g.PadH - py) / s, bx = (x + g.Pad - px) / s;
                    offsets[row] = ((by + sizes.Top) * ws + bx + sizes.Left) * o;
                    offsets[bigPlane + row] = ((y + outPad) * (g.W + 2 * outPad) + x + outPad) * c;
                }
            l[1] = row - l[0];
            // The phase's taps: offset −(my·ws + mx)·O from the base, my = (ky·d − py) / s.
            int taps = CountTaps(g.Kh, d, s, py) * CountTaps(g.Kw, d, s, px);
            l[2] = tap;
            l[3] = taps;
            l[4] = (int)packedStart;
            for (int ky = 0; ky < g.Kh; ky++)
            {
                if (ky * d % s != py) continue;
                for (int kx = 0; kx < g.Kw; kx++)
                {
                    if (kx * d % s != px) continue;
                    int my = (ky * d - py) / s, mx = (kx * d - px) / s;
                    offsets[2 * bigPlane + tap] = -(my * ws + mx) * o;
                    tapAt[tap++] = ky * g.Kw + kx;
                }
            }
            packedStart += DirectConv.PackedSize(c, o, taps);
        }
        // The phases' weights, packed in parallel: w's taps read as [C outputs, O inputs, taps].
        fixed (float* pw = w, pp = packed)
        fixed (int* pl = layout, pt = tapAt)
        {
            var job = new PackJob { W = pw, WLength = w.Length, Packed = pp, PackedLength = packed.Length, Layout = pl, TapAt = pt, G = g };
            ParallelRange.For(s * s, 1, Math.Max(1, 2 * sizes.Packed / (s * s)), &PackPhases, &job);
        }
    }

    private struct PackJob
    {
        public float* W, Packed;
        public int* Layout, TapAt;
        public int WLength, PackedLength;
        public ConvGeometry G;
    }

    private static void PackPhases(void* ctx, int lo, int hi)
    {
        ref PackJob job = ref *(PackJob*)ctx;
        var g = job.G;
        for (int ph = lo; ph < hi; ph++)
        {
            int* l = job.Layout + ph * LayoutStride;
            var packed = new Span<float>(job.Packed, job.PackedLength).Slice(l[4], (int)DirectConv.PackedSize(g.C, g.O, l[3]));
            DirectConv.Pack(new ReadOnlySpan<float>(job.W, job.WLength), g.C, g.Kh * g.Kw, g.O, g.C * g.Kh * g.Kw,
                new ReadOnlySpan<int>(job.TapAt + l[2], l[3]), packed);
        }
    }

    /// <summary>
    /// One image: <paramref name="small"/> is its padded channels-last small image ([Height, Width, O] of <see cref="Measure"/>),
    /// and every big pixel's C results (plus <paramref name="bias"/>, null for none, then ReLU if asked) go to
    /// <paramref name="output"/> at the offsets <see cref="Build"/> wrote.
    /// </summary>
    internal static void Run(in ConvGeometry g, float* small, int* offsets, int* layout, float* packed, float* bias, float* output, bool relu)
    {
        int bigPlane = g.BigPlane;
        for (int ph = 0; ph < g.Stride * g.Stride; ph++)
        {
            int* l = layout + ph * LayoutStride;
            if (l[1] == 0) continue;
            DirectConv.Run(small, offsets + l[0], l[1], offsets + 2 * bigPlane + l[2], l[3], g.O, packed + l[4], bias, g.C,
                output, offsets + bigPlane + l[0], relu);
        }
    }

    /// <summary>Taps k &lt; <paramref name="kernel"/> with k·d ≡ <paramref name="phase"/> (mod s).</summary>
    private static int CountTaps(int kernel, int d, int s, int phase)
    {
        int n = 0;
        for (int k = 0; k < kernel; k++) if (k * d % s == phase) n++;
        return n;
    }
}
