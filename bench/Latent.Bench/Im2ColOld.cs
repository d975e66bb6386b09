using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using Latent.Core.Kernels;
namespace Latent.Bench;

/// <summary>
/// The im2col/col2im of main at 8c9baa2 (per-row strided gathers), kept only so `Latent.Bench convops` can time old
/// against new in one process. Original summary:
/// im2col and its adjoint col2im for one image, the data movement that turns a convolution into a GEMM.
/// The column matrix has one row per tap (c, ki, kj), c-major then ki then kj — the order of a weight
/// [O, C, Kh, Kw] read as [O, C·Kh·Kw] — and one column per small-image position (oh, ow), row-major.
/// </summary>
/// <remarks>
/// Several images share one column matrix side by side: image b of a batch writes columns
/// [colOffset, colOffset + Ho·Wo) of rows that are <c>ldCols</c> apart, so one GEMM covers the batch.
/// Per row and output line the valid output columns are computed once (<see cref="ValidRange"/>): the
/// padding on either side is zero-filled and the interior is a span copy (stride 1) or a strided gather.
/// <see cref="Im2ColScalar"/> is the plain per-element twin the tests compare against.
/// </remarks>
internal static class Im2ColOld
{
    /// <summary>cols[(c,ki,kj), colOffset + oh·Wo + ow] = image[c, oh·s − p + ki·d, ow·s − p + kj·d] (0 outside).</summary>
    /// <param name="image">One big image [C, H, W].</param>
    /// <param name="g">The geometry (N is ignored).</param>
    /// <param name="cols">The column matrix [C·Kh·Kw, ldCols].</param>
    /// <param name="ldCols">Row stride of <paramref name="cols"/>.</param>
    /// <param name="colOffset">First column written.</param>
    public static void Pack(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ldCols, int colOffset)
    {
        int s = g.Stride, wo = g.Wo;
        int row = 0;
        for (int c = 0; c < g.C; c++)
        {
            var plane = image.Slice(c * g.BigPlane, g.BigPlane);
            for (int ki = 0; ki < g.Kh; ki++)
            {
                int offH = ki * g.Dilation - g.Pad;
                ValidRange(g.H, g.Ho, offH, s, out int ohLo, out int ohHi);
                for (int kj = 0; kj < g.Kw; kj++, row++)
                {
                    int offW = kj * g.Dilation - g.Pad;
                    ValidRange(g.W, wo, offW, s, out int owLo, out int owHi);
                    var dstRow = cols.Slice(row * ldCols + colOffset, g.SmallPlane);
                    dstRow[..(ohLo * wo)].Clear();
                    dstRow[(ohHi * wo)..].Clear();
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        var dst = dstRow.Slice(oh * wo, wo);
                        var src = plane.Slice((oh * s + offH) * g.W);
                        dst[..owLo].Clear();
                        dst[owHi..].Clear();
                        if (owLo >= owHi) continue;
                        if (s == 1)
                        {
                            src.Slice(owLo + offW, owHi - owLo).CopyTo(dst[owLo..owHi]);
                        }
                        else
                        {
                            // Strided gather without bounds checks: ValidRange keeps iw inside this image row.
                            ref float d0 = ref MemoryMarshal.GetReference(dst);
                            ref float s0 = ref MemoryMarshal.GetReference(src);
                            int iw = owLo * s + offW;
                            for (int ow = owLo; ow < owHi; ow++, iw += s) Unsafe.Add(ref d0, ow) = Unsafe.Add(ref s0, iw);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Pack"/>: image[c, ih, iw] += cols[(c,ki,kj), colOffset + oh·Wo + ow] for every
    /// tap that lands inside the image. <paramref name="image"/> [C, H, W] is accumulated into, not cleared.
    /// </summary>
    public static void Unpack(ReadOnlySpan<float> cols, int ldCols, int colOffset, in ConvGeometry g, Span<float> image)
    {
        int s = g.Stride, wo = g.Wo;
        int row = 0;
        for (int c = 0; c < g.C; c++)
        {
            var plane = image.Slice(c * g.BigPlane, g.BigPlane);
            for (int ki = 0; ki < g.Kh; ki++)
            {
                int offH = ki * g.Dilation - g.Pad;
                ValidRange(g.H, g.Ho, offH, s, out int ohLo, out int ohHi);
                for (int kj = 0; kj < g.Kw; kj++, row++)
                {
                    int offW = kj * g.Dilation - g.Pad;
                    ValidRange(g.W, wo, offW, s, out int owLo, out int owHi);
                    if (owLo >= owHi) continue;
                    var srcRow = cols.Slice(row * ldCols + colOffset, g.SmallPlane);
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        var src = srcRow.Slice(oh * wo, wo);
                        var dst = plane.Slice((oh * s + offH) * g.W);
                        if (s == 1)
                        {
                            var d = dst.Slice(owLo + offW, owHi - owLo);
                            TensorPrimitives.Add(d, src[owLo..owHi], d);
                        }
                        else
                        {
                            ref float d0 = ref MemoryMarshal.GetReference(dst);
                            ref float s0 = ref MemoryMarshal.GetReference(src);
                            int iw = owLo * s + offW;
                            for (int ow = owLo; ow < owHi; ow++, iw += s) Unsafe.Add(ref d0, iw) += Unsafe.Add(ref s0, ow);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Output indices o in [lo, hi) whose input index o·s + off lies in [0, n), clipped to [0, outN).
    /// lo = ⌈−off/s⌉ when off &lt; 0; hi = ⌊(n − 1 − off)/s⌋ + 1. Empty ranges come back as lo == hi.
    /// </summary>
    public static void ValidRange(int n, int outN, int off, int s, out int lo, out int hi)
    {
        lo = off >= 0 ? 0 : (-off + s - 1) / s;
        int last = n - 1 - off; // largest o·s allowed
        hi = last < 0 ? 0 : Math.Min(outN, last / s + 1);
        lo = Math.Min(lo, outN);
        if (hi < lo) hi = lo;
    }
}
