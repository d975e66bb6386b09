using System.Numerics.Tensors;

namespace Latent.Core.Kernels;

/// <summary>
/// Broadcasting elementwise kernels. The op is a struct type parameter, so the JIT specialises each loop; the
/// span forms go to <see cref="TensorPrimitives"/> where it has the op.
/// </summary>
internal static class Elementwise
{
    internal interface IBinaryOp
    {
        static abstract float Apply(float a, float b);
        static abstract void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y);
        static abstract void Apply(ReadOnlySpan<float> a, float b, Span<float> y);
        static abstract void Apply(float a, ReadOnlySpan<float> b, Span<float> y);
    }

    internal readonly struct AddOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a + b;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(a, b, y);
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Add(a, b, y);
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Add(b, a, y);
    }

    internal readonly struct SubOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a - b;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Subtract(a, b, y);
    }

    internal readonly struct MulOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a * b;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Multiply(a, b, y);
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Multiply(a, b, y);
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Multiply(b, a, y);
    }

    internal readonly struct DivOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a / b;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Divide(a, b, y);
    }

    internal readonly struct PowOp : IBinaryOp
    {
        public static float Apply(float a, float b) => MathF.Pow(a, b);
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Pow(a, b, y);
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) => TensorPrimitives.Pow(a, b, y);
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) => TensorPrimitives.Pow(a, b, y);
    }

    internal readonly struct MaxOp : IBinaryOp
    {
        // Not TensorPrimitives.Max, whose signed-zero rule differs; a NaN on either side wins, as in torch.maximum.
        public static float Apply(float a, float b) => a > b || float.IsNaN(a) ? a : b;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b[i]); }
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b); }
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a, b[i]); }
    }

    internal readonly struct MinOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a < b || float.IsNaN(a) ? a : b;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b[i]); }
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b); }
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a, b[i]); }
    }

    internal readonly struct GreaterOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a > b ? 1f : 0f;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b[i]); }
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b); }
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a, b[i]); }
    }

    internal readonly struct GreaterEqualOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a >= b ? 1f : 0f;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b[i]); }
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b); }
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a, b[i]); }
    }

    internal readonly struct EqualOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a == b ? 1f : 0f;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b[i]); }
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b); }
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a, b[i]); }
    }

    internal readonly struct NotEqualOp : IBinaryOp
    {
        public static float Apply(float a, float b) => a != b ? 1f : 0f;
        public static void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b[i]); }
        public static void Apply(ReadOnlySpan<float> a, float b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a[i], b); }
        public static void Apply(float a, ReadOnlySpan<float> b, Span<float> y) { for (int i = 0; i < y.Length; i++) y[i] = Apply(a, b[i]); }
    }

    /// <summary>y = op(a, b) over the broadcast shape of a and b.</summary>
    internal static Tensor Binary<TOp>(Tensor a, Tensor b, string name) where TOp : IBinaryOp
    {
        var shape = Shapes.Equal(a.Shape, b.Shape) ? a.Shape : Shapes.Broadcast(a.Shape, b.Shape, name);
        var y = Tensor.Empty(shape);
        var ys = y.Span;
        if (ys.Length == 0) return y;
        ReadOnlySpan<float> av = a.Span, bv = b.Span;
        if (a.Size == ys.Length && b.Size == ys.Length) { TOp.Apply(av, bv, ys); return y; }
        if (b.Size == 1 && a.Size == ys.Length) { TOp.Apply(av, bv[0], ys); return y; }
        if (a.Size == 1 && b.Size == ys.Length) { TOp.Apply(av[0], bv, ys); return y; }

        // General case: collapse to [outer..., inner] where the innermost run is contiguous for both inputs
        // (stride 1) or constant for one of them (stride 0), then apply the span kernel row by row.
        var sa = Shapes.BroadcastStrides(a.Shape, shape);
        var sb = Shapes.BroadcastStrides(b.Shape, shape);
        int rank = shape.Length;
        int inner = shape[rank - 1];
        int ka = sa[rank - 1], kb = sb[rank - 1];
        // Merge trailing dims while both inputs stay contiguous (or both broadcast) across them.
        int d = rank - 1;
        while (d > 0)
        {
            int nextA = sa[d - 1], nextB = sb[d - 1];
            bool aOk = ka == 1 ? nextA == inner : ka == 0 && nextA == 0;
            bool bOk = kb == 1 ? nextB == inner : kb == 0 && nextB == 0;
            if (!aOk || !bOk) break;
            inner *= shape[d - 1];
            d--;
        }
        int outerRank = d;
        int outer = ys.Length / inner;
        var idx = new int[Math.Max(outerRank, 1)];
        int offA = 0, offB = 0;
        for (int o = 0; o < outer; o++)
        {
            var yrow = ys.Slice(o * inner, inner);
            if (ka == 1 && kb == 1) TOp.Apply(av.Slice(offA, inner), bv.Slice(offB, inner), yrow);
            else if (ka == 1) TOp.Apply(av.Slice(offA, inner), bv[offB], yrow);
            else if (kb == 1) TOp.Apply(av[offA], bv.Slice(offB, inner), yrow);
            else yrow.Fill(TOp.Apply(av[offA], bv[offB]));
            // odometer over the outer dims
            for (int k = outerRank - 1; k >= 0; k--)
            {
                idx[k]++; offA += sa[k]; offB += sb[k];
                if (idx[k] < shape[k]) break;
                offA -= sa[k] * shape[k]; offB -= sb[k] * shape[k]; idx[k] = 0;
            }
        }
        return y;
    }
}
