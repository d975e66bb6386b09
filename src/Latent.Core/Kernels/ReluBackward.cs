using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Core.Kernels;

/// <summary>
/// ReLU's backward: y[i] = x[i] &gt; 0 ? g[i] : 0 (NaN in x gives 0, a NaN gradient where x &gt; 0 passes through).
/// <see cref="Scalar"/> is the plain twin the tests compare against; the vector paths give identical bits.
/// </summary>
public static class ReluBackward
{
    /// <summary>The path <see cref="Run"/> takes in this process: "Vector512", "Vector256", "Vector128" or "fallback".</summary>
    public static string PathName =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256"
        : Vector128.IsHardwareAccelerated ? "Vector128" : "fallback";

    /// <summary>y = g where x &gt; 0, else 0. <paramref name="y"/> may be <paramref name="g"/> or <paramref name="x"/> (in place).</summary>
    /// <exception cref="ArgumentException">The three spans differ in length.</exception>
    public static void Run(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(g, x, y);
        int n = y.Length, i = 0;
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        // Each lane holds one element: the compare mask (all ones where x > 0) ANDed with g keeps g's bits
        // or gives +0, as the scalar select does. The tail (< one vector) runs the scalar loop.
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.GreaterThan(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512<float>.Zero)
                    & Vector512.LoadUnsafe(ref gr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                (Vector256.GreaterThan(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256<float>.Zero)
                    & Vector256.LoadUnsafe(ref gr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        else if (Vector128.IsHardwareAccelerated)
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                (Vector128.GreaterThan(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128<float>.Zero)
                    & Vector128.LoadUnsafe(ref gr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref yr, i) = Unsafe.Add(ref xr, i) > 0f ? Unsafe.Add(ref gr, i) : 0f;
    }

    /// <summary>
    /// <see cref="Run"/> over ranges of whole vectors split between the kernel threads (same bits as one call); then
    /// <c>Run(g, x, y)</c>'s spans are taken from the first <paramref name="n"/> floats of each array.
    /// </summary>
    internal static unsafe void RunParallel(float[] g, float[] x, float[] y, int n)
    {
        fixed (float* pg = g, px = x, py = y)
        {
            var job = new Job { G = pg, X = px, Y = py };
            ParallelRange.For(n, ParallelRange.VectorAlign, 3, &Part, &job);
        }
    }

    /// <summary>y = max(x, 0) as <c>TensorPrimitives.Max(x, 0f, y)</c>, split likewise.</summary>
    internal static unsafe void ForwardParallel(float[] x, float[] y, int n)
    {
        fixed (float* px = x, py = y)
        {
            var job = new Job { X = px, Y = py };
            ParallelRange.For(n, ParallelRange.VectorAlign, 2, &ForwardPart, &job);
        }
    }

    private unsafe struct Job
    {
        public float* G, X, Y;
    }

    private static unsafe void Part(void* ctx, int lo, int hi)
    {
        ref Job job = ref *(Job*)ctx;
        int len = hi - lo;
        Run(new ReadOnlySpan<float>(job.G + lo, len), new ReadOnlySpan<float>(job.X + lo, len), new Span<float>(job.Y + lo, len));
    }

    private static unsafe void ForwardPart(void* ctx, int lo, int hi)
    {
        ref Job job = ref *(Job*)ctx;
        int len = hi - lo;
        TensorPrimitives.Max(new ReadOnlySpan<float>(job.X + lo, len), 0f, new Span<float>(job.Y + lo, len));
    }

    /// <summary>The scalar twin of <see cref="Run"/>.</summary>
    public static void Scalar(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(g, x, y);
        for (int i = 0; i < y.Length; i++) y[i] = x[i] > 0f ? g[i] : 0f;
    }

    private static void Check(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> y)
    {
        if (g.Length != y.Length || x.Length != y.Length)
            throw new ArgumentException($"ReluBackward: g has {g.Length}, x {x.Length} and y {y.Length} elements", nameof(y));
    }
}
