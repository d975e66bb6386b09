namespace Latent.Core.Kernels;

/// <summary>Copies between a contiguous block and a strided view (permute, slice, pad). The innermost
/// dimension is copied as a span when its stride is 1.</summary>
internal static class Strided
{
    /// <summary>dst (contiguous, <paramref name="shape"/>) = src read with <paramref name="srcStrides"/>.</summary>
    public static void Copy(ReadOnlySpan<float> src, int[] srcStrides, int[] shape, Span<float> dst)
    {
        int rank = shape.Length;
        if (dst.Length == 0) return;
        if (rank == 0) { dst[0] = src[0]; return; }
        int inner = shape[rank - 1], sInner = srcStrides[rank - 1];
        int outer = dst.Length / inner;
        var idx = new int[rank];
        int off = 0;
        for (int o = 0; o < outer; o++)
        {
            var row = dst.Slice(o * inner, inner);
            if (sInner == 1) src.Slice(off, inner).CopyTo(row);
            else if (sInner == 0) row.Fill(src[off]); // a broadcast dimension
            else for (int i = 0; i < inner; i++) row[i] = src[off + i * sInner];
            for (int k = rank - 2; k >= 0; k--)
            {
                idx[k]++; off += srcStrides[k];
                if (idx[k] < shape[k]) break;
                off -= srcStrides[k] * shape[k]; idx[k] = 0;
            }
        }
    }

    /// <summary>dst read with <paramref name="dstStrides"/> = src (contiguous, <paramref name="shape"/>).</summary>
    public static void Scatter(ReadOnlySpan<float> src, int[] shape, Span<float> dst, int[] dstStrides)
    {
        int rank = shape.Length;
        if (src.Length == 0) return;
        if (rank == 0) { dst[0] = src[0]; return; }
        int inner = shape[rank - 1], sInner = dstStrides[rank - 1];
        int outer = src.Length / inner;
        var idx = new int[rank];
        int off = 0;
        for (int o = 0; o < outer; o++)
        {
            var row = src.Slice(o * inner, inner);
            if (sInner == 1) row.CopyTo(dst.Slice(off, inner));
            else for (int i = 0; i < inner; i++) dst[off + i * sInner] = row[i];
            for (int k = rank - 2; k >= 0; k--)
            {
                idx[k]++; off += dstStrides[k];
                if (idx[k] < shape[k]) break;
                off -= dstStrides[k] * shape[k]; idx[k] = 0;
            }
        }
    }
}
