using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// Moves one image between PyTorch's channels-first layout [C, H, W] and the channels-last layout [H, W, C] of the
/// direct convolution (<see cref="DirectConv"/>): in with zero borders for the convolution's padding, out as its
/// [pixels, channels] result transposed back. Pure data movement, so every path gives the same floats as the plain
/// loops (<see cref="ToPaddedScalar"/>, <see cref="TransposeScalar"/>).
/// </summary>
/// <remarks>
/// The AVX paths move 8 × 8 blocks through <see cref="GemmPack.Transpose8"/> (8 channels of 8 pixels become 8 pixels of
/// 8 channels). A row's last pixels go as the block that ends at its last pixel (it overlaps the one before and writes
/// the same floats again); an image whose rows are shorter than 8 pixels is transposed whole to [pixels, C] and copied
/// in row by row; the channels past the last whole group of 8 go element by element. On the conv VAE's layers (128 images,
/// 1 thread, bench/Latent.Bench convops, c2.to_cl) the 32x14x14 move went 0.32-0.35 ms with its 6-pixel tails element
/// by element and the whole buffer cleared first to 0.11-0.13 ms, with only the borders cleared.
/// </remarks>
internal static unsafe class ChannelsLast
{
    /// <summary>
    /// dst [hp, wp, C] = src [C, H, W] with its top-left pixel at row <paramref name="top"/>, column <paramref name="left"/>,
    /// inside zero borders (the whole of dst is written; hp ≥ top + H, wp ≥ left + W).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT at once: tier 0 would not inline the 8 x 8 transposes
    internal static void ToPadded(float* src, int c, int h, int w, int top, int left, int hp, int wp, float* dst)
    {
        ClearBorders(c, h, w, top, left, hp, wp, dst);
        if (c == 1)
        {
            for (int y = 0; y < h; y++) new ReadOnlySpan<float>(src + (long)y * w, w).CopyTo(new Span<float>(dst + ((long)(y + top) * wp + left), w));
            return;
        }
        if (!Avx.IsSupported)
        {
            ToPaddedScalar(src, c, h, w, top, left, hp, wp, dst);
            return;
        }
        int plane = h * w;
        if (w < 8 && c >= 8)
        {
            ShortRowsToPadded(src, c, h, w, top, left, wp, dst);
            return;
        }
        int c8 = c & ~7;
        for (int y = 0; y < h; y++)
        {
            float* row = dst + ((long)(y + top) * wp + left) * c;
            for (int ch = 0; ch < c8; ch += 8)
            {
                float* s = src + (long)ch * plane + (long)y * w;
                // Rows of the block are channels ch..ch+7 (stride: a plane), columns pixels x..x+7; out: pixel-major. A
                // row's last pixels go as the block ending at its last pixel, rewriting some pixels with the same floats.
                for (int x = 0; x < w; x += 8)
                {
                    int at = Math.Min(x, w - 8);
                    GemmPack.Transpose8(s + at, plane, 8, row + (long)at * c + ch, c);
                }
            }
            for (int ch = c8; ch < c; ch++)
            {
                float* s = src + (long)ch * plane + (long)y * w;
                for (int x = 0; x < w; x++) row[(long)x * c + ch] = s[x];
            }
        }
    }

    /// <summary>
    /// <see cref="ToPadded"/>'s interior for rows shorter than a block (w &lt; 8, C ≥ 8): the whole image transposed to
    /// [pixels, C] in scratch, then copied in row by row.
    /// </summary>
    private static void ShortRowsToPadded(float* src, int c, int h, int w, int top, int left, int wp, float* dst)
    {
        float[] scratch = ArrayPool<float>.Shared.Rent(h * w * c);
        try
        {
            fixed (float* t = scratch)
            {
                Transpose(src, c, h * w, t);
                for (int y = 0; y < h; y++)
                    new ReadOnlySpan<float>(t + (long)y * w * c, w * c).CopyTo(new Span<float>(dst + ((long)(y + top) * wp + left) * c, w * c));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Zeroes the floats of dst [hp, wp, C] outside the image's rows and columns (the interior is left as it is): the
    /// stretches between one interior row's end and the next one's start, one clear each, or the whole buffer when those
    /// are shorter than 16 floats (a one-channel image: one clear beats a call per row).
    /// </summary>
    private static void ClearBorders(int c, int h, int w, int top, int left, int hp, int wp, float* dst)
    {
        long rowFloats = (long)wp * c, size = hp * rowFloats;
        if (hp == h && wp == w) return;
        if (h == 0 || (long)(wp - w) * c < 16)
        {
            new Span<float>(dst, (int)size).Clear();
            return;
        }
        long from = 0;
        for (int y = top; y < top + h; y++)
        {
            long start = y * rowFloats + (long)left * c;
            new Span<float>(dst + from, (int)(start - from)).Clear();
            from = start + (long)w * c;
        }
        new Span<float>(dst + from, (int)(size - from)).Clear();
    }

    /// <summary>The plain loops of <see cref="ToPadded"/>.</summary>
    internal static void ToPaddedScalar(float* src, int c, int h, int w, int top, int left, int hp, int wp, float* dst)
    {
        new Span<float>(dst, hp * wp * c).Clear();
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) dst[((long)(y + top) * wp + x + left) * c + ch] = src[((long)ch * h + y) * w + x];
    }

    /// <summary>dst [cols, rows] = src [rows, cols]ᵀ (a [pixels, channels] result to [channels, pixels]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT at once: tier 0 would not inline the 8 x 8 transposes
    internal static void Transpose(float* src, int rows, int cols, float* dst)
    {
        if (!Avx.IsSupported)
        {
            TransposeScalar(src, rows, cols, dst);
            return;
        }
        int c8 = cols & ~7;
        // Column blocks outside, so that each block of 8 destination rows is written front to back.
        for (int j = 0; j < c8; j += 8)
            for (int r = 0; r < rows; r += 8)
                // Block rows are src rows r..r+n-1 (n may be short: only those are read and written), columns j..j+7.
                GemmPack.Transpose8(src + (long)r * cols + j, cols, Math.Min(8, rows - r), dst + (long)j * rows + r, rows);
        for (int j = c8; j < cols; j++)
            for (int i = 0; i < rows; i++) dst[(long)j * rows + i] = src[(long)i * cols + j];
    }

    /// <summary>The plain loops of <see cref="Transpose"/>.</summary>
    internal static void TransposeScalar(float* src, int rows, int cols, float* dst)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) dst[(long)j * rows + i] = src[(long)i * cols + j];
    }
}
