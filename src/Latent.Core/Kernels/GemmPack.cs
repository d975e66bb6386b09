namespace Latent.Core.Kernels;

/// <summary>
/// Packing for <see cref="Gemm"/> (the GotoBLAS/BLIS layout). Transposes are absorbed here: the packed
/// layout is the same whichever way the source is stored, so the micro-kernels never see a transpose.
/// </summary>
internal static unsafe class GemmPack
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc/MR) strips of MR rows. Strip s holds, for p
    /// ascending, the MR values op(A)[i0 + s*MR + i, p0 + p] (i &lt; MR) next to each other, so the kernel reads
    /// one k step of a strip as MR consecutive floats. Rows past mc are zero, so a partial strip can run
    /// through the full-size kernel (its extra rows are computed and thrown away).
    /// </summary>
    public static void PackA<TK>(bool trans, float* a, nint lda, int i0, int mc, int p0, int kc, float* dst)
        where TK : IGemmMicroKernel
    {
        int mrFull = TK.MR;
        for (int s = 0; s < mc; s += mrFull)
        {
            int mr = Math.Min(mrFull, mc - s);
            if (!trans)
            {
                // op(A)[i, p] = a[i*lda + p]: MR rows read in step, each one contiguous over p.
                float* src = a + (i0 + s) * lda + p0;
                if (mr == mrFull)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* d = dst + p * mrFull;
                        float* col = src + p;
                        for (int i = 0; i < mrFull; i++) d[i] = col[i * lda];
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* d = dst + p * mrFull;
                        float* col = src + p;
                        int i = 0;
                        for (; i < mr; i++) d[i] = col[i * lda];
                        for (; i < mrFull; i++) d[i] = 0f;
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[p*lda + i]: each k step is already MR contiguous floats.
                float* src = a + p0 * lda + i0 + s;
                for (int p = 0; p < kc; p++)
                {
                    float* d = dst + p * mrFull;
                    float* row = src + p * lda;
                    int i = 0;
                    for (; i < mr; i++) d[i] = row[i];
                    for (; i < mrFull; i++) d[i] = 0f;
                }
            }
            dst += kc * mrFull;
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ceil(nc/NR) strips of NR columns. Strip s holds, for p
    /// ascending, the NR values op(B)[p0 + p, j0 + s*NR + j] (j &lt; NR): one k step of a strip is NR consecutive
    /// floats, i.e. NR/W aligned vectors. Columns past nc are zero.
    /// </summary>
    public static void PackB<TK>(bool trans, float* b, nint ldb, int p0, int kc, int j0, int nc, float* dst)
        where TK : IGemmMicroKernel
    {
        int nrFull = TK.NR;
        for (int s = 0; s < nc; s += nrFull)
        {
            int nr = Math.Min(nrFull, nc - s);
            if (!trans)
            {
                // op(B)[p, j] = b[p*ldb + j]: each k step is a contiguous run of nr floats.
                float* src = b + p0 * ldb + j0 + s;
                for (int p = 0; p < kc; p++)
                {
                    float* d = dst + p * nrFull;
                    new ReadOnlySpan<float>(src + p * ldb, nr).CopyTo(new Span<float>(d, nr));
                    for (int j = nr; j < nrFull; j++) d[j] = 0f;
                }
            }
            else
            {
                // op(B)[p, j] = b[j*ldb + p]: read each source row (one output column) contiguously over p.
                float* src = b + (j0 + s) * ldb + p0;
                for (int j = 0; j < nr; j++)
                {
                    float* row = src + j * ldb;
                    float* d = dst + j;
                    for (int p = 0; p < kc; p++) d[p * nrFull] = row[p];
                }
                for (int j = nr; j < nrFull; j++)
                    for (int p = 0; p < kc; p++) dst[p * nrFull + j] = 0f;
            }
            dst += kc * nrFull;
        }
    }
}
