using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Latent.Core.Kernels;

/// <summary>
/// One Adam update over a parameter (PyTorch's arithmetic, see Latent.NN.Optim.Adam):
/// g' = g + l2·p (when l2 ≠ 0), m ← β₁m + (1−β₁)g', v ← β₂v + (1−β₂)g'g', p ← p − stepSize·(m / (√v / √bc₂ + ε)).
/// The vector loop evaluates exactly the scalar expressions in the same order (no fused multiply-add), so
/// <see cref="Run"/> and its twin <see cref="Scalar"/> give identical bits.
/// </summary>
public static class AdamKernel
{
    /// <summary>The path <see cref="Run"/> takes: "VectorT" (hardware <see cref="Vector{T}"/>) or "fallback".</summary>
    public static string PathName => Vector.IsHardwareAccelerated ? "VectorT" : "fallback";

    /// <summary>Updates <paramref name="p"/>, <paramref name="m"/> and <paramref name="v"/> in place from the gradient <paramref name="g"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Run(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, float l2)
    {
        Check(p, g, m, v);
        if ((long)p.Length * 5 < 2 * ParallelRange.MinWork || Parallelism.MaxDegree == 1)
        {
            Serial(p, g, m, v, beta1, beta2, stepSize, bc2Sqrt, eps, l2);
            return;
        }
        // Large parameters: ranges of whole vectors on the kernel threads (each element's arithmetic is unchanged).
        unsafe
        {
            fixed (float* pp = p, pg = g, pm = m, pv = v)
            {
                var job = new Job
                {
                    P = pp, G = pg, M = pm, V = pv, Beta1 = beta1, Beta2 = beta2, StepSize = stepSize, Bc2Sqrt = bc2Sqrt,
                    Eps = eps, L2 = l2,
                };
                ParallelRange.For(p.Length, ParallelRange.VectorAlign, 5, &Part, &job);
            }
        }
    }

    private unsafe struct Job
    {
        public float* P, G, M, V;
        public float Beta1, Beta2, StepSize, Bc2Sqrt, Eps, L2;
    }

    private static unsafe void Part(void* ctx, int lo, int hi)
    {
        ref Job j = ref *(Job*)ctx;
        int len = hi - lo;
        Serial(new Span<float>(j.P + lo, len), new ReadOnlySpan<float>(j.G + lo, len), new Span<float>(j.M + lo, len),
            new Span<float>(j.V + lo, len), j.Beta1, j.Beta2, j.StepSize, j.Bc2Sqrt, j.Eps, j.L2);
    }

    private static void Serial(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, float l2)
    {
        int n = p.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref float pr = ref MemoryMarshal.GetReference(p);
            ref float gr = ref MemoryMarshal.GetReference(g);
            ref float mr = ref MemoryMarshal.GetReference(m);
            ref float vr = ref MemoryMarshal.GetReference(v);
            var b1 = new Vector<float>(beta1);
            var b2 = new Vector<float>(beta2);
            var c1 = new Vector<float>(1f - beta1);
            var c2 = new Vector<float>(1f - beta2);
            var lr = new Vector<float>(stepSize);
            var bc = new Vector<float>(bc2Sqrt);
            var ep = new Vector<float>(eps);
            var wd = new Vector<float>(l2);
            // Each lane is one parameter; the tail (< one vector) goes through the scalar loop below.
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                ref float pi = ref Unsafe.Add(ref pr, i);
                ref float mi = ref Unsafe.Add(ref mr, i);
                ref float vi = ref Unsafe.Add(ref vr, i);
                var pv = Vector.LoadUnsafe(ref pi);
                var gv = Vector.LoadUnsafe(ref Unsafe.Add(ref gr, i));
                if (l2 != 0f) gv += wd * pv;
                var mv = b1 * Vector.LoadUnsafe(ref mi) + c1 * gv;
                var vv = b2 * Vector.LoadUnsafe(ref vi) + c2 * gv * gv;
                mv.StoreUnsafe(ref mi);
                vv.StoreUnsafe(ref vi);
                (pv - lr * (mv / (Vector.SquareRoot(vv) / bc + ep))).StoreUnsafe(ref pi);
            }
        }
        ScalarRange(p, g, m, v, beta1, beta2, stepSize, bc2Sqrt, eps, l2, i);
    }

    /// <summary>The scalar twin of <see cref="Run"/>.</summary>
    public static void Scalar(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, float l2)
    {
        Check(p, g, m, v);
        ScalarRange(p, g, m, v, beta1, beta2, stepSize, bc2Sqrt, eps, l2, 0);
    }

    private static void ScalarRange(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, float l2, int start)
    {
        for (int i = start; i < p.Length; i++)
        {
            float gi = g[i];
            if (l2 != 0f) gi += l2 * p[i];
            float mi = m[i] = beta1 * m[i] + (1f - beta1) * gi;
            float vi = v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
            p[i] -= stepSize * (mi / (MathF.Sqrt(vi) / bc2Sqrt + eps));
        }
    }

    private static void Check(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v)
    {
        if (g.Length != p.Length || m.Length != p.Length || v.Length != p.Length)
            throw new ArgumentException($"AdamKernel: p has {p.Length}, g {g.Length}, m {m.Length} and v {v.Length} elements");
    }
}
