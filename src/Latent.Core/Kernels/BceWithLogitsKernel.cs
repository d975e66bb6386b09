using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Core.Kernels;

/// <summary>
/// Binary cross-entropy on logits, elementwise, in the stable form l = max(x, 0) − x·t + log(1 + e^−|x|), and its
/// gradient in x, s·(sigmoid(x) − t). Work goes through <see cref="TensorPrimitives"/> (vectorised exp, log and
/// sigmoid) in chunks of <see cref="Chunk"/> elements so the temporaries stay in L1, the chunks shared between the kernel
/// threads (a chunk is the same calls whichever thread runs it, and a sum adds the chunks' sums in order); the scalar twins
/// (<see cref="LossScalar"/>, <see cref="GradScalar(ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float})"/>)
/// are the same formulas one element at a time with <see cref="MathF"/>, equal up to the last bits of exp/log.
/// </summary>
public static class BceWithLogitsKernel
{
    /// <summary>Elements per chunk (three stack buffers of this many floats).</summary>
    internal const int Chunk = 512;

    /// <summary>y[i] = max(x, 0) − x·t + log(1 + e^−|x|). <paramref name="y"/> may alias an input.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Loss(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> y)
    {
        Check(x, t, y.Length, "Loss");
        fixed (float* px = x, pt = t, py = y)
        {
            var job = new Job { X = px, T = pt, Out = py, N = y.Length };
            Chunks(ref job, &LossPart);
        }
    }

    /// <summary>Σ_i l_i, the loss of <see cref="Loss"/> summed: each chunk's sum in float, the chunks' sums added in order in double.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe double Sum(ReadOnlySpan<float> x, ReadOnlySpan<float> t)
    {
        Check(x, t, x.Length, "Sum");
        int chunks = (x.Length + Chunk - 1) / Chunk;
        double[] sums = ArrayPool<double>.Shared.Rent(Math.Max(1, chunks));
        try
        {
            fixed (float* px = x, pt = t)
            fixed (double* ps = sums)
            {
                var job = new Job { X = px, T = pt, Sums = ps, N = x.Length };
                Chunks(ref job, &LossPart);
            }
            double total = 0;
            for (int c = 0; c < chunks; c++) total += sums[c];
            return total;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
        }
    }

    private unsafe struct Job
    {
        public float* X, T, G, Out;
        public double* Sums;
        public float Scale;
        public int N;
    }

    /// <summary>
    /// Runs <paramref name="part"/> over the job's chunks of <see cref="Chunk"/> elements, split between the kernel threads
    /// (<see cref="ParallelRange"/>): every chunk is the same calls on the same elements however the chunks are shared, so
    /// the bits do not depend on the thread count.
    /// </summary>
    private static unsafe void Chunks(ref Job job, delegate*<void*, int, int, void> part)
    {
        int chunks = (job.N + Chunk - 1) / Chunk;
        fixed (Job* pj = &job) ParallelRange.For(chunks, 1, WorkPerChunk, part, pj);
    }

    /// <summary>Floats touched per chunk, counting exp, log and sigmoid as a few passes each (for <see cref="ParallelRange"/>).</summary>
    private const long WorkPerChunk = 8L * Chunk;

    private static (int Start, int Length) ChunkAt(in Job job, int c) => (c * Chunk, Math.Min(Chunk, job.N - c * Chunk));

    /// <summary>Chunks of <see cref="Loss"/> (into the job's output), or of <see cref="Sum"/> when the job has sums: each chunk's losses summed.</summary>
    private static unsafe void LossPart(void* ctx, int lo, int hi)
    {
        ref Job job = ref *(Job*)ctx;
        Span<float> soft = stackalloc float[Chunk];
        Span<float> xt = stackalloc float[Chunk];
        Span<float> head = stackalloc float[Chunk];
        for (int c = lo; c < hi; c++)
        {
            var (i, len) = ChunkAt(job, c);
            ChunkLoss(new ReadOnlySpan<float>(job.X + i, len), new ReadOnlySpan<float>(job.T + i, len), soft[..len], xt[..len], head[..len]);
            if (job.Sums != null) job.Sums[c] = TensorPrimitives.Sum(soft[..len]);
            else soft[..len].CopyTo(new Span<float>(job.Out + i, len));
        }
    }

