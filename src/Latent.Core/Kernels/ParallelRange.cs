namespace Latent.Core.Kernels;

/// <summary>
/// Splits an index range [0, n) into a few contiguous parts run on the <see cref="WorkerPool"/>: for elementwise and
/// per-row passes whose outputs are disjoint per index, so the result does not depend on the number of parts.
/// </summary>
/// <remarks>
/// Part boundaries are multiples of the caller's alignment (elementwise vector kernels pass a multiple of the widest
/// vector, so every element takes the same vector or scalar-tail path as in one unsplit call). A part is given at
/// least <see cref="MinWork"/> units of work (floats touched), so small tensors run on the calling thread, and there are
/// at most <see cref="PartsPerThread"/> parts per thread, claimed by whichever thread is free.
/// </remarks>
internal static unsafe class ParallelRange
{
    /// <summary>Least work (in floats touched) worth handing to another thread.</summary>
    internal const long MinWork = 1 << 15;

    /// <summary>
    /// Most parts per thread: a range is cut into up to this many parts per thread (each still at least
    /// <see cref="MinWork"/>), so that a thread the OS runs late (its core shared with another process) holds up at most
    /// a small part while the others claim the rest.
    /// </summary>
    internal const int PartsPerThread = 4;

    /// <summary>Alignment for elementwise vector kernels: a multiple of every vector width (Vector512 of floats is 16).</summary>
    internal const int VectorAlign = 64;

    private struct Job
    {
        public delegate*<void*, int, int, void> Fn;
        public void* Ctx;
        public int N, Per;
    }

    /// <summary>
    /// Runs <paramref name="fn"/>(ctx, lo, hi) over disjoint ranges covering [0, <paramref name="n"/>), each boundary
    /// a multiple of <paramref name="align"/>; <paramref name="workPerIndex"/> (floats touched per index) decides
    /// how many threads are worth waking.
    /// </summary>
    public static void For(int n, int align, long workPerIndex, delegate*<void*, int, int, void> fn, void* ctx)
    {
        if (n <= 0) return;
        long work = (long)n * Math.Max(1, workPerIndex);
        int threads = Parallelism.MaxDegree;
        int parts = (int)Math.Clamp(work / MinWork, 1, Math.Min((long)threads * PartsPerThread, (n + align - 1) / align));
        if (parts <= 1 || threads <= 1 || WorkerPool.InPart)
        {
            fn(ctx, 0, n);
            return;
        }
        int per = (n + parts - 1) / parts;
        per = (per + align - 1) / align * align;
        var job = new Job { Fn = fn, Ctx = ctx, N = n, Per = per };
        WorkerPool.Run(&Part, &job, (n + per - 1) / per);
    }

    private static void Part(void* ctx, int part)
    {
        ref Job job = ref *(Job*)ctx;
        int lo = (int)Math.Min(job.N, (long)part * job.Per), hi = (int)Math.Min(job.N, (long)lo + job.Per);
        if (lo < hi) job.Fn(job.Ctx, lo, hi);
    }
}
