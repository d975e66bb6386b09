using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Latent.Core.Kernels;

/// <summary>
/// Single-precision matrix multiply on row-major matrices:
/// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, where op(X) is X or its transpose.
/// </summary>
/// <remarks>
/// A is [m,k] (or [k,m] when <c>transA</c>) with row stride <c>lda</c>; B is [k,n] (or [n,k] when <c>transB</c>)
/// with row stride <c>ldb</c>; C is [m,n] with row stride <c>ldc</c>. This is the one entry point every matmul,
/// linear layer and convolution goes through; <see cref="GemmScalar"/> is its plain twin for tests.
/// <para>
/// Structure (GotoBLAS / BLIS): for each NC-wide panel of columns, for each KC-deep block of k, B is packed
/// into NR-wide strips; for each MC-tall block of rows A is packed into MR-tall strips; then a register-blocked
/// MR x NR micro-kernel (<see cref="IGemmMicroKernel"/>) runs over every strip pair. The micro-kernel is chosen
/// once per call: AVX-512, AVX2+FMA, portable <see cref="System.Numerics.Vector{T}"/>, or scalar.
/// </para>
/// <para>
/// Every element of C sums its k terms in the same order (k blocks of KC ascending, p ascending inside a
/// block, one accumulator per element) whatever the thread count, so results are bit-identical for any
/// <see cref="Parallelism.MaxDegree"/>; threads split C into disjoint column (or row) ranges of whole tiles.
/// </para>
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>
    /// Below this many multiply-adds (m*n*k, here about 160^3, ~40 us on one core) a call runs on one thread:
    /// waking a worker costs tens of microseconds. Measured on 2 Zen 5 cores (docs/BENCHMARKS.md).
    /// </summary>
    internal const long ParallelThreshold = 1L << 22;

    /// <summary>Computes C = alpha * op(A) op(B) + beta * C. beta == 0 ignores C's contents (NaN included).</summary>
    /// <param name="transA">A is stored [k,m] and used transposed.</param>
    /// <param name="transB">B is stored [n,k] and used transposed.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A (at least its row length).</param>
    /// <param name="b">B, row-major with row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Row stride of B (at least its row length).</param>
    /// <param name="beta">Scale of the previous C; 0 overwrites.</param>
    /// <param name="c">C [m,n], row-major with row stride <paramref name="ldc"/>; updated in place.</param>
    /// <param name="ldc">Row stride of C (at least n).</param>
    /// <exception cref="ArgumentException">A size is negative, a stride is shorter than its row, or a buffer is too short.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        // The one dispatch of the call; each Run<TK> is specialised by the JIT for its kernel.
        if (Avx512F.IsSupported) Run<GemmKernelAvx512>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else if (Avx2.IsSupported && Fma.IsSupported) Run<GemmKernelAvx2>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else if (System.Numerics.Vector.IsHardwareAccelerated) Run<GemmKernelPortable>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else Run<GemmKernelScalar>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// Floats that <see cref="PackA"/> writes for an op(A) of <paramref name="m"/> rows and <paramref name="k"/> columns:
    /// every MC-row block padded to whole MR-row strips, for the whole k range.
    /// </summary>
    internal static int PackedASize(int m, int k) => (int)(
        Avx512F.IsSupported ? WholeASize<GemmKernelAvx512>(m, k)
        : Avx2.IsSupported && Fma.IsSupported ? WholeASize<GemmKernelAvx2>(m, k)
        : System.Numerics.Vector.IsHardwareAccelerated ? WholeASize<GemmKernelPortable>(m, k)
        : WholeASize<GemmKernelScalar>(m, k));

    /// <summary>
    /// Packs op(A) [m, k] once, in the layout <see cref="Sgemm"/> packs it block by block, so that several products with
    /// the same A (a convolution's weights against each chunk of images) skip the packing: see <see cref="SgemmPackedA"/>.
    /// </summary>
    internal static void PackA(bool transA, int m, int k, ReadOnlySpan<float> a, int lda, Span<float> packed)
    {
        Validate(transA, false, m, 1, k, a.Length, lda, k, 1, m, 1); // A's sizes (B and C stand-ins of the right size)
        if (packed.Length < PackedASize(m, k)) throw new ArgumentException($"Gemm.PackA: {packed.Length} floats cannot hold {PackedASize(m, k)}", nameof(packed));
        if (m == 0 || k == 0) return;
        fixed (float* pa = a, pp = packed)
        {
            if (Avx512F.IsSupported) PackAll<GemmKernelAvx512>(transA, m, k, pa, lda, pp);
            else if (Avx2.IsSupported && Fma.IsSupported) PackAll<GemmKernelAvx2>(transA, m, k, pa, lda, pp);
            else if (System.Numerics.Vector.IsHardwareAccelerated) PackAll<GemmKernelPortable>(transA, m, k, pa, lda, pp);
            else PackAll<GemmKernelScalar>(transA, m, k, pa, lda, pp);
        }
    }

    private static void PackAll<TK>(bool transA, int m, int k, float* a, nint lda, float* packed) where TK : IGemmMicroKernel
    {
        for (int ic = 0; ic < m; ic += TK.MC)
        {
            int mc = Math.Min(TK.MC, m - ic);
            for (int pc = 0; pc < k; pc += TK.KC)
                GemmPack.PackA<TK>(transA, a, lda, ic, mc, pc, Math.Min(TK.KC, k - pc), packed + PackedAOffset<TK>(ic, mc, pc, k));
        }
    }

    /// <summary>Where the packed block of rows ic .. ic+mc and k columns from pc starts (see <see cref="PackedASize"/>).</summary>
    private static nint PackedAOffset<TK>(int ic, int mc, int pc, int k) where TK : IGemmMicroKernel =>
        (nint)(ic / TK.MC) * RoundUp(TK.MC, TK.MR) * k + (nint)RoundUp(mc, TK.MR) * pc;

    /// <summary>
    /// <see cref="Sgemm"/> with op(A) already packed by <see cref="PackA"/> (for the same m and k). The products, and so
    /// the bits, are the same as <see cref="Sgemm"/>'s on the unpacked A; threads split C by columns only.
    /// </summary>
    internal static void SgemmPackedA(ReadOnlySpan<float> packedA, int m, int n, int k, float alpha,
        bool transB, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(false, transB, m, n, k, m * k, Math.Max(1, k), b.Length, ldb, c.Length, ldc);
        if (packedA.Length < PackedASize(m, k)) throw new ArgumentException($"Gemm.SgemmPackedA: packed A has {packedA.Length} floats, needs {PackedASize(m, k)}", nameof(packedA));
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        fixed (float* pa = packedA, pb = b, pc = c)
        {
            var job = new Job
            {
                TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                PackedA = pa, B = pb, Ldb = ldb, C = pc, Ldc = ldc,
            };
            if (Avx512F.IsSupported) Run<GemmKernelAvx512>(ref job);
            else if (Avx2.IsSupported && Fma.IsSupported) Run<GemmKernelAvx2>(ref job);
            else if (System.Numerics.Vector.IsHardwareAccelerated) Run<GemmKernelPortable>(ref job);
            else Run<GemmKernelScalar>(ref job);
        }
    }

    /// <summary>
    /// <see cref="Sgemm"/> forced onto the micro-kernel named <paramref name="path"/> (see <see cref="PathName"/>), so
    /// tests can cover every path this CPU supports in one process. Returns false, doing nothing, when the
    /// CPU (or the runtime's settings) cannot run that path.
    /// </summary>
    internal static bool SgemmOnPath(string path, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return true;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return true;
        }
        switch (path)
        {
            case "Vector512" when Avx512F.IsSupported: Run<GemmKernelAvx512>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return true;
            case "Vector256" when Avx2.IsSupported && Fma.IsSupported: Run<GemmKernelAvx2>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return true;
            case "VectorT" when System.Numerics.Vector.IsHardwareAccelerated: Run<GemmKernelPortable>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return true;
            case "fallback": Run<GemmKernelScalar>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return true;
            default: return false;
        }
    }

    private static void Run<TK>(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        where TK : IGemmMicroKernel
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new Job
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = pa, Lda = lda, B = pb, Ldb = ldb, C = pc, Ldc = ldc,
            };
            Run<TK>(ref job);
        }
    }

    /// <summary>
    /// The micro-kernel path <see cref="Sgemm"/> takes in this process: "Vector512" (AVX-512), "Vector256"
    /// (AVX2+FMA), "VectorT" (hardware-accelerated <see cref="System.Numerics.Vector{T}"/>, e.g. NEON) or "fallback" (scalar).
    /// </summary>
    public static string PathName =>
        Avx512F.IsSupported ? GemmKernelAvx512.Name
        : Avx2.IsSupported && Fma.IsSupported ? GemmKernelAvx2.Name
        : System.Numerics.Vector.IsHardwareAccelerated ? GemmKernelPortable.Name
        : GemmKernelScalar.Name;

    /// <summary>
    /// Micro-kernel tiles (MR x NR, padded) that a product with <paramref name="m"/> rows and <paramref name="n"/> columns
    /// of C runs on <see cref="Sgemm"/>'s path: callers free to compute C or Cᵀ pick the one with fewer.
    /// </summary>
    internal static long PaddedTiles(int m, int n)
    {
        (int mr, int nr) = Avx512F.IsSupported ? (GemmKernelAvx512.MR, GemmKernelAvx512.NR)
            : Avx2.IsSupported && Fma.IsSupported ? (GemmKernelAvx2.MR, GemmKernelAvx2.NR)
            : System.Numerics.Vector.IsHardwareAccelerated ? (GemmKernelPortable.MR, GemmKernelPortable.NR)
            : (GemmKernelScalar.MR, GemmKernelScalar.NR);
        return (long)((m + mr - 1) / mr) * ((n + nr - 1) / nr);
    }

    /// <summary>How many parts the calling thread's last multiply was split into (for tests).</summary>
    [ThreadStatic] internal static int t_lastParts;

    private struct Job
    {
        public bool TransA, TransB, SplitN;
        public int M, N, K, Parts;
        public float Alpha, Beta;
        public float* A, B, C;
        public float* PackedA; // op(A) packed whole by PackA, or null
        public nint Lda, Ldb, Ldc;
        public long Id; // set when each thread packs the shared operand whole, once, for all the parts it runs (see Run)
    }

    /// <summary>
    /// Floats of the shared operand packed whole up to which a product is cut into several parts per thread, claimed
    /// one at a time: split by rows, about one part per MC block, each thread packing op(B) once for the parts it runs;
    /// split by columns, four parts per thread, each thread packing op(A) once. A late or slower thread then holds up
    /// one part, not half of C, and no operand is packed more often than with one part per thread.
    /// </summary>
    internal const int MaxWholePacked = 1 << 20;

    private static long s_jobs;
    [ThreadStatic] private static long t_wholeBJob, t_wholeAJob;
    [ThreadStatic] private static float[]? t_wholeB, t_wholeA;

    private static void Run<TK>(ref Job job) where TK : IGemmMicroKernel
    {
        // Split C across threads in whole tiles, along the dimension whose split repacks less: splitting columns
        // makes every thread pack all of A (m*k), splitting rows all of B (k*n).
        int tilesM = (job.M + TK.MR - 1) / TK.MR, tilesN = (job.N + TK.NR - 1) / TK.NR;
        // A packed beforehand is read in place, so its rows are never split (its blocks start at row 0).
        job.SplitN = job.PackedA != null || tilesN >= 2 && (tilesM < 2 || job.M <= job.N);
        long work = (long)job.M * job.N * job.K;
        int parts = work < ParallelThreshold || WorkerPool.InPart ? 1 : Math.Min(Parallelism.MaxDegree, job.SplitN ? tilesN : tilesM);
        if (parts > 1 && !job.SplitN && (long)job.K * RoundUp(job.N, TK.NR) <= MaxWholePacked)
        {
            parts = Math.Min(tilesM, Math.Clamp((job.M + TK.MC - 1) / TK.MC, parts, 4 * parts));
            job.Id = Interlocked.Increment(ref s_jobs);
        }
        else if (parts > 1 && job.SplitN && job.PackedA == null && WholeASize<TK>(job.M, job.K) <= MaxWholePacked)
        {
            parts = Math.Min(tilesN, 4 * parts);
            job.Id = Interlocked.Increment(ref s_jobs);
        }
        job.Parts = Math.Max(1, parts);
        t_lastParts = job.Parts;
        fixed (Job* ctx = &job)
        {
            if (job.Parts == 1) Part<TK>(ctx, 0);
            else WorkerPool.Run(&Part<TK>, ctx, job.Parts);
        }
    }

    private static void Part<TK>(void* ctx, int part) where TK : IGemmMicroKernel
    {
        ref Job job = ref *(Job*)ctx;
        int step = job.SplitN ? TK.NR : TK.MR;
        int extent = job.SplitN ? job.N : job.M;
        int tiles = (extent + step - 1) / step;
        int per = (tiles + job.Parts - 1) / job.Parts;
        int lo = Math.Min(extent, part * per * step), hi = Math.Min(extent, (part + 1) * per * step);
        if (lo >= hi) return;
        if (job.SplitN) Blocked<TK>(ref job, 0, job.M, lo, hi, wholeA: job.Id != 0 ? WholePackedA<TK>(ref job) : null);
        else Blocked<TK>(ref job, lo, hi, 0, job.N, wholeB: job.Id != 0 ? WholePackedB<TK>(ref job) : null);
    }

    /// <summary>Where the packed block of columns jc .. jc+nc and k rows from pc starts in op(B) packed whole (<see cref="WholePackedB"/>).</summary>
    private static nint PackedBOffset<TK>(int jc, int nc, int pc, int k) where TK : IGemmMicroKernel =>
        (nint)k * jc + (nint)RoundUp(nc, TK.NR) * pc;

    /// <summary>Floats of op(A) [m, k] packed whole in <typeparamref name="TK"/>'s layout: every MC-row block padded to whole MR-row strips (<see cref="PackedASize"/> on this machine's kernel).</summary>
    private static long WholeASize<TK>(int m, int k) where TK : IGemmMicroKernel =>
        ((long)m / TK.MC * RoundUp(TK.MC, TK.MR) + RoundUp(m % TK.MC, TK.MR)) * k;

    /// <summary>This thread's copy of op(A) packed whole for the job (<see cref="PackA"/>'s layout), packed on the first of the job's parts the thread runs.</summary>
    private static float* WholePackedA<TK>(ref Job job) where TK : IGemmMicroKernel
    {
        float* packed = WholeBuffer(ref t_wholeA, ref t_wholeAJob, (int)WholeASize<TK>(job.M, job.K));
        if (t_wholeAJob != job.Id)
        {
            PackAll<TK>(job.TransA, job.M, job.K, job.A, job.Lda, packed);
            t_wholeAJob = job.Id;
        }
        return packed;
    }

    /// <summary>A thread's buffer for an operand packed whole (<see cref="Aligned"/>), its job mark cleared when it grows.</summary>
    private static float* WholeBuffer(ref float[]? buffer, ref long job, int floats)
    {
        float* p = Aligned(ref buffer, floats, out bool grown);
        if (grown) job = 0;
        return p;
    }

    /// <summary>
    /// This thread's copy of op(B) packed whole for the job (every panel jc and block pc, at K·jc + pc·RoundUp(nc, NR)),
    /// packed on the first of the job's parts the thread runs; the same strips <see cref="Blocked"/> would pack.
    /// </summary>
    private static float* WholePackedB<TK>(ref Job job) where TK : IGemmMicroKernel
    {
        float* packed = WholeBuffer(ref t_wholeB, ref t_wholeBJob, job.K * RoundUp(job.N, TK.NR));
        if (t_wholeBJob != job.Id)
        {
            for (int jc = 0; jc < job.N; jc += TK.NC)
            {
                int nc = Math.Min(TK.NC, job.N - jc);
                for (int pc = 0; pc < job.K; pc += TK.KC)
                    GemmPack.PackB<TK>(job.TransB, job.B, job.Ldb, pc, Math.Min(TK.KC, job.K - pc), jc, nc,
                        packed + PackedBOffset<TK>(jc, nc, pc, job.K));
            }
            t_wholeBJob = job.Id;
        }
        return packed;
    }

    /// <summary>C[i0..i1, j0..j1] for the whole k range: the five loops around the micro-kernel.</summary>
    /// <remarks>
    /// Edges: the last column panel, k block and row block are simply shorter (nc, kc, mc); a last strip with
    /// fewer than MR rows or NR columns is zero-padded by the packers, and its tile goes through the scratch
    /// tile so only the mr x nr valid elements reach C. m or n of 0 and k of 0 never get here (Sgemm returns
    /// or only scales C); m, n or k of 1 are one padded strip and one k step. Each C element's sum is
    /// therefore the same sequence of operations wherever the tile and thread boundaries fall.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<TK>(ref Job job, int i0, int i1, int j0, int j1, float* wholeB = null, float* wholeA = null) where TK : IGemmMicroKernel
    {
        float* packedA = wholeA != null ? wholeA : job.PackedA; // op(A) packed whole (then i0 is 0), or null
        int mrFull = TK.MR, nrFull = TK.NR;
        int kcMax = Math.Min(TK.KC, job.K);
        int mcMax = Math.Min(TK.MC, RoundUp(i1 - i0, mrFull));
        int ncMax = Math.Min(TK.NC, RoundUp(j1 - j0, nrFull));
        int aLen = RoundUp(mcMax * kcMax, 16), bLen = wholeB != null ? 0 : RoundUp(ncMax * kcMax, 16); // B packed whole needs no panel
        float* packA = ThreadBuffer(aLen + bLen + mrFull * nrFull);
        float* packB = packA + aLen;
        float* tile = packB + bLen;
        bool transA = job.TransA, transB = job.TransB;
        float alpha = job.Alpha;
        nint ldc = job.Ldc;

        for (int jc = j0; jc < j1; jc += TK.NC)
        {
            int nc = Math.Min(TK.NC, j1 - jc);
            for (int pc = 0; pc < job.K; pc += TK.KC)
            {
                int kc = Math.Min(TK.KC, job.K - pc);
                // The first k block applies the caller's beta; later blocks add onto what it left (beta 1).
                float beta = pc == 0 ? job.Beta : 1f;
                float* panelB = packB;
                if (wholeB != null) panelB = wholeB + PackedBOffset<TK>(jc, nc, pc, job.K); // j0 is 0 here
                else GemmPack.PackB<TK>(transB, job.B, job.Ldb, pc, kc, jc, nc, packB);
                for (int ic = i0; ic < i1; ic += TK.MC)
                {
                    int mc = Math.Min(TK.MC, i1 - ic);
                    float* aBlock = packA;
                    if (packedA != null) aBlock = packedA + PackedAOffset<TK>(ic, mc, pc, job.K);
                    else GemmPack.PackA<TK>(transA, job.A, job.Lda, ic, mc, pc, kc, packA);
                    for (int jr = 0; jr < nc; jr += nrFull)
                    {
                        int nr = Math.Min(nrFull, nc - jr);
                        float* bs = panelB + (nint)jr * kc;
                        for (int ir = 0; ir < mc; ir += mrFull)
                        {
                            int mr = Math.Min(mrFull, mc - ir);
                            float* a = aBlock + (nint)ir * kc;
                            float* c = job.C + (ic + ir) * ldc + jc + jr;
                            if (mr == mrFull && nr == nrFull)
                            {
                                TK.Run(kc, a, bs, c, ldc, alpha, beta);
                            }
                            else
                            {
                                // Edge tile: full-size kernel on the zero-padded strips into a scratch tile (alpha 1,
                                // beta 0 gives the raw sums), then the kernel's write-back for the valid part only.
                                // A strip with at most 8 valid rows runs only those rows (the same chains).
                                if (typeof(TK) == typeof(GemmKernelAvx512) && mr <= 8)
                                    GemmKernelAvx512.RunRows(mr, kc, a, bs, tile);
                                else TK.Run(kc, a, bs, tile, nrFull, 1f, 0f);
                                WriteBack(tile, nrFull, c, ldc, mr, nr, alpha, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Scalar twin of the micro-kernels' write-back: c = acc*alpha, plus beta*c unless beta is 0. Same
    /// operations in the same order, so an element gets the same bits whether it sat in a full or edge tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteBack(float* tile, int ldt, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        // Whole 8-float vectors first: per lane the same multiply, then the same add (never fused), as the scalar loop.
        var va = System.Runtime.Intrinsics.Vector256.Create(alpha);
        var vb = System.Runtime.Intrinsics.Vector256.Create(beta);
        bool vector = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;
        for (int i = 0; i < mr; i++)
        {
            float* t = tile + i * ldt;
            float* ci = c + i * ldc;
            int j = 0;
            if (vector)
                for (; j <= nr - 8; j += 8)
                {
                    var v = System.Runtime.Intrinsics.Vector256.Load(t + j) * va;
                    if (beta != 0f) v += vb * System.Runtime.Intrinsics.Vector256.Load(ci + j);
                    System.Runtime.Intrinsics.Vector256.Store(v, ci + j);
                }
            for (; j < nr; j++)
            {
                float v = t[j] * alpha;
                if (beta != 0f) v += beta * ci[j];
                ci[j] = v;
            }
        }
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    // Per-thread packing space, reused by every call on the thread: pinned (so it never moves and a raw
    // pointer stays valid), 64-byte aligned for the kernels' aligned loads, grown only when a call needs more.
    [ThreadStatic] private static float[]? t_pack;

    private static float* ThreadBuffer(int floats) => Aligned(ref t_pack, floats, out _);

    /// <summary>
    /// <paramref name="floats"/> 64-byte-aligned floats at the start of <paramref name="buffer"/> (pinned, so a raw pointer
    /// stays valid), which is replaced by a larger one when too short (<paramref name="grown"/>).
    /// </summary>
    private static float* Aligned(ref float[]? buffer, int floats, out bool grown)
    {
        grown = buffer is null || buffer.Length < floats + 16;
        if (grown) buffer = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer!));
        return (float*)((p + 63) & ~(nint)63);
    }

    internal static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>Checks dimensions and buffer lengths; throws ArgumentException naming what is wrong.</summary>
    internal static void Validate(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Sgemm: negative size m={m} n={n} k={k}");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (lda < Math.Max(1, aCols)) throw new ArgumentException($"Sgemm: lda={lda} < {aCols}", nameof(lda));
        if (ldb < Math.Max(1, bCols)) throw new ArgumentException($"Sgemm: ldb={ldb} < {bCols}", nameof(ldb));
        if (ldc < Math.Max(1, n)) throw new ArgumentException($"Sgemm: ldc={ldc} < {n}", nameof(ldc));
        if (aRows > 0 && aCols > 0 && aLen < (long)(aRows - 1) * lda + aCols) throw new ArgumentException($"Sgemm: A has {aLen} elements, needs {(long)(aRows - 1) * lda + aCols}", "a");
        if (bRows > 0 && bCols > 0 && bLen < (long)(bRows - 1) * ldb + bCols) throw new ArgumentException($"Sgemm: B has {bLen} elements, needs {(long)(bRows - 1) * ldb + bCols}", "b");
        if (m > 0 && n > 0 && cLen < (long)(m - 1) * ldc + n) throw new ArgumentException($"Sgemm: C has {cLen} elements, needs {(long)(m - 1) * ldc + n}", "c");
    }
}
