using System.Numerics.Tensors;

namespace Latent.Core.Kernels;

/// <summary>
/// Binary cross-entropy on logits, elementwise, in the stable form l = max(x, 0) − x·t + log(1 + e^−|x|), and its
/// gradient in x, s·(sigmoid(x) − t). Work goes through <see cref="TensorPrimitives"/> (vectorised exp, log and
/// sigmoid) in chunks of <see cref="Chunk"/> elements so the temporaries stay in L1; the scalar twins
/// (<see cref="LossScalar"/>, <see cref="GradScalar(ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float})"/>)
/// are the same formulas one element at a time with <see cref="MathF"/>, equal up to the last bits of exp/log.
/// </summary>
public static class BceWithLogitsKernel
{
    /// <summary>Elements per chunk (three stack buffers of this many floats).</summary>
    internal const int Chunk = 512;

    /// <summary>y[i] = max(x, 0) − x·t + log(1 + e^−|x|). <paramref name="y"/> may alias an input.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Loss(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> y)
    {
        Check(x, t, y.Length, "Loss");
        Span<float> soft = stackalloc float[Chunk];
        Span<float> xt = stackalloc float[Chunk];
        Span<float> head = stackalloc float[Chunk];
        for (int i = 0; i < y.Length; i += Chunk)
        {
            int len = Math.Min(Chunk, y.Length - i);
            ChunkLoss(x.Slice(i, len), t.Slice(i, len), soft[..len], xt[..len], head[..len]);
            soft[..len].CopyTo(y.Slice(i, len));
        }
    }

    /// <summary>Σ_i l_i (accumulated per chunk in double), the loss of <see cref="Loss"/> summed.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Sum(ReadOnlySpan<float> x, ReadOnlySpan<float> t)
    {
        Check(x, t, x.Length, "Sum");
        Span<float> soft = stackalloc float[Chunk];
        Span<float> xt = stackalloc float[Chunk];
        Span<float> head = stackalloc float[Chunk];
        double total = 0;
        for (int i = 0; i < x.Length; i += Chunk)
        {
            int len = Math.Min(Chunk, x.Length - i);
            ChunkLoss(x.Slice(i, len), t.Slice(i, len), soft[..len], xt[..len], head[..len]);
            total += TensorPrimitives.Sum(soft[..len]);
        }
        return total;
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
    public static void Grad(ReadOnlySpan<float> x, ReadOnlySpan<float> t, float s, Span<float> dx)
    {
        Check(x, t, dx.Length, "Grad");
        for (int i = 0; i < dx.Length; i += Chunk)
        {
            int len = Math.Min(Chunk, dx.Length - i);
            var d = dx.Slice(i, len);
            TensorPrimitives.Sigmoid(x.Slice(i, len), d);
            TensorPrimitives.Subtract(d, t.Slice(i, len), d);
            TensorPrimitives.Multiply(d, s, d);
        }
    }

    /// <summary>dx = g·(sigmoid(x) − t) with one upstream gradient per element (no reduction).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Grad(ReadOnlySpan<float> x, ReadOnlySpan<float> t, ReadOnlySpan<float> g, Span<float> dx)
    {
        Check(x, t, dx.Length, "Grad");
        if (g.Length != dx.Length) throw new ArgumentException($"BceWithLogitsKernel.Grad: g has {g.Length} elements, dx {dx.Length}", nameof(g));
        for (int i = 0; i < dx.Length; i += Chunk)
        {
            int len = Math.Min(Chunk, dx.Length - i);
            var d = dx.Slice(i, len);
            TensorPrimitives.Sigmoid(x.Slice(i, len), d);
            TensorPrimitives.Subtract(d, t.Slice(i, len), d);
            TensorPrimitives.Multiply(g.Slice(i, len), d, d);
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