    /// <summary>soft = max(x, 0) − x·t + log(1 + e^−|x|), evaluated in that order, as <see cref="LossScalar"/>.</summary>
    private static void ChunkLoss(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> soft, Span<float> xt, Span<float> head)
    {
        TensorPrimitives.Abs(x, soft);
        TensorPrimitives.Negate(soft, soft);
        TensorPrimitives.Exp(soft, soft);
        TensorPrimitives.Add(soft, 1f, soft);
        TensorPrimitives.Log(soft, soft);       // log(1 + e^−|x|)
        TensorPrimitives.Multiply(x, t, xt);
        TensorPrimitives.Max(x, 0f, head);
        TensorPrimitives.Subtract(head, xt, head); // max(x, 0) − x·t
        TensorPrimitives.Add(head, soft, soft);
    }

    /// <summary>dx = s·(sigmoid(x) − t): the gradient of a summed loss scaled by s (1/n for the mean).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Grad(ReadOnlySpan<float> x, ReadOnlySpan<float> t, float s, Span<float> dx)
    {
        Check(x, t, dx.Length, "Grad");
        fixed (float* px = x, pt = t, pd = dx)
        {
            var job = new Job { X = px, T = pt, Out = pd, Scale = s, N = dx.Length };
            Chunks(ref job, &GradPart);
        }
    }

    /// <summary>dx = g·(sigmoid(x) − t) with one upstream gradient per element (no reduction).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static unsafe void Grad(ReadOnlySpan<float> x, ReadOnlySpan<float> t, ReadOnlySpan<float> g, Span<float> dx)
    {
        Check(x, t, dx.Length, "Grad");
        if (g.Length != dx.Length) throw new ArgumentException($"BceWithLogitsKernel.Grad: g has {g.Length} elements, dx {dx.Length}", nameof(g));
        fixed (float* px = x, pt = t, pg = g, pd = dx)
        {
            var job = new Job { X = px, T = pt, G = pg, Out = pd, N = dx.Length };
            Chunks(ref job, &GradPart);
        }
    }

    /// <summary>Chunks of <see cref="Grad(ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float})"/>, or of the per-element form when the job has g.</summary>
    private static unsafe void GradPart(void* ctx, int lo, int hi)
    {
        ref Job job = ref *(Job*)ctx;
        for (int c = lo; c < hi; c++)
        {
            var (i, len) = ChunkAt(job, c);
            var d = new Span<float>(job.Out + i, len);
            TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(job.X + i, len), d);
            TensorPrimitives.Subtract(d, new ReadOnlySpan<float>(job.T + i, len), d);
            if (job.G == null) TensorPrimitives.Multiply(d, job.Scale, d);
            else TensorPrimitives.Multiply(new ReadOnlySpan<float>(job.G + i, len), d, d);
        }
    }

    /// <summary>The scalar twin of <see cref="Loss"/>.</summary>
    public static void LossScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> y)
    {
        Check(x, t, y.Length, "LossScalar");
        for (int i = 0; i < y.Length; i++)
        {
            float v = x[i];
            y[i] = MathF.Max(v, 0f) - v * t[i] + MathF.Log(1f + MathF.Exp(-MathF.Abs(v)));
        }
    }

    /// <summary>The scalar twin of <see cref="Grad(ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float})"/>.</summary>
    public static void GradScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> t, float s, Span<float> dx)
    {
        Check(x, t, dx.Length, "GradScalar");
        for (int i = 0; i < dx.Length; i++) dx[i] = (1f / (1f + MathF.Exp(-x[i])) - t[i]) * s;
    }

    private static void Check(ReadOnlySpan<float> x, ReadOnlySpan<float> t, int n, string op)
    {
        if (x.Length != n || t.Length != n)
            throw new ArgumentException($"BceWithLogitsKernel.{op}: x has {x.Length}, target {t.Length} and the output {n} elements");
    }
}
