using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// Packing for <see cref="Gemm"/> (the GotoBLAS/BLIS layout). Transposes are absorbed here: the packed
/// layout is the same whichever way the source is stored, so the micro-kernels never see a transpose.
/// The packers, like the kernels and the driver, are compiled fully optimised at once
/// (AggressiveOptimization): a tier-0 copy loop with <see cref="Vector{T}"/> calls is several times slower,
/// and small products would run it for their first hundred milliseconds.
/// </summary>
internal static unsafe class GemmPack
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc/MR) strips of MR rows. Strip s holds, for p
    /// ascending, the MR values op(A)[i0 + s*MR + i, p0 + p] (i &lt; MR) next to each other, so the kernel reads
    /// one k step of a strip as MR consecutive floats. Rows past mc are zero, so a partial strip can run
    /// through the full-size kernel (its extra rows are computed and thrown away).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                if (Avx.IsSupported)
                {
                    // 8 x 8 blocks transposed in registers: rows i..i+7 (fewer in the last block, e.g. 6 of 14),
                    // each 8 consecutive p, become one run of rows per p; the last kc % 8 steps are copied singly.
                    // A partial strip (mr < MR) is cleared first, then only its valid rows are transposed in.
                    if (mr < mrFull) new Span<float>(dst, kc * mrFull).Clear();
                    int p = 0;
                    for (; p <= kc - 8; p += 8)
                        for (int i = 0; i < mr; i += 8)
                            Transpose8(src + i * lda + p, lda, Math.Min(8, mr - i), dst + p * mrFull + i, mrFull);
                    for (; p < kc; p++)
                        for (int i = 0; i < mr; i++) dst[p * mrFull + i] = src[i * lda + p];
                    dst += kc * mrFull;
                    continue;
                }
                // Row by row: sequential reads, writes MR floats apart inside the (L1-resident) strip. Reading all
                // MR rows per k step instead touches MR lines at once, which conflict in L1 when lda is a
                // multiple of 1024 floats.
                for (int i = 0; i < mr; i++)
                {
                    float* row = src + i * lda;
                    float* d = dst + i;
                    int p = 0;
                    for (; p <= kc - 4; p += 4)
                    {
                        d[0] = row[p];
                        d[mrFull] = row[p + 1];
                        d[2 * mrFull] = row[p + 2];
                        d[3 * mrFull] = row[p + 3];
                        d += 4 * mrFull;
                    }
                    for (; p < kc; p++, d += mrFull) *d = row[p];
                }
                for (int i = mr; i < mrFull; i++)
                    for (int p = 0; p < kc; p++) dst[p * mrFull + i] = 0f;
            }
            else
            {
                // op(A)[i, p] = a[p*lda + i]: each k step is already MR contiguous floats.
                float* src = a + p0 * lda + i0 + s;
                if (mr == mrFull && mrFull >= 4 && Vector128.IsHardwareAccelerated)
                {
                    // Full strip: 4-float vector copies, the last one overlapping when MR is not a multiple of 4
                    // (it rewrites the same values), e.g. 0..3, 4..7, 8..11, 10..13 for MR = 14.
                    for (int p = 0; p < kc; p++)
                    {
                        float* d = dst + p * mrFull;
                        float* row = src + p * lda;
                        int i = 0;
                        for (; i <= mrFull - 4; i += 4) Vector128.Store(Vector128.Load(row + i), d + i);
                        if (i < mrFull) Vector128.Store(Vector128.Load(row + mrFull - 4), d + mrFull - 4);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* d = dst + p * mrFull;
                        float* row = src + p * lda;
                        int i = 0;
                        for (; i < mr; i++) d[i] = row[i];
                        for (; i < mrFull; i++) d[i] = 0f;
                    }
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                if (nr == nrFull && Vector.IsHardwareAccelerated && nrFull % Vector<float>.Count == 0)
                {
                    // Full strip: NR/W vector copies per k step (the destination is 64-byte aligned).
                    int w = Vector<float>.Count;
                    for (int p = 0; p < kc; p++)
                    {
                        float* row = src + p * ldb;
                        float* d = dst + p * nrFull;
                        for (int j = 0; j < nrFull; j += w) *(Vector<float>*)(d + j) = Vector.Load(row + j);
                    }
                }
                else if (Vector.IsHardwareAccelerated && nrFull % Vector<float>.Count == 0)
                {
                    // Partial strip: the whole strip cleared, then whole vectors of the nr valid columns per k step
                    // and the last nr % W singly.
                    int w = Vector<float>.Count;
                    new Span<float>(dst, kc * nrFull).Clear();
                    for (int p = 0; p < kc; p++)
                    {
                        float* d = dst + p * nrFull;
                        float* row = src + p * ldb;
                        int j = 0;
                        for (; j <= nr - w; j += w) *(Vector<float>*)(d + j) = Vector.Load(row + j);
                        for (; j < nr; j++) d[j] = row[j];
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* d = dst + p * nrFull;
                        float* row = src + p * ldb;
                        int j = 0;
                        for (; j < nr; j++) d[j] = row[j];
                        for (; j < nrFull; j++) d[j] = 0f;
                    }
                }
            }
            else if (nrFull % 8 == 0 && Avx.IsSupported)
            {
                // op(B)[p, j] = b[j*ldb + p]: 8 x 8 blocks transposed in registers. Rows j..j+7 of the source,
                // each 8 consecutive p, become 8 vectors of 8 consecutive j, one per p. A partial strip is cleared
                // first and only its nr valid source rows are read.
                float* src = b + (j0 + s) * ldb + p0;
                if (nr < nrFull) new Span<float>(dst, kc * nrFull).Clear();
                int p = 0;
                for (; p <= kc - 8; p += 8)
                    for (int j = 0; j < nr; j += 8)
                        Transpose8(src + j * ldb + p, ldb, Math.Min(8, nr - j), dst + p * nrFull + j, nrFull);
                for (; p < kc; p++)
                    for (int j = 0; j < nr; j++) dst[p * nrFull + j] = src[j * ldb + p];
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

    /// <summary>
    /// dst[q*ldd + r] = src[r*lds + q] for r &lt; rows (at most 8), q &lt; 8: the standard AVX 8 x 8 transpose
    /// (unpack pairs of rows, shuffle pairs of pairs, then swap 128-bit halves). Lane r of output q is input
    /// row r, column q. Rows past <paramref name="rows"/> are neither read nor written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8(float* src, nint lds, int rows, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = rows > 1 ? Avx.LoadVector256(src + lds) : default;
        Vector256<float> r2 = rows > 2 ? Avx.LoadVector256(src + 2 * lds) : default;
        Vector256<float> r3 = rows > 3 ? Avx.LoadVector256(src + 3 * lds) : default;
        Vector256<float> r4 = rows > 4 ? Avx.LoadVector256(src + 4 * lds) : default;
        Vector256<float> r5 = rows > 5 ? Avx.LoadVector256(src + 5 * lds) : default;
        Vector256<float> r6 = rows > 6 ? Avx.LoadVector256(src + 6 * lds) : default;
        Vector256<float> r7 = rows > 7 ? Avx.LoadVector256(src + 7 * lds) : default;
        // t0 = r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5], and so on.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        // u0 = r0[0] r1[0] r2[0] r3[0] | r0[4] r1[4] r2[4] r3[4], and so on.
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Store(dst, Avx.Permute2x128(u0, u4, 0x20), rows);
        Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20), rows);
        Store(dst + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20), rows);
        Store(dst + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20), rows);
        Store(dst + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31), rows);
        Store(dst + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31), rows);
        Store(dst + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31), rows);
        Store(dst + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31), rows);
    }

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="v"/> (all 8 in one store when full).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector256<float> v, int count)
    {
        if (count == 8)
        {
            Avx.Store(dst, v);
            return;
        }
        int i = 0;
        if (count >= 4)
        {
            Sse.Store(dst, v.GetLower());
            i = 4;
        }
        for (; i < count; i++) dst[i] = v.GetElement(i);
    }
}
